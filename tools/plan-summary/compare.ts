/**
 * Compares the plan about to be applied with the plan a reviewer saw on the PR. Values are not
 * compared (unknowns and timestamps differ between runs); what must match is WHICH resources
 * change and HOW: address, action, replace order and the attributes that force a replacement.
 */
import type { PlanSummaryInput, ResourceChangeSummary } from "./parse";

/** One line per resource that changes; no-op resources are not part of what was reviewed. */
export function changeFingerprint(change: ResourceChangeSummary): string {
  const order = change.replaceOrder ? ` (${change.replaceOrder})` : "";
  const forcedBy = change.replacePaths.length ? ` forced by ${change.replacePaths.join(", ")}` : "";
  return `${change.action}${order} ${change.address}${forcedBy}`;
}

export function planFingerprints(plan: PlanSummaryInput): string[] {
  return plan.resourceChanges
    .filter((change) => change.action !== "no-op")
    .map(changeFingerprint)
    .sort();
}

export interface PlanComparison {
  readonly identical: boolean;
  /** Reviewed on the PR, but not in the plan about to be applied. */
  readonly onlyReviewed: readonly string[];
  /** About to be applied, but nobody reviewed it. */
  readonly onlyCurrent: readonly string[];
}

export function comparePlans(reviewed: PlanSummaryInput, current: PlanSummaryInput): PlanComparison {
  const reviewedLines = planFingerprints(reviewed);
  const currentLines = planFingerprints(current);
  const onlyReviewed = reviewedLines.filter((line) => !currentLines.includes(line));
  const onlyCurrent = currentLines.filter((line) => !reviewedLines.includes(line));
  const identical = onlyReviewed.length === 0 && onlyCurrent.length === 0 && reviewedLines.length === currentLines.length;
  return { identical, onlyReviewed, onlyCurrent };
}

export function describeComparison(comparison: PlanComparison): string {
  if (comparison.identical) return "The plan matches the reviewed plan.";
  return [
    "The plan differs from the plan reviewed on the pull request; not applying.",
    ...comparison.onlyCurrent.map((line) => `  + not reviewed: ${line}`),
    ...comparison.onlyReviewed.map((line) => `  - reviewed, no longer planned: ${line}`),
    "Open a new pull request (or re-run its plan) so the current plan gets reviewed.",
  ].join("\n");
}
