/**
 * `npm run synth`: validates all configuration, synthesizes every environment into `cdktf.out/`,
 * and prints one line per environment. Needs no AWS credentials and no terraform binary.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigValidationError } from "../lib/validation";
import { buildApp } from "../main";
import { loadEnvironments } from "../environments";
import { loadPipelines } from "../pipelines";
import { bootstrapStackName, describeState, platformStackName } from "../stacks/providers";

const OUTDIR = "cdktf.out";

/** Counts `resource` blocks (every type, every name) in a synthesized stack. */
export function countResources(stackJson: { resource?: Record<string, Record<string, unknown>> }): number {
  return Object.values(stackJson.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

function readStack(name: string): { resource?: Record<string, Record<string, unknown>> } {
  return JSON.parse(readFileSync(join(OUTDIR, "stacks", name, "cdk.tf.json"), "utf8"));
}

function main(): number {
  let environments, pipelines;
  try {
    environments = loadEnvironments();
    pipelines = loadPipelines(environments.map((e) => e.name));
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n\nNothing was synthesized.\n`);
      return 1;
    }
    throw error;
  }
  const started = process.hrtime.bigint();
  buildApp({ outdir: OUTDIR, environments, pipelines }).synth();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const width = Math.max(...environments.map((env) => platformStackName(env).length));
  for (const env of environments) {
    const platform = countResources(readStack(platformStackName(env)));
    const bootstrap = countResources(readStack(bootstrapStackName(env)));
    process.stdout.write(
      `${platformStackName(env).padEnd(width)}  ${String(platform).padStart(4)} resources  state ${describeState(env)}  (+ bootstrap: ${bootstrap} resources)\n`,
    );
  }
  process.stdout.write(`synthesized ${environments.length} environments into ${OUTDIR}/ in ${seconds.toFixed(2)} s\n`);
  return 0;
}

if (require.main === module) process.exitCode = main();
