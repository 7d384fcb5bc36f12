import { parseJsonAttribute } from "../harness";
import { PolicyRule } from "../types";

interface KeyPolicyStatement {
  Effect?: string;
  Principal?: unknown;
  Condition?: unknown;
  Sid?: string;
}

/** True for `"*"` or `{ AWS: "*" }` (or a list containing `*`): anyone at all. */
export function isWildcardPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal && typeof principal === "object") {
    return Object.values(principal).some((v) => v === "*" || (Array.isArray(v) && v.includes("*")));
  }
  return false;
}

export const PROD_MIN_LOG_RETENTION_DAYS = 365;

export const keysAndLogsRules: PolicyRule[] = [
  {
    id: "KMS-ROT",
    description: "enable_key_rotation = true",
    references: ["CKV_AWS_7", "AwsSolutions-KMS5"],
    resourceTypes: ["aws_kms_key"],
    check: (key) => (key!.config.enable_key_rotation === true ? [] : ["key rotation is not enabled"]),
  },
  {
    id: "KMS-POL",
    description: "A key policy is defined and grants no * principal without conditions",
    references: ["CKV_AWS_33", "CKV2_AWS_64"],
    resourceTypes: ["aws_kms_key"],
    check: (key) => {
      const policy = parseJsonAttribute(key!.config.policy) as { Statement?: KeyPolicyStatement[] } | undefined;
      if (!policy?.Statement) return ["no key policy (the default policy would apply)"];
      return policy.Statement.filter((s) => s.Effect === "Allow" && isWildcardPrincipal(s.Principal) && !s.Condition).map(
        (s) => `statement ${s.Sid ?? "(no Sid)"} allows principal * without a condition`,
      );
    },
  },
  {
    id: "LOG-KMS",
    description: "CloudWatch log groups encrypted with the platform key",
    references: ["CKV_AWS_158"],
    resourceTypes: ["aws_cloudwatch_log_group"],
    check: (group) => (group!.config.kms_key_id ? [] : ["log group is not encrypted with a KMS key"]),
  },
  {
    id: "LOG-RET",
    description: "Log retention set (prod at least 365 days)",
    references: ["CKV_AWS_66", "CKV_AWS_338"],
    resourceTypes: ["aws_cloudwatch_log_group"],
    check: (group, context) => {
      const days = group!.config.retention_in_days;
      if (typeof days !== "number" || days <= 0) return ["retention_in_days is not set (logs would be kept forever, unbudgeted)"];
      if (context.production && days < PROD_MIN_LOG_RETENTION_DAYS) return [`retention is ${days} days; prod keeps logs at least ${PROD_MIN_LOG_RETENTION_DAYS}`];
      return [];
    },
  },
  {
    id: "SEC-KMS",
    description: "Secrets Manager secrets use the platform key",
    references: ["CKV_AWS_149"],
    resourceTypes: ["aws_secretsmanager_secret"],
    check: (secret) => (secret!.config.kms_key_id ? [] : ["secret uses the AWS-managed key, not the platform key"]),
  },
];
