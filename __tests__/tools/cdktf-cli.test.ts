/**
 * `npx cdktf synth|deploy|diff` on a broken environment: the real cdktf CLI from node_modules, run
 * offline (CHECKPOINT_DISABLE=1) in a copy of the project whose dev environment is broken. It must
 * print the same report as `npm run synth`, once, without a stack trace, fail, and leave nothing
 * of an earlier synthesis looking current.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { FAILED_SYNTHESIS_MARKER } from "../../main";
import { ProcessResult, runNode } from "../helpers/node-process";

jest.setTimeout(120_000);

const ROOT = join(__dirname, "..", "..");
const CDKTF = join(ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
const COPIED_OUT = new Set(["node_modules", ".git", "cdktf.out", ".venv"]);
const PROBLEM = 'dev.account.id: "1111": must be a 12-digit AWS account id';

/** The project's sources in a temporary directory, with node_modules linked and dev's account id broken. */
function brokenProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "dp-cdktf-cli-"));
  cpSync(ROOT, dir, { recursive: true, filter: (source) => !COPIED_OUT.has(relative(ROOT, source).split("/")[0]) });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const dev = join(dir, "environments", "dev.ts");
  writeFileSync(dev, readFileSync(dev, "utf8").replace('id: "111122223333"', 'id: "1111"'));
  return dir;
}

/** What an earlier, good synthesis left: a manifest, the stacks' configuration, and a bootstrap's local state. */
function earlierSynthesis(outdir: string): void {
  for (const stack of ["data-platform-dev", "data-platform-dev-bootstrap"]) {
    mkdirSync(join(outdir, "stacks", stack), { recursive: true });
    writeFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "{}");
  }
  writeFileSync(join(outdir, "manifest.json"), "{}");
  writeFileSync(join(outdir, "stacks", "data-platform-dev-bootstrap", "data-platform-dev-bootstrap.tfstate"), "{}");
}

const withoutAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe("cdktf synth, deploy and diff on a broken environment", () => {
  const project = brokenProject();
  const cdktf = (args: string[], outdir: string): Promise<ProcessResult> =>
    runNode([CDKTF, ...args, "--output", outdir], {
      cwd: project,
      // As on a fresh CI machine: node, the system's tools, no terraform binary (synthesis needs none).
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, CHECKPOINT_DISABLE: "1", HOME: project, CI: "1" },
      killAfterMs: 110_000,
    });
  const outdirs = { synth: join(project, "out-synth"), deploy: join(project, "out-deploy"), diff: join(project, "out-diff") };
  earlierSynthesis(outdirs.synth);
  const runs = Promise.all([
    cdktf(["synth"], outdirs.synth),
    cdktf(["deploy", "data-platform-dev", "--auto-approve"], outdirs.deploy),
    cdktf(["diff", "data-platform-dev"], outdirs.diff),
    runNode(["-r", "./tools/register.js", "tools/synth.ts"], { cwd: project }),
  ]);

  it.each([["synth", 0], ["deploy", 1], ["diff", 2]] as const)("cdktf %s fails and prints the report of npm run synth once, without a stack trace", async (_, index) => {
    const results = await runs;
    const run = results[index];
    const npmRunSynth = results[3];
    const output = withoutAnsi(`${run.stdout}\n${run.stderr}`);
    expect(run.code).not.toBe(0);
    expect(occurrences(output, "Invalid configuration: 1 problem in 1 file")).toBe(1);
    expect(occurrences(output, PROBLEM)).toBe(1);
    // The report npm run synth prints, line for line.
    expect(npmRunSynth.code).toBe(2);
    for (const line of npmRunSynth.stderr.split("\n").filter((l) => l.trim() && !l.startsWith("Nothing was synthesized"))) expect(output).toContain(line);
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(output).not.toContain("ConfigValidationError");
  });

  it("removes the configuration an earlier synthesis left, keeps a bootstrap's local state, and says why", async () => {
    await runs;
    const stacks = join(outdirs.synth, "stacks");
    expect(existsSync(join(outdirs.synth, "manifest.json"))).toBe(false);
    expect(existsSync(join(stacks, "data-platform-dev", "cdk.tf.json"))).toBe(false);
    expect(existsSync(join(stacks, "data-platform-dev-bootstrap", "cdk.tf.json"))).toBe(false);
    expect(existsSync(join(stacks, "data-platform-dev-bootstrap", "data-platform-dev-bootstrap.tfstate"))).toBe(true);
    expect(readFileSync(join(outdirs.synth, FAILED_SYNTHESIS_MARKER), "utf8")).toContain(PROBLEM);
  });
});
