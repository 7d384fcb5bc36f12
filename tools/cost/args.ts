/** Command-line arguments of `npm run cost`, parsed without a library (there are three). */
import { UsageError, valueOf } from "../cli-args";
import { OUTPUT_FORMATS, type OutputFormat } from "./render";

export { UsageError };

export interface CostOptions {
  /** One environment, or every one. */
  readonly env?: string;
  readonly format: OutputFormat;
  /** Where the synthesized stacks are (`<dir>/stacks/<stack>/cdk.tf.json`). */
  readonly synthDir: string;
  readonly help: boolean;
}

export const USAGE = `usage: npm run cost -- [--env <name>] [--format md|json|text] [--synth-dir <dir>]

Prints each environment's monthly cost: the idle floor (no data flowing) and the estimate at the
usage profile of its configuration, per module and per resource, with every assumption and every
resource it cannot price. Reads the synthesized stacks (synthesizing first when they are missing)
and the dated price table in tools/cost/price-table.ts. See docs/cost.md.

  --env <name>       one environment (default: all)
  --format <f>       md (default), json or text
  --synth-dir <dir>  synthesized output to read (default: cdktf.out)
  --help             this text

Exit codes: 0 the estimate was printed; 1 the input is unusable (invalid configuration, unreadable
synthesized output, a region the price table lacks); 2 a bad command line.`;

export function parseArgs(args: readonly string[], environments: readonly string[]): CostOptions {
  let env: string | undefined;
  let format: OutputFormat = "md";
  let synthDir = "cdktf.out";
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    switch (arg) {
      case "--env":
        env = valueOf(args, i++, arg);
        if (!environments.includes(env)) throw new UsageError(`--env ${env} is not an environment; the environments are ${environments.join(", ")}`);
        break;
      case "--format": {
        const value = valueOf(args, i++, arg);
        if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format must be ${OUTPUT_FORMATS.join(", ")}, not ${value}`);
        format = value as OutputFormat;
        break;
      }
      case "--synth-dir":
        synthDir = valueOf(args, i++, arg);
        break;
      case "--help":
      case "-h":
        help = true;
        break;
      default:
        throw new UsageError(arg.startsWith("-") ? `unknown option ${arg}` : `unexpected argument ${arg}`);
    }
  }
  return { ...(env === undefined ? {} : { env }), format, synthDir, help };
}
