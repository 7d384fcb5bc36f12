import { blocks, parseJsonAttribute } from "./harness";
import { PolicyContext, ResourceBlock } from "./types";

/** One statement of any IAM policy document in a stack, normalised to lists. */
export interface NormalisedStatement {
  readonly sid?: string;
  readonly effect: string;
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly principal: unknown;
  readonly condition?: Record<string, Record<string, unknown>>;
}

export type DocumentKind = "identity" | "resource" | "trust";

/** A policy document found in the stack, where it was, and what kind it is. */
export interface FoundDocument {
  readonly kind: DocumentKind;
  readonly where: string;
  readonly statements: NormalisedStatement[];
}

const list = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

export function normalise(document: unknown): NormalisedStatement[] {
  const statements = (document as { Statement?: unknown } | undefined)?.Statement;
  const all = Array.isArray(statements) ? statements : statements ? [statements] : [];
  return all.map((s: Record<string, unknown>) => ({
    sid: s.Sid as string | undefined,
    effect: String(s.Effect),
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    principal: s.Principal,
    condition: s.Condition as NormalisedStatement["condition"],
  }));
}

/** Where each resource type keeps its policy documents. */
const DOCUMENT_ATTRIBUTES: Record<string, { attribute: string; kind: DocumentKind }[]> = {
  aws_iam_role: [{ attribute: "assume_role_policy", kind: "trust" }],
  aws_iam_role_policy: [{ attribute: "policy", kind: "identity" }],
  aws_iam_policy: [{ attribute: "policy", kind: "identity" }],
  aws_kms_key: [{ attribute: "policy", kind: "resource" }],
  aws_s3_bucket_policy: [{ attribute: "policy", kind: "resource" }],
  aws_sqs_queue_policy: [{ attribute: "policy", kind: "resource" }],
  aws_sns_topic_policy: [{ attribute: "policy", kind: "resource" }],
  aws_secretsmanager_secret_policy: [{ attribute: "policy", kind: "resource" }],
};

export function documentsOf(resource: ResourceBlock): FoundDocument[] {
  const found: FoundDocument[] = [];
  for (const { attribute, kind } of DOCUMENT_ATTRIBUTES[resource.type] ?? []) {
    const doc = parseJsonAttribute(resource.config[attribute]);
    if (doc) found.push({ kind, where: `${resource.address}.${attribute}`, statements: normalise(doc) });
  }
  if (resource.type === "aws_iam_role") {
    blocks(resource.config.inline_policy).forEach((inline, i) => {
      const doc = parseJsonAttribute(inline.policy);
      if (doc) found.push({ kind: "identity", where: `${resource.address}.inline_policy[${i}]`, statements: normalise(doc) });
    });
  }
  return found;
}

export const POLICY_RESOURCE_TYPES = Object.keys(DOCUMENT_ATTRIBUTES);

export function allDocuments(context: PolicyContext): FoundDocument[] {
  return POLICY_RESOURCE_TYPES.flatMap((type) => context.resourcesOfType(type).flatMap(documentsOf));
}
