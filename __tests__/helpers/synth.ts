import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS, Environment, loadEnvironments } from "../../environments";
import { validateConfiguration } from "../../stacks/validate";
import { buildApp } from "../../main";
import { loadPipelines } from "../../pipelines";
import type { StackUnderTest, TerraformJson } from "../../policies";
import { bootstrapStackName, pipelineStackName } from "../../stacks/providers";
import { readStackFile, synthesizedStacks } from "../../tools/stacks/synthesized";
import { mergedEnvironment } from "./environment-view";
import { resolved } from "./references";

/** One pipeline's own stack in an environment. */
export interface SynthesizedPipelineStack {
  readonly stackName: string;
  /** The pipeline's name. */
  readonly pipeline: string;
  readonly json: TerraformJson;
  /** Its folder (its assets are relative to it). */
  readonly dir: string;
}

/** Any stack of an environment, with the stacks cdktf applies before it. */
export interface SynthesizedStackJson {
  readonly stackName: string;
  readonly kind: "bootstrap" | "core" | "pipeline";
  readonly dependencies: readonly string[];
  readonly json: TerraformJson;
}

export interface SynthesizedEnvironment {
  readonly environment: Environment;
  /** Every stack of the environment: bootstrap, core, pipeline stacks. */
  readonly stacks: readonly SynthesizedStackJson[];
  /** The core stack (`data-platform-<env>`): what every pipeline shares. */
  readonly core: TerraformJson;
  readonly coreStackName: string;
  /** One stack per pipeline enabled in the environment. */
  readonly pipelineStacks: readonly SynthesizedPipelineStack[];
  /**
   * The whole environment as one stack (`environment-view.ts`): the core and every pipeline stack,
   * pipelines' reads of the core's parameter replaced by the core's references. For tests about
   * what the environment deploys; tests about one stack's own order and backend read the stacks.
   */
  readonly platform: TerraformJson;
  readonly bootstrap: TerraformJson;
  /**
   * The environment view with its references resolved to the names and ARNs they will have
   * (`references.ts`): for tests about values. The references themselves (what orders the
   * resources) are in `platform`.
   */
  readonly resolvedPlatform: TerraformJson;
  /** The directory of the core stack (assets are relative to it). */
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
  const pipelineNames = loadPipelines(environments.map((e) => e.name)).map((p) => p.name);
  const stacks = synthesizedStacks(outdir, environments.map((e) => e.name));
  cache = environments.map((environment) => {
    const mine = stacks.filter((s) => s.environment === environment.name);
    const core = mine.find((s) => s.kind === "core")!;
    const coreJson = readStackFile<TerraformJson>(core);
    const pipelineStacks = mine
      .filter((s) => s.kind === "pipeline")
      .map((s) => ({ stackName: s.name, pipeline: pipelineNames.find((p) => pipelineStackName(environment, p) === s.name)!, json: readStackFile<TerraformJson>(s), dir: s.dir }));
    const platform = mergedEnvironment(coreJson, pipelineStacks);
    const bootstrap = readStackFile<TerraformJson>(mine.find((s) => s.kind === "bootstrap")!);
    const jsonOf = (name: string) => (name === core.name ? coreJson : (pipelineStacks.find((p) => p.stackName === name)?.json ?? bootstrap));
    return {
      environment,
      stacks: mine.map((s) => ({ stackName: s.name, kind: s.kind, dependencies: s.dependencies, json: jsonOf(s.name) })),
      core: coreJson,
      coreStackName: core.name,
      pipelineStacks,
      platform,
      resolvedPlatform: resolved(platform, platform),
      bootstrap,
      platformDir: core.dir,
    };
  });
  return cache;
}

export function synthEnvironment(name: string): SynthesizedEnvironment {
  const found = synthAll().find((s) => s.environment.name === name);
  if (!found) throw new Error(`no environment ${name}`);
  return found;
}

/**
 * Every synthesized stack (bootstrap, core and pipeline stacks) as the policy harness takes it,
 * with the stacks applied before it (`upstream`: the bootstrap stack, which an administrator
 * applies first, then the dependencies cdktf records, e.g. a pipeline stack's core) and every other
 * stack of its environment as one it may not name (`peers`).
 */
export function stacksUnderTest(): StackUnderTest[] {
  return synthAll().flatMap(({ environment, stacks }) => {
    const base = { environment: environment.name, production: environment.tier === "production" };
    return stacks.map((stack) => {
      const before = new Set([...(stack.kind === "bootstrap" ? [] : [bootstrapStackName(environment)]), ...stack.dependencies]);
      const neighbour = (s: SynthesizedStackJson) => ({ stackName: s.stackName, json: s.json });
      return {
        ...base,
        stackName: stack.stackName,
        json: stack.json,
        upstream: stacks.filter((s) => before.has(s.stackName)).map(neighbour),
        peers: stacks.filter((s) => s !== stack && !before.has(s.stackName)).map(neighbour),
      };
    });
  });
}

/** Resources of one type in a synthesized stack, as [name, config] pairs. */
export function resourcesOf(json: TerraformJson, type: string): [string, Record<string, any>][] {
  return Object.entries(json.resource?.[type] ?? {}) as [string, Record<string, any>][];
}

/** Synthesizes the given environment and pipeline definitions (validated together) into a fresh folder; returns it. */
export function synthesizeConfiguration(pipelines: readonly unknown[], environments: readonly unknown[] = ENVIRONMENT_CONFIGS): string {
  const outdir = mkdtempSync(join(tmpdir(), "dp-configuration-"));
  buildApp({ outdir, ...validateConfiguration({ environments, pipelines }) }).synth();
  return outdir;
}
