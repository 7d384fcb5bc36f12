import { BadCase, stackOf } from "./builders";

const KEY = "${aws_kms_key.k.arn}";
const logGroup = { lg: { name: "/aws/vendedlogs/states/dp-dev/x", kms_key_id: KEY, retention_in_days: 14 } };
const machine = (config: Record<string, unknown>) => ({
  aws_cloudwatch_log_group: logGroup,
  aws_sfn_state_machine: {
    sm: {
      name: "dp-dev-x",
      logging_configuration: { level: "ALL", include_execution_data: false, log_destination: "${aws_cloudwatch_log_group.lg.arn}:*" },
      tracing_configuration: { enabled: true },
      ...config,
    },
  },
});
const workgroup = (configuration: Record<string, unknown>) => ({
  aws_athena_workgroup: {
    wg: {
      name: "dp-dev-analytics",
      configuration: {
        enforce_workgroup_configuration: true,
        bytes_scanned_cutoff_per_query: 10_485_760,
        result_configuration: { encryption_configuration: { encryption_option: "SSE_KMS", kms_key_arn: KEY } },
        ...configuration,
      },
    },
  },
});

/** For each Orchestration and Athena rule: a resource it must reject. */
export const catalogBadCases: Record<string, BadCase> = {
  "SFN-LOG": {
    // Logs execution data in prod: record values would reach CloudWatch.
    stack: stackOf(machine({ logging_configuration: { level: "ALL", include_execution_data: true, log_destination: "${aws_cloudwatch_log_group.lg.arn}:*" } }), { production: true }),
    address: "aws_sfn_state_machine.sm",
  },
  "SFN-TRACE": { stack: stackOf(machine({ tracing_configuration: { enabled: false } })), address: "aws_sfn_state_machine.sm" },
  "EVB-DLQ": {
    // The dead-letter queue exists but is unencrypted.
    stack: stackOf({
      aws_sqs_queue: { q: { name: "dp-dev-dlq" } },
      aws_cloudwatch_event_target: {
        t: { rule: "r", arn: "arn", dead_letter_config: { arn: "${aws_sqs_queue.q.arn}" }, retry_policy: { maximum_event_age_in_seconds: 60, maximum_retry_attempts: 1 } },
      },
    }),
    address: "aws_cloudwatch_event_target.t",
  },
  "SNS-KMS": { stack: stackOf({ aws_sns_topic: { t: { name: "dp-dev-alarms" } } }), address: "aws_sns_topic.t" },
  "SQS-KMS": { stack: stackOf({ aws_sqs_queue: { q: { name: "dp-dev-dlq", sqs_managed_sse_enabled: true } } }), address: "aws_sqs_queue.q" },
  "ATH-ENC": {
    stack: stackOf(workgroup({ result_configuration: { encryption_configuration: { encryption_option: "SSE_S3" } } })),
    address: "aws_athena_workgroup.wg",
  },
  "ATH-ENF": { stack: stackOf(workgroup({ enforce_workgroup_configuration: false })), address: "aws_athena_workgroup.wg" },
};
