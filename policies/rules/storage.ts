import { block, blocks, lifecycleOf, parseJsonAttribute } from "../harness";
import { PolicyRule, ResourceBlock, PolicyContext } from "../types";

const BUCKET = ["aws_s3_bucket"];

/** Buckets that receive server access logs cannot log into themselves. */
export const ACCESS_LOG_BUCKETS = /^aws_s3_bucket\.(lake_accessLogs|state-access-logs)_bucket_/;

/** Buckets whose object events drive automation: raw (batch jobs) and curated (catalog). */
export const AUTOMATION_BUCKET_NAME = /^dp-[a-z0-9]+-(raw|curated)-/;

function companion(context: PolicyContext, bucket: ResourceBlock, type: string): Record<string, unknown> | undefined {
  return context.companions(bucket, type)[0]?.config;
}

export const storageRules: PolicyRule[] = [
  {
    id: "S3-ENC",
    description: "Server-side encryption with aws:kms and a customer key, bucket key on",
    references: ["CKV_AWS_19", "CKV_AWS_145", "AVD-AWS-0132"],
    resourceTypes: BUCKET,
    check: (bucket, context) => {
      const config = companion(context, bucket!, "aws_s3_bucket_server_side_encryption_configuration");
      const rule = block(config?.rule);
      const byDefault = block(rule?.apply_server_side_encryption_by_default);
      const problems: string[] = [];
      if (byDefault?.sse_algorithm !== "aws:kms") problems.push(`default encryption is ${String(byDefault?.sse_algorithm ?? "missing")}, expected aws:kms`);
      if (!byDefault?.kms_master_key_id) problems.push("no customer-managed KMS key (kms_master_key_id)");
      if (rule?.bucket_key_enabled !== true) problems.push("bucket key is not enabled");
      return problems;
    },
  },
  {
    id: "S3-PAB",
    description: "A public access block with all four flags true",
    references: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "AwsSolutions-S2"],
    resourceTypes: BUCKET,
    check: (bucket, context) => {
      const config = companion(context, bucket!, "aws_s3_bucket_public_access_block");
      if (!config) return ["no aws_s3_bucket_public_access_block"];
      const flags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
      return flags.filter((flag) => config[flag] !== true).map((flag) => `${flag} is not true`);
    },
  },
  {
    id: "S3-OWN",
    description: "Object ownership BucketOwnerEnforced (ACLs off)",
    references: ["CKV2_AWS_65"],
    resourceTypes: BUCKET,
    check: (bucket, context) => {
      const ownership = block(companion(context, bucket!, "aws_s3_bucket_ownership_controls")?.rule)?.object_ownership;
      return ownership === "BucketOwnerEnforced" ? [] : [`object ownership is ${String(ownership ?? "not set")}, expected BucketOwnerEnforced`];
    },
  },
  {
    id: "S3-TLS",
    description: "Bucket policy denies aws:SecureTransport = false",
    references: ["AwsSolutions-S10"],
    resourceTypes: BUCKET,
    check: (bucket, context) => {
      const policy = parseJsonAttribute(companion(context, bucket!, "aws_s3_bucket_policy")?.policy) as
        | { Statement?: { Effect?: string; Condition?: Record<string, Record<string, unknown>> }[] }
        | undefined;
      const deniesPlainHttp = (policy?.Statement ?? []).some(
        (s) => s.Effect === "Deny" && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false",
      );
      return deniesPlainHttp ? [] : ["no bucket policy statement denies requests without TLS"];
    },
  },
  {
    id: "S3-VER",
    description: "Versioning enabled on every bucket that holds data or state",
    references: ["CKV_AWS_21"],
    resourceTypes: BUCKET,
    check: (bucket, context) => {
      const status = block(companion(context, bucket!, "aws_s3_bucket_versioning")?.versioning_configuration)?.status;
      return status === "Enabled" ? [] : [`versioning is ${String(status ?? "not configured")}`];
    },
  },
  {
    id: "S3-LOG",
    description: "Server access logging to the log bucket",
    references: ["CKV_AWS_18", "AwsSolutions-S1"],
    resourceTypes: BUCKET,
    exemptions: [{ address: ACCESS_LOG_BUCKETS, reason: "it is the access-log target; S3 must not log a bucket into itself (log loop)" }],
    check: (bucket, context) => {
      const logging = companion(context, bucket!, "aws_s3_bucket_logging");
      return logging?.target_bucket ? [] : ["no server access logging (aws_s3_bucket_logging)"];
    },
  },
  {
    id: "S3-LIFE",
    description: "Lifecycle rules, including abort of incomplete multipart uploads",
    references: ["CKV2_AWS_61", "CKV_AWS_300"],
    resourceTypes: BUCKET,
    check: (bucket, context) => {
      const rules = blocks(companion(context, bucket!, "aws_s3_bucket_lifecycle_configuration")?.rule);
      if (rules.length === 0) return ["no lifecycle configuration"];
      const aborts = rules.some((r) => r.status === "Enabled" && block(r.abort_incomplete_multipart_upload)?.days_after_initiation !== undefined);
      return aborts ? [] : ["no enabled rule aborts incomplete multipart uploads"];
    },
  },
  {
    id: "S3-EVT",
    description: "EventBridge notifications on the buckets that drive automation (raw, curated)",
    references: ["CKV2_AWS_62"],
    resourceTypes: BUCKET,
    check: (bucket, context) => {
      if (!AUTOMATION_BUCKET_NAME.test(String(bucket!.config.bucket))) return [];
      const notification = companion(context, bucket!, "aws_s3_bucket_notification");
      return notification?.eventbridge === true ? [] : ["drives automation but does not send events to EventBridge"];
    },
  },
  {
    id: "S3-PROD",
    description: "In prod, stateful buckets have force_destroy = false and prevent_destroy",
    references: [],
    resourceTypes: BUCKET,
    notApplicable: (context) => (context.production ? undefined : `${context.environment} is not a production environment; its buckets may be disposable`),
    check: (bucket) => {
      const problems: string[] = [];
      if (bucket!.config.force_destroy !== false) problems.push("force_destroy is not false");
      if (lifecycleOf(bucket!).prevent_destroy !== true) problems.push("lifecycle.prevent_destroy is not true");
      return problems;
    },
  },
];
