/**
 * `npm run synth`: validates all configuration, synthesizes every environment into `cdktf.out/`,
 * and prints one line per environment. Needs no AWS credentials and no terraform binary.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS } from "../environments";
import { ConfigValidationError } from "../lib/validation";
import { reportInvalidConfiguration, synthesizeApp } from "../main";
import { PIPELINE_DEFINITIONS } from "../pipelines";
import { bootstrapStackName, describeState, pipelineStackName, pipelineStateKey, platformStackName } from "../stacks/providers";
import { resolvePipelineSettings } from "../pipelines";
import { validateConfiguration } from "../stacks/validate";
import { CommandSpec, EXIT, cliMain } from "./cli-args";

type StackJson = { resource?: Record<string, Record<string, unknown>> };

export const SYNTH: CommandSpec = {
  command: "npm run synth --",
  summary: "Validates every environment and pipeline together, then synthesizes each environment's stacks into cdktf.out/\n(its core stack, one stack per pipeline, its bootstrap stack; no AWS account, credentials or Terraform providers\nneeded) and prints each with its resources and its state. Invalid configuration is reported, every problem\nat once, and nothing is synthesized; stacks an earlier run left are removed.",
  options: [],
  exitCodes: {},
};

/** Counts `resource` blocks (every type, every name) in a synthesized stack. */
export function countResources(stackJson: StackJson): number {
  return Object.values(stackJson.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

export interface SynthOutput {
  write(line: string): void;
  error(text: string): void;
}

/**
 * Validates `configs` with every pipeline, then synthesizes into `outdir`. Returns the exit code;
 * on invalid input it synthesizes nothing and retires what an earlier run left there.
 */
export function synthesize(configs: readonly unknown[], outdir: string, out: SynthOutput, pipelines: readonly unknown[] = PIPELINE_DEFINITIONS): number {
  let configuration;
  try {
    configuration = validateConfiguration({ environments: configs, pipelines });
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    out.error(reportInvalidConfiguration(error, outdir));
    return EXIT.usage;
  }
  const started = process.hrtime.bigint();
  synthesizeApp(outdir, out.error, configuration);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const { environments, pipelines: compiled } = configuration;
  const read = (name: string): StackJson => JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
  // Per environment its core, then its pipeline stacks indented under it: each with its own state.
  const rows = environments.flatMap((env) => [
    { label: platformStackName(env), stack: platformStackName(env), state: describeState(env), note: `  (+ bootstrap: ${countResources(read(bootstrapStackName(env)))} resources)` },
    ...compiled
      .filter((p) => resolvePipelineSettings(p.definition, env).enabled)
      .map((p) => ({ label: `  ${pipelineStackName(env, p.name)}`, stack: pipelineStackName(env, p.name), state: describeState(env, pipelineStateKey(env, p.name)), note: "" })),
  ]);
  const width = Math.max(...rows.map((row) => row.label.length));
  for (const row of rows) out.write(`${row.label.padEnd(width)}  ${String(countResources(read(row.stack))).padStart(4)} resources  state ${row.state}${row.note}`);
  out.write(`synthesized ${environments.length} environments (${rows.length} stacks besides bootstrap) into ${outdir}/ in ${seconds.toFixed(2)} s`);
  return EXIT.ok;
}

if (require.main === module) {
  cliMain(SYNTH, () =>
    synthesize(ENVIRONMENT_CONFIGS, "cdktf.out", {
      write: (line) => process.stdout.write(`${line}\n`),
      error: (text) => process.stderr.write(text),
    }),
  );
}
