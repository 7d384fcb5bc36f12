/**
 * Checks a stack's plan (`terraform show -json`) during the migration, before it is applied:
 * nothing is destroyed or replaced; in a pipeline stack every moved resource is imported, with the
 * migration's id, and only re-created or new resources are created; in the core, what moved,
 * re-created or retired is gone from the plan (forgotten, not deleted).
 */
import type { PlanSummaryInput } from "../plan-summary/parse";
import type { Migration } from "./plan";

export function migrationPlanProblems(plan: PlanSummaryInput, migration: Migration, stack: string): string[] {
  if (plan.errored) return [`${stack}: the plan errored; nothing can be checked`];
  const problems: string[] = [];
  const changes = new Map(plan.resourceChanges.map((c) => [c.address, c]));
  for (const change of plan.resourceChanges) {
    if (change.action === "delete" || change.action === "replace" || change.action === "forget") {
      problems.push(`${stack}: ${change.address} would be ${change.action === "replace" ? "replaced" : change.action === "forget" ? "forgotten" : "destroyed"}: the migration destroys nothing`);
    }
  }
  if (stack === migration.core) {
    for (const address of migration.stateRemovals) {
      if (changes.has(address)) problems.push(`${stack}: ${address} is still in the core's plan: run the state removals first (core-state-rm.sh)`);
    }
    return problems;
  }
  const moves = migration.moves.filter((m) => m.stack === stack);
  const mayCreate = new Set([...migration.recreated, ...migration.created].filter((r) => r.stack === stack).map((r) => r.address));
  for (const move of moves) {
    const change = changes.get(move.address);
    if (!change) problems.push(`${stack}: ${move.address} is not in the plan: it would stay in no state`);
    else if (change.importingId === undefined) problems.push(`${stack}: ${move.address} is planned as ${change.action}, not imported: copy migration-imports.tf.json into the stack's folder`);
    else if (change.importingId !== move.importId) problems.push(`${stack}: ${move.address} imports ${JSON.stringify(change.importingId)}, not ${JSON.stringify(move.importId)}`);
  }
  for (const change of plan.resourceChanges) {
    if (change.action === "create" && !mayCreate.has(change.address)) problems.push(`${stack}: ${change.address} would be created, but it exists: it must be imported`);
  }
  return problems;
}
