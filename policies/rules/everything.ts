import { NAME_PREFIX, NAME_RULES, NameKind } from "../../lib/naming";
import { REQUIRED_TAG_KEYS } from "../../lib/tags";
import { block, lifecycleOf } from "../harness";
import { PolicyRule, TerraformJson } from "../types";

/** Which attribute holds each resource type's name, and which naming rule it follows. */
export const NAMED_RESOURCES: Record<string, { attribute: string; kind: NameKind }> = {
  aws_s3_bucket: { attribute: "bucket", kind: "s3Bucket" },
  aws_iam_role: { attribute: "name", kind: "iamRole" },
  aws_iam_policy: { attribute: "name", kind: "iamPolicy" },
  aws_kinesis_stream: { attribute: "name", kind: "kinesisStream" },
  aws_glue_job: { attribute: "name", kind: "glueJob" },
  aws_glue_crawler: { attribute: "name", kind: "glueCrawler" },
  aws_glue_security_configuration: { attribute: "name", kind: "glueSecurityConfiguration" },
  aws_glue_connection: { attribute: "name", kind: "glueConnection" },
  aws_glue_catalog_database: { attribute: "name", kind: "glueDatabase" },
  aws_athena_workgroup: { attribute: "name", kind: "athenaWorkgroup" },
  aws_redshiftserverless_namespace: { attribute: "namespace_name", kind: "redshiftNamespace" },
  aws_redshiftserverless_workgroup: { attribute: "workgroup_name", kind: "redshiftWorkgroup" },
  aws_sfn_state_machine: { attribute: "name", kind: "stateMachine" },
  aws_cloudwatch_event_rule: { attribute: "name", kind: "eventRule" },
  aws_scheduler_schedule: { attribute: "name", kind: "schedule" },
  aws_sqs_queue: { attribute: "name", kind: "sqsQueue" },
  aws_sns_topic: { attribute: "name", kind: "snsTopic" },
  aws_cloudwatch_metric_alarm: { attribute: "alarm_name", kind: "cloudwatchAlarm" },
  aws_cloudwatch_log_group: { attribute: "name", kind: "logGroup" },
  aws_secretsmanager_secret: { attribute: "name", kind: "secret" },
  aws_security_group: { attribute: "name", kind: "securityGroup" },
};

/** Names the platform does not choose: they come from outside, and say so here. */
export const FOREIGN_NAMES: { pattern: RegExp; reason: string }[] = [
  { pattern: /^dp-terraform-state-\d{12}$/, reason: "the state bucket is named in the environment file, before any platform name exists" },
];

/** The environment-scoped prefixes a name may start with, per separator style. */
export function conventionPrefixes(environment: string): string[] {
  return [`${NAME_PREFIX}-${environment}-`, `${NAME_PREFIX}_${environment}_`, `/`];
}

/** Attribute names whose literal value would be a secret. */
export const SECRET_ATTRIBUTE = /(password|passwd|secret_string|secret_key|secret_access_key|private_key|api_key|token)$/i;
/** Values that look like credentials whatever attribute holds them. */
export const SECRET_VALUE_PATTERNS: { name: string; pattern: RegExp }[] = [
  { name: "AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: "GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: "password in a connection URL", pattern: /:\/\/[^/\s:@]+:[^/\s@]+@/ },
];

/** Walks every string in the synthesized JSON, with its path. */
export function* stringsIn(value: unknown, path: string[] = []): Generator<{ path: string[]; value: string }> {
  if (typeof value === "string") yield { path, value };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* stringsIn(v, [...path, String(i)]);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) yield* stringsIn(v, [...path, k]);
}

export function secretFindings(json: TerraformJson): string[] {
  const findings: string[] = [];
  for (const { path, value } of stringsIn(json)) {
    const attribute = path[path.length - 1] ?? "";
    const where = path.join(".");
    if (SECRET_ATTRIBUTE.test(attribute) && value !== "" && !value.startsWith("${")) {
      findings.push(`${where} holds a literal value for a secret attribute`);
    }
    for (const { name, pattern } of SECRET_VALUE_PATTERNS) {
      if (pattern.test(value)) findings.push(`${where} contains what looks like a ${name}`);
    }
  }
  return findings;
}

/**
 * Resource types that hold data or the keys to it: destroying one in prod loses data. Buckets are
 * covered by S3-PROD (which also checks force_destroy).
 */
export const STATEFUL_TYPES: Record<string, string> = {
  aws_kms_key: "everything the platform stores is encrypted with it",
  aws_kinesis_stream: "unconsumed records (up to a week in prod) live only here",
  aws_glue_catalog_database: "the catalog's tables and partitions",
  aws_glue_catalog_table: "a declared table and its partitions",
  aws_redshiftserverless_namespace: "the warehouse's data",
  aws_secretsmanager_secret: "the masking pepper and database credentials: a new pepper changes every hash",
};

export const everythingRules: PolicyRule[] = [
  {
    id: "PROD-STATEFUL",
    description: "In prod, every stateful resource (keys, streams, catalog, warehouse, secrets) has prevent_destroy",
    references: ["brief: prod is protected from accidental destruction"],
    resourceTypes: Object.keys(STATEFUL_TYPES),
    notApplicable: (context) => (context.production ? undefined : `${context.environment} is not a production environment; it may be torn down`),
    check: (resource) =>
      lifecycleOf(resource!).prevent_destroy === true ? [] : [`lifecycle.prevent_destroy is not true: ${STATEFUL_TYPES[resource!.type]}`],
  },
  {
    id: "TAGS",
    description: "Every taggable resource carries environment, project, owner, cost-center, managed-by (provider default tags count)",
    references: ["CKV_AWS_* tagging", "AwsSolutions tagging guidance"],
    resourceTypes: [],
    check: (_resource, context) => {
      const providers = context.json.provider?.aws ?? [];
      if (providers.length === 0) return ["no aws provider"];
      return providers.flatMap((provider, index) => {
        const tags = (block(provider.default_tags)?.tags ?? {}) as Record<string, unknown>;
        const missing = REQUIRED_TAG_KEYS.filter((key) => typeof tags[key] !== "string" || tags[key] === "");
        return missing.length ? [`provider aws[${index}] default_tags lacks ${missing.join(", ")}`] : [];
      });
    },
  },
  {
    id: "NAMES",
    description: "Resource names follow one convention and stay within each service's length limits",
    references: ["service quotas: S3 63, IAM role 64, Glue job 255, Kinesis 128, Redshift workgroup 64, ..."],
    resourceTypes: Object.keys(NAMED_RESOURCES),
    check: (resource, context) => {
      const { attribute, kind } = NAMED_RESOURCES[resource!.type];
      const name = resource!.config[attribute];
      if (typeof name !== "string") return [`${attribute} is not set: names are chosen, never generated`];
      if (name.includes("${")) return [];
      if (FOREIGN_NAMES.some((f) => f.pattern.test(name))) return [];
      const rule = NAME_RULES[kind];
      const problems: string[] = [];
      if (name.length > rule.maxLength) problems.push(`"${name}" is ${name.length} characters; ${kind} allows ${rule.maxLength}`);
      if (!rule.pattern.test(name)) problems.push(`"${name}" must use ${rule.describe}`);
      const prefixes = conventionPrefixes(context.environment);
      if (!prefixes.some((p) => name.startsWith(p)) || (name.startsWith("/") && !name.includes(`/${NAME_PREFIX}-${context.environment}/`))) {
        problems.push(`"${name}" does not follow the convention ${NAME_PREFIX}-${context.environment}-<purpose>`);
      }
      return problems;
    },
  },
  {
    id: "NOSECRETS",
    description: "No secret-looking literal (password, key, token) in any synthesized output",
    references: ["CKV_SECRET_*", "trivy secret scanning"],
    resourceTypes: [],
    check: (_resource, context) => secretFindings(context.json),
  },
];
