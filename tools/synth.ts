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
import { bootstrapStackName, describeState, platformStackName } from "../stacks/providers";
import { validateConfiguration } from "../stacks/validate";
import { CommandSpec, EXIT, cliMain } from "./cli-args";

type StackJson = { resource?: Record<string, Record<string, unknown>> };

export const SYNTH: CommandSpec = {
  command: "npm run synth --",
  summary: "Validates every environment and pipeline together, then synthesizes each environment's stacks into cdktf.out/\n(no AWS account, credentials or Terraform providers needed). Invalid configuration is reported, every problem\nat once, and nothing is synthesized; stacks an earlier run left are removed.",
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

  const { environments } = configuration;
  const read = (name: string): StackJson => JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
  const width = Math.max(...environments.map((env) => platformStackName(env).length));
  for (const env of environments) {
    const platform = countResources(read(platformStackName(env)));
    const bootstrap = countResources(read(bootstrapStackName(env)));
    out.write(`${platformStackName(env).padEnd(width)}  ${String(platform).padStart(4)} resources  state ${describeState(env)}  (+ bootstrap: ${bootstrap} resources)`);
  }
  out.write(`synthesized ${environments.length} environments into ${outdir}/ in ${seconds.toFixed(2)} s`);
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
