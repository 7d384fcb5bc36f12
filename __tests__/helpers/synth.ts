import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Environment, loadEnvironments } from "../../environments";
import { buildApp } from "../../main";
import { loadPipelines } from "../../pipelines";
import type { StackUnderTest, TerraformJson } from "../../policies";
import { bootstrapStackName, platformStackName } from "../../stacks/providers";

export interface SynthesizedEnvironment {
  readonly environment: Environment;
  readonly platform: TerraformJson;
  readonly bootstrap: TerraformJson;
  /** The directory of the platform stack (assets are relative to it). */
  readonly platformDir: string;
}

let cache: SynthesizedEnvironment[] | undefined;

/** Synthesizes every environment once per test file, exactly as `npm run synth` does. */
export function synthAll(): SynthesizedEnvironment[] {
  if (cache) return cache;
  const outdir = mkdtempSync(join(tmpdir(), "dp-synth-"));
  const environments = loadEnvironments();
  buildApp({ outdir, environments, pipelines: loadPipelines(environments.map((e) => e.name)) }).synth();
  const read = (stack: string): TerraformJson => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  cache = environments.map((environment) => ({
    environment,
    platform: read(platformStackName(environment)),
    bootstrap: read(bootstrapStackName(environment)),
    platformDir: join(outdir, "stacks", platformStackName(environment)),
  }));
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
