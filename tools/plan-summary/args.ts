/** Command-line arguments of the plan summarizer, parsed without a library (there are five). */
import { UsageError, valueOf } from "../cli-args";
import { DEFAULT_MAX_CHARS, type OutputFormat } from "./render";

export { UsageError };

export interface CliOptions {
  readonly planFile: string;
  readonly env: string;
  readonly format: OutputFormat;
  readonly allowDestroy: boolean;
  readonly maxChars: number;
}

export const USAGE = "usage: plan-summary <plan.json> [--env <name>] [--format md|text] [--allow-destroy] [--max-chars N]";

/** Below this the marker, heading and truncation note no longer fit. */
const MIN_MAX_CHARS = 1000;


export function parseArgs(args: readonly string[]): CliOptions {
  let planFile: string | undefined;
  let env = "default";
  let format: OutputFormat = "md";
  let allowDestroy = false;
  let maxChars = DEFAULT_MAX_CHARS;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    switch (arg) {
      case "--env":
        env = valueOf(args, i++, arg);
        // The env lands in an HTML comment marker and a heading: keep it to a safe alphabet.
        if (!/^[A-Za-z0-9_.-]+$/.test(env)) throw new UsageError(`--env must be letters, digits, '.', '_' or '-': ${env}`);
        break;
      case "--format": {
        const value = valueOf(args, i++, arg);
        if (value !== "md" && value !== "text") throw new UsageError(`--format must be md or text, not ${value}`);
        format = value;
        break;
      }
      case "--allow-destroy":
        allowDestroy = true;
        break;
      case "--max-chars": {
        const value = valueOf(args, i++, arg);
        maxChars = Number(value);
        if (!Number.isInteger(maxChars) || maxChars < MIN_MAX_CHARS) {
          throw new UsageError(`--max-chars must be an integer >= ${MIN_MAX_CHARS}, not ${value}`);
        }
        break;
      }
      default:
        if (arg.startsWith("--")) throw new UsageError(`unknown option ${arg}`);
        if (planFile !== undefined) throw new UsageError(`only one plan file, got ${planFile} and ${arg}`);
        planFile = arg;
    }
  }
  if (planFile === undefined) throw new UsageError("no plan file given");
  return { planFile, env, format, allowDestroy, maxChars };
}
