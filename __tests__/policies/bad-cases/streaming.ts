import { BadCase, Resources, stackOf, withChange } from "./builders";

const KEY = "${aws_kms_key.k.arn}";

/** A stream, a job and a security configuration that pass every Streaming and ETL rule (prod included). */
export function compliantGlue(): Resources {
  return {
    aws_kinesis_stream: { s: { name: "dp-dev-attendees", encryption_type: "KMS", kms_key_id: KEY, retention_period: 168 } },
    aws_glue_security_configuration: {
      sc: {
        name: "dp-dev-glue",
        encryption_configuration: {
          s3_encryption: { s3_encryption_mode: "SSE-KMS", kms_key_arn: KEY },
          cloudwatch_encryption: { cloudwatch_encryption_mode: "SSE-KMS", kms_key_arn: KEY },
          job_bookmarks_encryption: { job_bookmarks_encryption_mode: "CSE-KMS", kms_key_arn: KEY },
        },
      },
    },
    aws_glue_job: {
      j: {
        name: "dp-dev-attendees-streaming",
        glue_version: "4.0",
        security_configuration: "dp-dev-glue",
        command: { name: "gluestreaming", python_version: "3", script_location: "s3://b/k.py" },
        default_arguments: { "--enable-metrics": "true", "--enable-continuous-cloudwatch-log": "true" },
      },
    },
    aws_glue_data_catalog_encryption_settings: {
      cat: {
        data_catalog_encryption_settings: {
          encryption_at_rest: { catalog_encryption_mode: "SSE-KMS", sse_aws_kms_key_id: KEY },
          connection_password_encryption: { return_connection_password_encrypted: true, aws_kms_key_id: KEY },
        },
      },
    },
  };
}

const glue = compliantGlue();
const securityConfiguration = glue.aws_glue_security_configuration.sc as { encryption_configuration: Record<string, Record<string, unknown>> };
const withoutBookmarkEncryption = {
  ...securityConfiguration.encryption_configuration,
  job_bookmarks_encryption: { job_bookmarks_encryption_mode: "DISABLED" },
};
const { aws_glue_data_catalog_encryption_settings: _catalog, ...glueWithoutCatalogSettings } = glue;

/** For each Streaming and ETL rule: a resource it must reject. */
export const streamingBadCases: Record<string, BadCase> = {
  "KDS-ENC": { stack: stackOf(withChange(glue, "aws_kinesis_stream", "s", "encryption_type", "NONE")), address: "aws_kinesis_stream.s" },
  "KDS-RET": { stack: stackOf(withChange(glue, "aws_kinesis_stream", "s", "retention_period", 72), { production: true }), address: "aws_kinesis_stream.s" },
  "GLUE-SEC": { stack: stackOf(withChange(glue, "aws_glue_job", "j", "security_configuration", undefined)), address: "aws_glue_job.j" },
  "GLUE-SECCFG": {
    stack: stackOf(withChange(glue, "aws_glue_security_configuration", "sc", "encryption_configuration", withoutBookmarkEncryption)),
    address: "aws_glue_security_configuration.sc",
  },
  "GLUE-CAT": { stack: stackOf(glueWithoutCatalogSettings), address: "test-stack" },
  "GLUE-VER": { stack: stackOf(withChange(glue, "aws_glue_job", "j", "glue_version", undefined)), address: "aws_glue_job.j" },
};
