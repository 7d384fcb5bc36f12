/** Groups a parsed plan for review and decides the exit code. No I/O, no formatting. */
import { findDestructiveStatefulChanges, type GuardrailFinding } from "./guardrail";
import type { OutputChangeSummary, PlanAction, PlanSummaryInput, ResourceChangeSummary } from "./parse";

/** The order reviewers read groups in: what is added, changed, rebuilt, removed, then reads. */
export const LISTED_ACTIONS = ["create", "update", "replace", "delete", "forget", "read"] as const satisfies readonly PlanAction[];
export const COUNTED_ACTIONS = [...LISTED_ACTIONS, "no-op"] as const satisfies readonly PlanAction[];

/** The exit codes every tool shares (tools/cli-args.ts), and 3 for the destroy guardrail. */
export const EXIT = { ok: 0, failed: 1, unusable: 2, guardrail: 3 } as const;

export interface PlanSummary {
  readonly env: string;
  /** The stack the plan is for, where an environment has several. */
  readonly stack?: string;
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  readonly errored: boolean;
  readonly counts: Readonly<Record<PlanAction, number>>;
  /** Resources by action; no-op is counted but never listed. */
  readonly groups: ReadonlyArray<{ readonly action: PlanAction; readonly changes: readonly ResourceChangeSummary[] }>;
  readonly guardrailFindings: readonly GuardrailFinding[];
  readonly destroyAllowed: boolean;
  /** Resources imported without any change (no-op): listed with the imports of the groups above. */
  readonly imports: readonly ResourceChangeSummary[];
  readonly drift: readonly ResourceChangeSummary[];
  /** Outputs whose action is not no-op. */
  readonly outputChanges: readonly OutputChangeSummary[];
  readonly exitCode: number;
}

export interface SummarizeOptions {
  readonly env: string;
  /** @default none: the plan is the environment's */
  readonly stack?: string;
  readonly allowDestroy: boolean;
}

export function countByAction(changes: readonly ResourceChangeSummary[]): Record<PlanAction, number> {
  const counts = Object.fromEntries(COUNTED_ACTIONS.map((action) => [action, 0])) as Record<PlanAction, number>;
  for (const change of changes) counts[change.action]++;
  return counts;
}

/** Errors win over the guardrail: an errored plan says nothing reliable about what it destroys. */
export function exitCodeFor(errored: boolean, findings: readonly GuardrailFinding[], allowDestroy: boolean): number {
  if (errored) return EXIT.failed;
  if (findings.length > 0 && !allowDestroy) return EXIT.guardrail;
  return EXIT.ok;
}

export function summarizePlan(plan: PlanSummaryInput, options: SummarizeOptions): PlanSummary {
  const findings = findDestructiveStatefulChanges(plan.resourceChanges);
  const groups = LISTED_ACTIONS.map((action) => ({
    action,
    changes: plan.resourceChanges.filter((change) => change.action === action),
  })).filter((group) => group.changes.length > 0);
  return {
    env: options.env,
    ...(options.stack ? { stack: options.stack } : {}),
    formatVersion: plan.formatVersion,
    ...(plan.terraformVersion ? { terraformVersion: plan.terraformVersion } : {}),
    errored: plan.errored,
    counts: countByAction(plan.resourceChanges),
    groups,
    guardrailFindings: findings,
    destroyAllowed: options.allowDestroy,
    imports: plan.resourceChanges.filter((change) => change.action === "no-op" && change.importingId !== undefined),
    drift: plan.resourceDrift,
    outputChanges: plan.outputChanges.filter((output) => output.action !== "no-op"),
    exitCode: exitCodeFor(plan.errored, findings, options.allowDestroy),
  };
}

/**
 * What an environment's comment needs of one stack's plan (`--format json`): its counts, its
 * guardrail findings and its exit code. Addresses and types only, never a value.
 */
export interface StackPlanResult {
  readonly env: string;
  readonly stack: string;
  readonly errored: boolean;
  readonly exitCode: number;
  readonly destroyAllowed: boolean;
  readonly counts: Readonly<Record<PlanAction, number>>;
  readonly guardrail: readonly { readonly address: string; readonly type: string; readonly action: PlanAction; readonly reason: string }[];
}

export function stackPlanResult(summary: PlanSummary): StackPlanResult {
  return {
    env: summary.env,
    stack: summary.stack ?? summary.env,
    errored: summary.errored,
    exitCode: summary.exitCode,
    destroyAllowed: summary.destroyAllowed,
    counts: summary.counts,
    guardrail: summary.guardrailFindings.map(({ change, reason }) => ({ address: change.address, type: change.type, action: change.action, reason })),
  };
}
