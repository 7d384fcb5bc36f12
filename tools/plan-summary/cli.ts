/**
 * plan-summary <plan.json> [--env <name>] [--format md|text] [--allow-destroy] [--max-chars N]
 * (usage and exit codes: PLAN_SUMMARY in args.ts, `--help`). The report goes to stdout in every
 * case where there is one (so CI can still post it), the reason for a non-zero exit to stderr.
 */
import { cliMain } from "../cli-args";
import { PLAN_SUMMARY, optionsFrom } from "./args";
import { summarizePlanText } from "./index";
import { PlanInputError } from "./parse";
import { readPlanFile } from "./read-file";
import { EXIT } from "./summarize";

cliMain(PLAN_SUMMARY, (parsed) => {
  const options = optionsFrom(parsed);
  try {
    const { output, exitCode } = summarizePlanText(readPlanFile(options.planFile), options);
    process.stdout.write(output);
    const message = PLAN_SUMMARY.exitCodes[exitCode];
    if (exitCode !== EXIT.ok) process.stderr.write(`plan-summary: ${options.planFile}: ${message}\n`);
    return exitCode;
  } catch (error) {
    if (!(error instanceof PlanInputError)) throw error;
    process.stderr.write(`plan-summary: ${options.planFile}: ${error.message}\n`);
    return EXIT.unusable;
  }
});
