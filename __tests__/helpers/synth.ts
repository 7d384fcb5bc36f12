import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Environment, loadEnvironments } from "../../environments";
import { buildApp } from "../../main";
import { loadPipelines } from "../../pipelines";
import type { StackUnderTest, TerraformJson } from "../../policies";
import { bootstrapStackName, platformStackName } from "../../stacks/providers";
import { resolved } from "./references";

export interface SynthesizedEnvironment {
  readonly environment: Environment;
  readonly platform: TerraformJson;
  readonly bootstrap: TerraformJson;
  /**
   * The platform stack with its references resolved to the names and ARNs they will have
   * (`references.ts`): for tests about values. The references themselves (what orders the
   * resources) are in `platform`.
   */
  readonly resolvedPlatform: TerraformJson;
  /** The directory of the platform stack (assets are relative to it). */
  readonly platformDir: string;
}

let cache: SynthesizedEnvironment[] | undefined;

/** Set by the jest global setup: where every environment was synthesized once for the whole run. */
export const SHARED_SYNTH_DIR_VARIABLE = "DP_TEST_SYNTH_DIR";

/** Synthesizes every environment into `outdir`, exactly as `npm run synth` does. */
export function synthesizeInto(outdir: string): void {
  const environments = loadEnvironments();
  buildApp({ outdir, environments, pipelines: loadPipelines(environments.map((e) => e.name)) }).synth();
}

/**
 * Every environment, synthesized. The output is read from the run's shared synthesis (made once by
 * `global-setup.ts`, so twenty test files do not synthesize twenty times); a file run on its own
 * outside jest's setup synthesizes for itself.
 */
export function synthAll(): SynthesizedEnvironment[] {
  if (cache) return cache;
  const shared = process.env[SHARED_SYNTH_DIR_VARIABLE];
  const outdir = shared && existsSync(join(shared, "stacks")) ? shared : mkdtempSync(join(tmpdir(), "dp-synth-"));
  if (outdir !== shared) synthesizeInto(outdir);
  const environments = loadEnvironments();
  const read = (stack: string): TerraformJson => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  cache = environments.map((environment) => {
    const platform = read(platformStackName(environment));
    return {
      environment,
      platform,
      resolvedPlatform: resolved(platform, platform),
    bootstrap: read(bootstrapStackName(environment)),
      platformDir: join(outdir, "stacks", platformStackName(environment)),
    };
  });
  return cache;
}

export function synthEnvironment(name: string): SynthesizedEnvironment {
  const found = synthAll().find((s) => s.environment.name === name);
  if (!found) throw new Error(`no environment ${name}`);
  return found;
}

/** Every synthesized stack (platform and bootstrap) as the policy harness takes it. */
export function stacksUnderTest(): StackUnderTest[] {
  return synthAll().flatMap(({ environment, platform, bootstrap }) => [
    { stackName: platformStackName(environment), environment: environment.name, production: environment.tier === "production", json: platform },
    { stackName: bootstrapStackName(environment), environment: environment.name, production: environment.tier === "production", json: bootstrap },
  ]);
}

/** Resources of one type in a synthesized stack, as [name, config] pairs. */
export function resourcesOf(json: TerraformJson, type: string): [string, Record<string, any>][] {
  return Object.entries(json.resource?.[type] ?? {}) as [string, Record<string, any>][];
}
