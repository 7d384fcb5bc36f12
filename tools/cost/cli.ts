/**
 * npm run cost -- [--env <name>] [--format md|json|text] [--synth-dir <dir>]   (see args.ts, docs/cost.md)
 *
 * Exit codes: 0 the estimate was printed; 1 the input is unusable; 2 a bad command line.
 */
import { ENVIRONMENT_CONFIGS, validateEnvironments } from "../../environments";
import { ConfigValidationError } from "../../lib/validation";
import { synthesize } from "../synth";
import { parseArgs, USAGE, UsageError } from "./args";
import { costReport, estimateAll, isSynthesized, PriceTableError, renderReport } from "./index";
import { PRICE_TABLE } from "./price-table";
import { ScheduleError } from "./schedule";
import { SynthesizedInputError } from "./synthesized";

export const EXIT = { ok: 0, input: 1, usage: 2 } as const;

function main(args: readonly string[]): number {
  try {
    const all = validateEnvironments(ENVIRONMENT_CONFIGS);
    const options = parseArgs(args, all.map((e) => e.name));
    if (options.help) {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (!isSynthesized(options.synthDir, all)) {
      // Progress goes to stderr: stdout carries only the report (CI redirects it to a file).
      const code = synthesize(ENVIRONMENT_CONFIGS, options.synthDir, { write: (line) => process.stderr.write(`${line}\n`), error: (text) => process.stderr.write(text) });
      if (code !== 0) return EXIT.input;
    }
    const environments = options.env ? all.filter((e) => e.name === options.env) : all;
    process.stdout.write(renderReport(costReport(estimateAll(options.synthDir, environments), PRICE_TABLE), options.format));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`cost: ${error.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    if (error instanceof ConfigValidationError || error instanceof SynthesizedInputError || error instanceof PriceTableError || error instanceof ScheduleError) {
      process.stderr.write(`cost: ${error.message}\n`);
      return EXIT.input;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
