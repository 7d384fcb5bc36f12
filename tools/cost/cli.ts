/**
 * npm run cost -- [--env <name>] [--format md|json|text] [--synth-dir <dir>]   (see args.ts, docs/cost.md)
 *
 * Exit codes (tools/cli-args.ts): 0 the estimate was printed; 1 the input is unusable; 2 a bad
 * command line or configuration.
 */
import { ENVIRONMENT_CONFIGS, validateEnvironments } from "../../environments";
import { EXIT, cliMain } from "../cli-args";
import { synthesize } from "../synth";
import { COST_COMMAND, parseArgs } from "./args";
import { costReport, estimateAll, isSynthesized, PriceTableError, renderReport } from "./index";
import { PRICE_TABLE } from "./price-table";
import { ScheduleError } from "./schedule";
import { SynthesizedInputError } from "./synthesized";

cliMain(COST_COMMAND, () => {
  const all = validateEnvironments(ENVIRONMENT_CONFIGS);
  const options = parseArgs(process.argv.slice(2), all.map((e) => e.name));
  try {
    if (!isSynthesized(options.synthDir, all)) {
      // Progress goes to stderr: stdout carries only the report (CI redirects it to a file).
      const code = synthesize(ENVIRONMENT_CONFIGS, options.synthDir, { write: (line) => process.stderr.write(`${line}\n`), error: (text) => process.stderr.write(text) });
      if (code !== 0) return EXIT.usage;
    }
    const environments = options.env ? all.filter((e) => e.name === options.env) : all;
    process.stdout.write(renderReport(costReport(estimateAll(options.synthDir, environments), PRICE_TABLE), options.format));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof SynthesizedInputError || error instanceof PriceTableError || error instanceof ScheduleError) {
      process.stderr.write(`cost: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
});
