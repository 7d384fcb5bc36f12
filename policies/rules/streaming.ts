import { block, refersTo } from "../harness";
import { PolicyContext, PolicyRule, ResourceBlock } from "../types";

/** Prod keeps a week of stream: the window in which a broken job can be fixed and replayed. */
export const PROD_MIN_STREAM_RETENTION_HOURS = 168;
/** Kinesis's own minimum (and its default when the attribute is left out). */
export const MIN_STREAM_RETENTION_HOURS = 24;

/** Resource types that put data or metadata into the Glue Data Catalog or run Glue code. */
export const GLUE_RESOURCE_TYPES = ["aws_glue_job", "aws_glue_crawler", "aws_glue_catalog_database", "aws_glue_catalog_table", "aws_glue_connection"];

/** Glue versions from which every job logs in real time, without `--enable-continuous-cloudwatch-log`. */
const ALWAYS_CONTINUOUS_LOGGING_FROM = 5;

function securityConfigurationProblems(config: Record<string, unknown>): string[] {
  const encryption = block(config.encryption_configuration);
  const parts: [string, string, string][] = [
    ["s3_encryption", "s3_encryption_mode", "SSE-KMS"],
    ["cloudwatch_encryption", "cloudwatch_encryption_mode", "SSE-KMS"],
    ["job_bookmarks_encryption", "job_bookmarks_encryption_mode", "CSE-KMS"],
  ];
  return parts.flatMap(([name, modeAttribute, expected]) => {
    const part = block(encryption?.[name]);
    const mode = part?.[modeAttribute];
    const problems: string[] = [];
    if (mode !== expected) problems.push(`${name} mode is ${String(mode ?? "not set")}, expected ${expected}`);
    if (!part?.kms_key_arn) problems.push(`${name} names no KMS key (kms_key_arn)`);
    return problems;
  });
}

function catalogEncryptionProblems(settings: ResourceBlock): string[] {
  const config = block(settings.config.data_catalog_encryption_settings);
  const atRest = block(config?.encryption_at_rest);
  const passwords = block(config?.connection_password_encryption);
  const problems: string[] = [];
  if (atRest?.catalog_encryption_mode !== "SSE-KMS") problems.push(`${settings.address}: catalog encryption at rest is ${String(atRest?.catalog_encryption_mode ?? "not set")}, expected SSE-KMS`);
  if (!atRest?.sse_aws_kms_key_id) problems.push(`${settings.address}: catalog encryption names no KMS key (sse_aws_kms_key_id)`);
  if (passwords?.return_connection_password_encrypted !== true) problems.push(`${settings.address}: connection passwords are not returned encrypted`);
  if (!passwords?.aws_kms_key_id) problems.push(`${settings.address}: connection password encryption names no KMS key (aws_kms_key_id)`);
  return problems;
}

const glueResources = (context: PolicyContext): ResourceBlock[] => GLUE_RESOURCE_TYPES.flatMap((t) => context.resourcesOfType(t));

export const streamingRules: PolicyRule[] = [
  {
    id: "KDS-ENC",
    description: "Kinesis streams encrypted with KMS and a customer key",
    references: ["CKV_AWS_43", "CKV_AWS_185", "AwsSolutions-KDS1"],
    resourceTypes: ["aws_kinesis_stream"],
    check: (stream) => {
      const { encryption_type: type, kms_key_id: key } = stream!.config;
      const problems: string[] = [];
      if (type !== "KMS") problems.push(`encryption_type is ${String(type ?? "NONE")}, expected KMS`);
      if (typeof key !== "string" || key === "" || key === "alias/aws/kinesis") problems.push(`kms_key_id is ${String(key ?? "not set")}, expected the platform key (not the AWS-managed alias/aws/kinesis)`);
      return problems;
    },
  },
  {
    id: "KDS-RET",
    description: `Stream retention set per environment (prod at least ${PROD_MIN_STREAM_RETENTION_HOURS} hours)`,
    references: ["platform policy: replay window"],
    resourceTypes: ["aws_kinesis_stream"],
    check: (stream, context) => {
      const hours = stream!.config.retention_period;
      if (typeof hours !== "number") return ["retention_period is not set: the environment's retention must be explicit"];
      if (hours < MIN_STREAM_RETENTION_HOURS) return [`retention_period is ${hours} hours; Kinesis keeps at least ${MIN_STREAM_RETENTION_HOURS}`];
      if (context.production && hours < PROD_MIN_STREAM_RETENTION_HOURS) return [`retention_period is ${hours} hours; prod keeps at least ${PROD_MIN_STREAM_RETENTION_HOURS}`];
      return [];
    },
  },
  {
    id: "GLUE-SEC",
    description: "Every Glue job and crawler has a security configuration",
    references: ["CKV_AWS_195"],
    resourceTypes: ["aws_glue_job", "aws_glue_crawler"],
    check: (resource, context) => {
      const value = resource!.config.security_configuration;
      if (typeof value !== "string" || value === "") return ["security_configuration is not set"];
      const configurations = context.available("aws_glue_security_configuration");
      return configurations.some((c) => refersTo(value, c)) ? [] : [`security_configuration "${value}" is not a security configuration of this stack or its core`];
    },
  },
  {
    id: "GLUE-SECCFG",
    description: "Security configurations encrypt S3 (SSE-KMS), CloudWatch logs (SSE-KMS) and bookmarks (CSE-KMS)",
    references: ["CKV_AWS_99", "AwsSolutions-GL1", "AwsSolutions-GL3"],
    resourceTypes: ["aws_glue_security_configuration"],
    check: (configuration) => securityConfigurationProblems(configuration!.config),
  },
  {
    id: "GLUE-CAT",
    description: "Data Catalog encryption at rest and connection password encryption",
    references: ["CKV_AWS_94"],
    resourceTypes: [],
    notApplicable: (context) =>
      glueResources(context).length === 0 && context.resourcesOfType("aws_glue_data_catalog_encryption_settings").length === 0
        ? "the stack has no Glue resources, so it puts nothing in the Data Catalog"
        : undefined,
    check: (_resource, context) => {
      // The catalog's settings are one per account and region: a pipeline stack's core holds them.
      const settings = context.available("aws_glue_data_catalog_encryption_settings");
      if (settings.length === 0) {
        return [`the stack has Glue resources (${glueResources(context).slice(0, 3).map((r) => r.address).join(", ")}, ...) but no aws_glue_data_catalog_encryption_settings`];
      }
      return settings.flatMap(catalogEncryptionProblems);
    },
  },
  {
    id: "GLUE-VER",
    description: "Glue version pinned, Python 3, metrics and continuous logging on",
    references: ["AWS Glue version support policy", "AwsSolutions-GL1 (logging)"],
    resourceTypes: ["aws_glue_job"],
    check: (job) => {
      const config = job!.config;
      const args = (config.default_arguments ?? {}) as Record<string, unknown>;
      const version = config.glue_version;
      const problems: string[] = [];
      if (typeof version !== "string" || !/^\d+\.\d+$/.test(version)) problems.push(`glue_version is ${String(version ?? "not set")}: pin one, e.g. "5.0"`);
      const python = block(config.command)?.python_version;
      if (python !== "3") problems.push(`command.python_version is ${String(python ?? "not set")}, expected "3"`);
      if (!("--enable-metrics" in args) || args["--enable-metrics"] === "false") problems.push("--enable-metrics is not on");
      const alwaysContinuous = typeof version === "string" && Number.parseFloat(version) >= ALWAYS_CONTINUOUS_LOGGING_FROM;
      if (!alwaysContinuous && args["--enable-continuous-cloudwatch-log"] !== "true") problems.push("--enable-continuous-cloudwatch-log is not true");
      return problems;
    },
  },
];
