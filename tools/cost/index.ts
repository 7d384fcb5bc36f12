import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Environment } from "../../environments";
import { SynthesizedLayoutError, synthesizedStacks } from "../stacks/synthesized";
import { estimateEnvironment, type EnvironmentEstimate } from "./estimate";
import { PRICE_TABLE, type PriceTable } from "./price-table";
import { SynthesizedInputError, readStackJson, resourcesOfStack, type SynthResource } from "./synthesized";

export { estimateEnvironment, PriceTableError } from "./estimate";
export type { EnvironmentEstimate, EstimateLine } from "./estimate";
export { costReport, renderReport } from "./render";
export type { CostReport } from "./render";

/** The stacks of one environment in `outdir`: its bootstrap, core and pipeline stacks (an input error when none was synthesized). */
function stacksOf(outdir: string, env: Environment) {
  try {
    return synthesizedStacks(outdir, [env.name]);
  } catch (error) {
    if (error instanceof SynthesizedLayoutError) throw new SynthesizedInputError(error.message);
    throw error;
  }
}

/** The synthesized resources of one environment: its core stack, its pipeline stacks and its bootstrap stack. */
export function environmentResources(outdir: string, env: Environment): SynthResource[] {
  return stacksOf(outdir, env).flatMap((stack) => resourcesOfStack(stack.name, readStackJson(outdir, stack.name), stack.kind === "bootstrap" ? "bootstrap" : undefined));
}

/** What synthesis reads: a change to any of it makes earlier output stale. */
export const SYNTH_SOURCES = ["main.ts", "environments", "pipelines", "stacks", "modules", "lib", "glue-jobs"];

/**
 * True when every environment's stacks are in `outdir` and newer than every source they are made
 * from (under `root`): an estimate of stale output would price what is no longer there.
 */
export function isSynthesized(outdir: string, environments: readonly Environment[], root = "."): boolean {
  let files: string[];
  try {
    files = environments.flatMap((env) => synthesizedStacks(outdir, [env.name]).map((stack) => join(stack.dir, "cdk.tf.json")));
  } catch (error) {
    if (error instanceof SynthesizedLayoutError) return false;
    throw error;
  }
  if (!files.every((f) => existsSync(f))) return false;
  const oldestOutput = Math.min(...files.map((f) => statSync(f).mtimeMs));
  return newestMtime(SYNTH_SOURCES.map((s) => join(root, s))) <= oldestOutput;
}

function newestMtime(paths: readonly string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      const children = readdirSync(path).filter((name) => name !== "__pycache__" && name !== "node_modules");
      newest = Math.max(newest, newestMtime(children.map((name) => join(path, name))));
    } else newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

export function estimateAll(outdir: string, environments: readonly Environment[], table: PriceTable = PRICE_TABLE): EnvironmentEstimate[] {
  return environments.map((env) => estimateEnvironment(env, environmentResources(outdir, env), table));
}
