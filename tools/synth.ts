/**
 * `npm run synth`: validates all configuration, synthesizes every environment into `cdktf.out/`,
 * and prints one line per environment. Needs no AWS credentials and no terraform binary.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS, validateEnvironments } from "../environments";
import { ConfigValidationError } from "../lib/validation";
import { buildApp } from "../main";
import { loadPipelines } from "../pipelines";
import { bootstrapStackName, describeState, platformStackName } from "../stacks/providers";

type StackJson = { resource?: Record<string, Record<string, unknown>> };

/** Counts `resource` blocks (every type, every name) in a synthesized stack. */
export function countResources(stackJson: StackJson): number {
  return Object.values(stackJson.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

export interface SynthOutput {
  write(line: string): void;
  error(text: string): void;
}

/**
 * Validates `configs` and every pipeline, then synthesizes into `outdir`. Returns the exit code;
 * on invalid input it writes nothing at all.
 */
export function synthesize(configs: readonly unknown[], outdir: string, out: SynthOutput): number {
  let environments, pipelines;
  try {
    environments = validateEnvironments(configs);
    pipelines = loadPipelines(environments.map((e) => e.name));
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      out.error(`${error.message}\n\nNothing was synthesized.\n`);
      return 1;
    }
    throw error;
  }
  const started = process.hrtime.bigint();
  buildApp({ outdir, environments, pipelines }).synth();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const read = (name: string): StackJson => JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
  const width = Math.max(...environments.map((env) => platformStackName(env).length));
  for (const env of environments) {
    const platform = countResources(read(platformStackName(env)));
    const bootstrap = countResources(read(bootstrapStackName(env)));
    out.write(`${platformStackName(env).padEnd(width)}  ${String(platform).padStart(4)} resources  state ${describeState(env)}  (+ bootstrap: ${bootstrap} resources)`);
  }
  out.write(`synthesized ${environments.length} environments into ${outdir}/ in ${seconds.toFixed(2)} s`);
  return 0;
}

if (require.main === module) {
  process.exitCode = synthesize(ENVIRONMENT_CONFIGS, "cdktf.out", {
    write: (line) => process.stdout.write(`${line}\n`),
    error: (text) => process.stderr.write(text),
  });
}
