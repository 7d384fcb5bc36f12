/**
 * compare-cli <reviewed-plan.json> <current-plan.json> (usage and exit codes: `--help`).
 * Used by the deploy workflow before `terraform apply`: only the plan that was reviewed is applied.
 */
import { CommandSpec, EXIT, cliMain } from "../cli-args";
import { comparePlans, describeComparison } from "./compare";
import { parsePlan, PlanInputError, type PlanSummaryInput } from "./parse";
import { readPlanFile } from "./read-file";

export const COMPARE_PLANS: CommandSpec = {
  command: "node -r ./tools/register.js tools/plan-summary/compare-cli.ts",
  positionals: ["<reviewed-plan.json>", "<current-plan.json>"],
  summary: "Compares the plan made before apply with the plan that was reviewed: the same resources, the same actions.",
  options: [],
  exitCodes: { [EXIT.failed]: "the plans differ, or one of them errored", [EXIT.usage]: "bad input: command line, or a file that is not a readable plan" },
};

function loadPlan(path: string): PlanSummaryInput {
  try {
    return parsePlan(JSON.parse(readPlanFile(path)));
  } catch (error) {
    throw new PlanInputError(`${path}: ${(error as Error).message}`);
  }
}

cliMain(COMPARE_PLANS, ({ positionals: [reviewedPath, currentPath] }) => {
  let reviewed: PlanSummaryInput;
  let current: PlanSummaryInput;
  try {
    [reviewed, current] = [loadPlan(reviewedPath), loadPlan(currentPath)];
  } catch (error) {
    if (!(error instanceof PlanInputError)) throw error;
    process.stderr.write(`compare-plans: ${error.message}\n`);
    return EXIT.usage;
  }
  const errored = [reviewed, current].some((plan) => plan.errored);
  if (errored) {
    process.stderr.write(`compare-plans: ${reviewed.errored ? reviewedPath : currentPath}: the plan errored\n`);
    return EXIT.failed;
  }
  const comparison = comparePlans(reviewed, current);
  (comparison.identical ? process.stdout : process.stderr).write(`${describeComparison(comparison)}\n`);
  return comparison.identical ? EXIT.ok : EXIT.failed;
});
