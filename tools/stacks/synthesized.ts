/**
 * The stacks a synthesis wrote, as the tools and the tests see them: per environment its bootstrap
 * stack, its core stack and its pipeline stacks, read from `cdktf.out/manifest.json` (which also
 * holds the order cdktf and CI apply them in: a pipeline stack depends on its core).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bootstrapStackName, platformStackName } from "../../stacks/providers";

/** What a stack is to its environment. */
export type StackKind = "bootstrap" | "core" | "pipeline";

export interface SynthesizedStack {
  readonly name: string;
  readonly environment: string;
  readonly kind: StackKind;
  /** Its folder: `cdk.tf.json` and its assets. */
  readonly dir: string;
  /** Stacks applied before it (cdktf's `dependencies`). */
  readonly dependencies: readonly string[];
}

interface Manifest {
  readonly stacks: Readonly<Record<string, { readonly workingDirectory: string; readonly dependencies?: readonly string[] }>>;
}

export class SynthesizedLayoutError extends Error {
  override readonly name = "SynthesizedLayoutError";
}

/** Reads `<outdir>/manifest.json`; a missing or broken manifest is an error that says to synthesize. */
export function readManifest(outdir: string): Manifest {
  const file = join(outdir, "manifest.json");
  if (!existsSync(file)) throw new SynthesizedLayoutError(`${file} does not exist: synthesize first (npm run synth)`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Manifest;
  } catch (error) {
    throw new SynthesizedLayoutError(`${file} is not JSON: ${(error as Error).message}`);
  }
}

/**
 * Every stack of the given environments in `outdir`, each environment's bootstrap and core first,
 * then its pipeline stacks (those that depend on its core), by name.
 */
export function synthesizedStacks(outdir: string, environments: readonly string[]): SynthesizedStack[] {
  const manifest = readManifest(outdir);
  const stack = (name: string, environment: string, kind: StackKind): SynthesizedStack => {
    const entry = manifest.stacks[name];
    if (!entry) throw new SynthesizedLayoutError(`${join(outdir, "manifest.json")} has no stack ${name}`);
    return { name, environment, kind, dir: join(outdir, entry.workingDirectory), dependencies: [...(entry.dependencies ?? [])] };
  };
  const found: SynthesizedStack[] = [];
  for (const environment of environments) {
    const core = platformStackName({ name: environment });
    found.push(stack(bootstrapStackName({ name: environment }), environment, "bootstrap"), stack(core, environment, "core"));
    const pipelines = Object.keys(manifest.stacks).filter((name) => manifest.stacks[name].dependencies?.includes(core)).sort();
    found.push(...pipelines.map((name) => stack(name, environment, "pipeline")));
  }
  return found;
}

/** The synthesized JSON of a stack. */
export function readStackFile<T = Record<string, unknown>>(stack: Pick<SynthesizedStack, "dir" | "name">): T {
  const file = join(stack.dir, "cdk.tf.json");
  if (!existsSync(file)) throw new SynthesizedLayoutError(`${file} does not exist: synthesize first (npm run synth)`);
  return JSON.parse(readFileSync(file, "utf8")) as T;
}
