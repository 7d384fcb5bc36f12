import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironments } from "../../environments";
import { GLUE_JOBS_DIR_CONTEXT } from "../../modules/streaming";
import { loadPipelines } from "../../pipelines";
import type { TerraformJson } from "../../policies";
import { buildApp } from "../../main";
import { readStackFile, synthesizedStacks } from "../../tools/stacks/synthesized";
import { GLUE_JOBS_DIR } from "./helpers";

const environments = loadEnvironments();
const pipelines = loadPipelines(environments.map((e) => e.name));

/** Every stack of every environment (core and pipeline stacks), synthesized from the given glue-jobs directory, by stack name. */
function synthFrom(glueJobsDir: string): Record<string, TerraformJson> {
  const outdir = mkdtempSync(join(tmpdir(), "dp-streaming-change-"));
  const app = buildApp({ outdir, environments, pipelines, context: { [GLUE_JOBS_DIR_CONTEXT]: glueJobsDir } });
  app.synth();
  const stacks = synthesizedStacks(outdir, environments.map((e) => e.name)).filter((s) => s.kind !== "bootstrap");
  return Object.fromEntries(stacks.map((s) => [s.name, readStackFile<TerraformJson>(s)]));
}

/** Paths of every leaf that differs between two JSON values. */
function differences(a: unknown, b: unknown, path: string[] = []): string[] {
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, k]));
  }
  return a === b ? [] : [path.join(".")];
}

describe("a one-line change to streaming_etl.py", () => {
  const copy = mkdtempSync(join(tmpdir(), "dp-glue-jobs-"));
  cpSync(GLUE_JOBS_DIR, copy, { recursive: true });
  const script = join(copy, "streaming_etl.py");
  writeFileSync(script, readFileSync(script, "utf8").replace('"inferSchema": "false",', '"inferSchema": "false",  # changed'));
  const before = synthFrom(GLUE_JOBS_DIR);
  const after = synthFrom(copy);

  it("really changed the copy", () => {
    expect(readFileSync(script, "utf8")).toContain("# changed");
  });

  it.each(Object.keys(before).map((stack) => [stack]))("changes only the streaming script object and what runs it in %s", (stack) => {
    const changed = differences(before[stack], after[stack]);
    const where = changed.map((p) => p.replace(/^resource\.([^.]+)\.([^.]+)\.(.*)$/, "$1 $2 $3"));
    const resource = after[stack].resource!;
    const objectName = Object.keys(resource.aws_s3_object ?? {}).find((n) => /streaming-script/.test(n));
    const streamingJobs = Object.entries(resource.aws_glue_job ?? {}).filter(([, j]) => (j as any).command.name === "gluestreaming").map(([n]) => n);
    const streamingRolePolicies = Object.keys(resource.aws_iam_role_policy ?? {}).filter((n) => /streaming-role_policy/.test(n));
    const allowed = new Set([
      ...(objectName ? [`aws_s3_object ${objectName} key`, `aws_s3_object ${objectName} source`, `aws_s3_object ${objectName} source_hash`] : []),
      ...streamingJobs.map((n) => `aws_glue_job ${n} command.script_location`),
      // The role may read exactly the script it runs.
      ...streamingRolePolicies.map((n) => `aws_iam_role_policy ${n} policy`),
    ]);
    expect(where.filter((w) => !allowed.has(w))).toEqual([]);
    // The core ships the script; each pipeline stack's streaming job runs it.
    expect(objectName !== undefined || streamingJobs.length > 0).toBe(true);
    expect(where).toEqual(expect.arrayContaining([...(objectName ? [`aws_s3_object ${objectName} key`, `aws_s3_object ${objectName} source_hash`] : []), ...streamingJobs.map((n) => `aws_glue_job ${n} command.script_location`)]));
  });

  it("ships the same new hash in every environment", () => {
    const hashes = environments.map((e) => Object.values(after[`data-platform-${e.name}`].resource!.aws_s3_object).map((o: any) => o.source_hash).sort());
    for (const other of hashes.slice(1)) expect(other).toEqual(hashes[0]);
  });
});
