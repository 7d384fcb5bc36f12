import { BadCase, GOOD_PROVIDER, compliantBucket, stackOf, withChange, without } from "./builders";

const BUCKET = "aws_s3_bucket.b";
const bucket = compliantBucket();
const key = (config: Record<string, unknown>) => ({ aws_kms_key: { k: config } });
const logGroup = (config: Record<string, unknown>) => ({ aws_cloudwatch_log_group: { lg: { name: "/aws/dp-dev/x", ...config } } });
const goodKeyPolicy = JSON.stringify({ Statement: [{ Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*" }] });

/** For each Storage, Keys/Logs and Everything rule: a resource it must reject. */
export const foundationBadCases: Record<string, BadCase> = {
  "S3-ENC": {
    stack: stackOf(withChange(bucket, "aws_s3_bucket_server_side_encryption_configuration", "enc", "rule", [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }])),
    address: BUCKET,
  },
  "S3-PAB": { stack: stackOf(withChange(bucket, "aws_s3_bucket_public_access_block", "pab", "restrict_public_buckets", false)), address: BUCKET },
  "S3-OWN": { stack: stackOf(withChange(bucket, "aws_s3_bucket_ownership_controls", "own", "rule", { object_ownership: "ObjectWriter" })), address: BUCKET },
  "S3-TLS": { stack: stackOf(withChange(bucket, "aws_s3_bucket_policy", "pol", "policy", JSON.stringify({ Statement: [] }))), address: BUCKET },
  "S3-VER": { stack: stackOf(withChange(bucket, "aws_s3_bucket_versioning", "ver", "versioning_configuration", { status: "Suspended" })), address: BUCKET },
  "S3-LOG": { stack: stackOf(without(bucket, "aws_s3_bucket_logging")), address: BUCKET },
  "S3-LIFE": {
    stack: stackOf(withChange(bucket, "aws_s3_bucket_lifecycle_configuration", "life", "rule", [{ status: "Enabled", expiration: [{ days: 3 }] }])),
    address: BUCKET,
  },
  "S3-EVT": { stack: stackOf(without(bucket, "aws_s3_bucket_notification")), address: BUCKET },
  "S3-PROD": { stack: stackOf(withChange(bucket, "aws_s3_bucket", "b", "force_destroy", true), { production: true }), address: BUCKET },
  "KMS-ROT": { stack: stackOf(key({ enable_key_rotation: false, policy: goodKeyPolicy })), address: "aws_kms_key.k" },
  "KMS-POL": {
    stack: stackOf(key({ enable_key_rotation: true, policy: JSON.stringify({ Statement: [{ Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt" }] }) })),
    address: "aws_kms_key.k",
  },
  "LOG-KMS": { stack: stackOf(logGroup({ retention_in_days: 14 })), address: "aws_cloudwatch_log_group.lg" },
  "LOG-RET": { stack: stackOf(logGroup({ kms_key_id: "${aws_kms_key.k.arn}", retention_in_days: 30 }), { production: true }), address: "aws_cloudwatch_log_group.lg" },
  "SEC-KMS": { stack: stackOf({ aws_secretsmanager_secret: { s: { name: "dp-dev-pepper" } } }), address: "aws_secretsmanager_secret.s" },
  TAGS: {
    stack: stackOf({}, { provider: { aws: [{ ...GOOD_PROVIDER.aws[0], default_tags: [{ tags: { environment: "dev", project: "data-platform" } }] }] } }),
    address: "test-stack",
  },
  NAMES: { stack: stackOf({ aws_iam_role: { r: { name: `dp-dev-${"x".repeat(60)}` } } }), address: "aws_iam_role.r" },
  "PROD-STATEFUL": {
    stack: stackOf({ aws_kinesis_stream: { s: { name: "dp-prod-attendees", lifecycle: { prevent_destroy: false } } } }, { production: true }),
    address: "aws_kinesis_stream.s",
  },
  NOSECRETS: {
    stack: stackOf({ aws_glue_connection: { c: { name: "dp-dev-c", connection_properties: { PASSWORD: "hunter2hunter2" } } } }),
    address: "test-stack",
  },
};
