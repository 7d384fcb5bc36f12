/**
 * plan-summary <plan.json> [--env <name>] [--format md|text] [--allow-destroy] [--max-chars N]
 *
 * Exit codes: 0 fine; 1 the plan errored, or the input is unusable; 2 a stateful resource would be
 * destroyed or replaced and --allow-destroy was not given. The report goes to stdout in every case
 * where there is one (so CI can still post it), the reason for a non-zero exit to stderr.
 */
import { parseArgs, USAGE, UsageError } from "./args";
import { summarizePlanText } from "./index";
import { PlanInputError } from "./parse";
import { readPlanFile } from "./read-file";
import { EXIT } from "./summarize";

const EXIT_MESSAGES: Record<number, string> = {
  [EXIT.failed]: "the plan errored: Terraform could not finish planning",
  [EXIT.guardrail]: "a stateful resource would be destroyed or replaced; add the allow-destroy label (or pass --allow-destroy) if that is intended",
};

function main(args: readonly string[]): number {
  let planFile = "(none)";
  try {
    const options = parseArgs(args);
    planFile = options.planFile;
    const { output, exitCode } = summarizePlanText(readPlanFile(options.planFile), options);
    process.stdout.write(output);
    const message = EXIT_MESSAGES[exitCode];
    if (message) process.stderr.write(`plan-summary: ${options.planFile}: ${message}\n`);
    return exitCode;
  } catch (error) {
    if (error instanceof UsageError) process.stderr.write(`plan-summary: ${error.message}\n${USAGE}\n`);
    else if (error instanceof PlanInputError) process.stderr.write(`plan-summary: ${planFile}: ${error.message}\n`);
    else throw error;
    return EXIT.failed;
  }
}

process.exitCode = main(process.argv.slice(2));
