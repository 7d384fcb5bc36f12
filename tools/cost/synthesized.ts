import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One `resource` block of a synthesized stack, as the estimate sees it. */
export interface SynthResource {
  /** Stack it belongs to, e.g. `data-platform-dev`. */
  readonly stack: string;
  /** The module that made it: the construct path's first part (`network`, `streaming`, …); `bootstrap` for the bootstrap stack. */
  readonly module: string;
  readonly type: string;
  /** Terraform address: `<type>.<name>`. */
  readonly address: string;
  /** Construct path without the stack, e.g. `streaming/attendees/stream`. */
  readonly path: string;
  readonly config: Readonly<Record<string, any>>;
}

export interface TerraformStackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, any>>>>>;
}

/** The resources of one synthesized stack. `moduleOverride` names every resource's module (the bootstrap stack). */
export function resourcesOfStack(stack: string, json: TerraformStackJson, moduleOverride?: string): SynthResource[] {
  const resources: SynthResource[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      const fullPath: string = config["//"]?.metadata?.path ?? `${stack}/${name}`;
      const path = fullPath.startsWith(`${stack}/`) ? fullPath.slice(stack.length + 1) : fullPath;
      resources.push({ stack, module: moduleOverride ?? path.split("/")[0] ?? "(stack)", type, address: `${type}.${name}`, path, config });
    }
  }
  return resources;
}

export class SynthesizedInputError extends Error {
  override readonly name = "SynthesizedInputError";
}

/** Reads `<outdir>/stacks/<stack>/cdk.tf.json`; a missing or broken file is an input error naming the path. */
export function readStackJson(outdir: string, stack: string): TerraformStackJson {
  const file = join(outdir, "stacks", stack, "cdk.tf.json");
  if (!existsSync(file)) throw new SynthesizedInputError(`${file} does not exist: synthesize first (npm run synth)`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as TerraformStackJson;
  } catch (error) {
    throw new SynthesizedInputError(`${file} is not JSON: ${(error as Error).message}`);
  }
}
