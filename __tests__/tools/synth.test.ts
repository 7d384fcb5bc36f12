import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PIPELINE_DEFINITIONS } from "../../pipelines";
import { pipelineStackName, pipelineStateKey } from "../../stacks/providers";
import { ENVIRONMENT_CONFIGS } from "../../environments";
import { FAILED_SYNTHESIS_MARKER } from "../../main";
import { synthesize } from "../../tools/synth";

function run(configs: readonly unknown[]) {
  const outdir = join(mkdtempSync(join(tmpdir(), "dp-synth-cli-")), "out");
  const lines: string[] = [];
  const errors: string[] = [];
  const code = synthesize(configs, outdir, { write: (l) => lines.push(l), error: (e) => errors.push(e) });
  return { code, lines, errors: errors.join(""), outdir };
}

describe("npm run synth", () => {
  it("prints each environment's core and, under it, each pipeline stack with its resource count and its own state location", () => {
    const { code, lines, outdir } = run(ENVIRONMENT_CONFIGS);
    expect(code).toBe(0);
    const pipelines = PIPELINE_DEFINITIONS.map((p) => p.name);
    for (const env of ENVIRONMENT_CONFIGS) {
      const line = lines.find((l) => l.startsWith(`data-platform-${env.name} `));
      expect(line).toMatch(/\d+ resources/);
      expect(line).toContain(`s3://${env.state.bucket}/${env.state.key}`);
      for (const pipeline of pipelines) {
        const own = lines.find((l) => l.startsWith(`  ${pipelineStackName(env, pipeline)} `));
        expect(own).toMatch(/\d+ resources/);
        expect(own).toContain(`s3://${env.state.bucket}/${pipelineStateKey(env, pipeline)}`);
      }
    }
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(
      ENVIRONMENT_CONFIGS.flatMap((e) => [`data-platform-${e.name}`, `data-platform-${e.name}-bootstrap`, ...pipelines.map((p) => pipelineStackName(e, p))]).sort(),
    );
  });

  it("exits non-zero, names the field and writes no stack when prod's account id has 11 digits", () => {
    const [dev, stage, prod] = ENVIRONMENT_CONFIGS;
    const broken = { ...prod, account: { ...prod.account, id: "77778888999" } };
    const { code, errors, outdir } = run([dev, stage, broken]);
    expect(code).toBe(2);
    expect(errors).toContain("prod.account.id");
    expect(errors).toContain('"77778888999"');
    expect(existsSync(outdir)).toBe(false);
  });

  it("after an earlier good synthesis, a failed one removes what would look current and says why; the next good one clears that", () => {
    const [dev, stage, prod] = ENVIRONMENT_CONFIGS;
    const { outdir } = run(ENVIRONMENT_CONFIGS);
    const localState = join(outdir, "stacks", "data-platform-dev-bootstrap", "data-platform-dev-bootstrap.tfstate");
    writeFileSync(localState, "{}");
    const broken = { ...prod, network: { ...prod.network, cidr: "10.30.0.1/16" } };
    const errors: string[] = [];
    expect(synthesize([dev, stage, broken], outdir, { write: () => undefined, error: (e) => errors.push(e) })).toBe(2);
    expect(errors.join("")).toContain(`the stacks an earlier synthesis left were removed (see ${FAILED_SYNTHESIS_MARKER})`);
    expect(existsSync(join(outdir, "manifest.json"))).toBe(false);
    expect(readdirSync(join(outdir, "stacks")).filter((stack) => existsSync(join(outdir, "stacks", stack, "cdk.tf.json")))).toEqual([]);
    expect(existsSync(localState)).toBe(true);
    expect(readFileSync(join(outdir, FAILED_SYNTHESIS_MARKER), "utf8")).toContain("prod.network.cidr");
    expect(synthesize(ENVIRONMENT_CONFIGS, outdir, { write: () => undefined, error: () => undefined })).toBe(0);
    expect(existsSync(join(outdir, FAILED_SYNTHESIS_MARKER))).toBe(false);
    expect(existsSync(join(outdir, "stacks", "data-platform-dev", "cdk.tf.json"))).toBe(true);
  });
});
