/**
 * The destroy guardrail: deleting or replacing a resource that holds data cannot be undone by
 * re-applying, so such a plan must be acknowledged (the `allow-destroy` PR label, which CI turns
 * into `--allow-destroy`).
 */
import type { ResourceChangeSummary } from "./parse";

export interface StatefulRule {
  readonly type: string;
  /** Narrows the rule to some addresses of the type (more specific rules are listed first). */
  readonly addressPattern?: RegExp;
  readonly reason: string;
}

/** Data, not code: add a type here with the reason a reviewer will read in the warning. */
export const STATEFUL_RULES: readonly StatefulRule[] = [
  {
    type: "aws_s3_bucket",
    addressPattern: /(^|[._"-])(terraform_?state|tf_?state|state_?bucket)/i,
    reason: "Terraform state bucket: losing it loses track of every resource in every environment",
  },
  { type: "aws_s3_bucket", reason: "data lake / artifact bucket: objects are gone with the bucket" },
  { type: "aws_kms_key", reason: "KMS key: everything encrypted with it becomes unreadable once it is deleted" },
  { type: "aws_kinesis_stream", reason: "Kinesis stream: records not yet consumed are lost" },
  { type: "aws_glue_catalog_database", reason: "Glue database: drops every table definition in it" },
  { type: "aws_glue_catalog_table", reason: "Glue table: schema and partition metadata are lost" },
  { type: "aws_redshiftserverless_namespace", reason: "Redshift Serverless namespace: the warehouse data lives here" },
  { type: "aws_secretsmanager_secret", reason: "Secrets Manager secret: the secret value is lost after the recovery window" },
];

export interface GuardrailFinding {
  readonly change: ResourceChangeSummary;
  readonly reason: string;
}

const DESTRUCTIVE_ACTIONS = new Set(["delete", "replace"]);

/** The rule that applies to an address of a type, if any (first match wins). */
export function statefulRuleFor(
  type: string,
  address: string,
  rules: readonly StatefulRule[] = STATEFUL_RULES,
): StatefulRule | undefined {
  return rules.find((rule) => rule.type === type && (!rule.addressPattern || rule.addressPattern.test(address)));
}

/** Every delete or replace of a stateful resource, in plan order. */
export function findDestructiveStatefulChanges(
  changes: readonly ResourceChangeSummary[],
  rules: readonly StatefulRule[] = STATEFUL_RULES,
): GuardrailFinding[] {
  return changes.flatMap((change) => {
    if (!DESTRUCTIVE_ACTIONS.has(change.action)) return [];
    const rule = statefulRuleFor(change.type, change.address, rules);
    return rule ? [{ change, reason: rule.reason }] : [];
  });
}
