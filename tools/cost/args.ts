/** Command-line arguments of `npm run cost`, declared with the tools' shared conventions (tools/cli-args.ts). */
import { CommandSpec, UsageError, checkEnvironment, parseCommandLine } from "../cli-args";
import { OUTPUT_FORMATS, type OutputFormat } from "./render";

export { UsageError };

export interface CostOptions {
  /** One environment, or every one. */
  readonly env?: string;
  readonly format: OutputFormat;
  /** Where the synthesized stacks are (`<dir>/stacks/<stack>/cdk.tf.json`). */
  readonly synthDir: string;
}

export const COST_COMMAND: CommandSpec = {
  command: "npm run cost --",
  summary: [
    "Prints each environment's monthly cost: the idle floor (no data flowing) and the estimate at the",
    "usage profile of its configuration, per module and per resource, with every assumption and every",
    "resource it cannot price. Reads the synthesized stacks (synthesizing first when they are missing)",
    "and the dated price table in tools/cost/price-table.ts. See docs/cost.md.",
  ].join("\n"),
  options: [
    { flag: "--env", value: "<name>", help: "one environment (default: all)" },
    { flag: "--format", value: "<md|json|text>", help: "md (default), json or text" },
    { flag: "--synth-dir", value: "<dir>", help: "synthesized output to read (default: cdktf.out)" },
  ],
  exitCodes: { 1: "the input is unusable: unreadable synthesized output, a region the price table lacks" },
};

export function parseArgs(args: readonly string[], environments: readonly string[]): CostOptions {
  const { options } = parseCommandLine(COST_COMMAND, args);
  const env = options.get("--env") as string | undefined;
  const format = (options.get("--format") as string | undefined) ?? "md";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${OUTPUT_FORMATS.join(", ")}, not ${format}`);
  return {
    ...(env === undefined ? {} : { env: checkEnvironment(env, { names: environments, which: "defined environments" }) }),
    format: format as OutputFormat,
    synthDir: (options.get("--synth-dir") as string | undefined) ?? "cdktf.out",
  };
}
