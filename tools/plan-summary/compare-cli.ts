/**
 * compare-cli <reviewed-plan.json> <current-plan.json>
 *
 * Exit 0 when the current plan changes exactly what the reviewed plan did; 1 otherwise, or when
 * either file is unusable or errored. Used by the deploy workflow before `terraform apply`.
 */
import { comparePlans, describeComparison } from "./compare";
import { parsePlan, PlanInputError, type PlanSummaryInput } from "./parse";
import { readPlanFile } from "./read-file";

function loadPlan(path: string): PlanSummaryInput {
  try {
    const plan = parsePlan(JSON.parse(readPlanFile(path)));
    if (plan.errored) throw new PlanInputError("the plan errored");
    return plan;
  } catch (error) {
    throw new PlanInputError(`${path}: ${(error as Error).message}`);
  }
}

function main(args: readonly string[]): number {
  const [reviewedPath, currentPath, ...rest] = args;
  if (!reviewedPath || !currentPath || rest.length > 0) {
    process.stderr.write("usage: compare-cli <reviewed-plan.json> <current-plan.json>\n");
    return 1;
  }
  try {
    const comparison = comparePlans(loadPlan(reviewedPath), loadPlan(currentPath));
    (comparison.identical ? process.stdout : process.stderr).write(`${describeComparison(comparison)}\n`);
    return comparison.identical ? 0 : 1;
  } catch (error) {
    if (!(error instanceof PlanInputError)) throw error;
    process.stderr.write(`compare-plans: ${error.message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
