import { BadCase, stackOf } from "./builders";

/** For each first-apply rule (order, state secrets, documented combinations, trust source context): a stack it must reject. */
export const firstApplyBadCases: Record<string, BadCase> = {
  // A trigger naming its job by a literal string: nothing orders the job first.
  ORDER: {
    stack: stackOf({
      aws_glue_job: { j: { name: "dp-dev-orders-batch" } },
      aws_glue_trigger: { t: { name: "dp-dev-orders-batch-schedule", type: "SCHEDULED", schedule: "cron(0 6 * * ? *)", actions: [{ job_name: "dp-dev-orders-batch" }] } },
    }),
    address: "test-stack",
  },
  "VALID-KINESIS": { stack: stackOf({ aws_kinesis_stream: { s: { name: "dp-dev-x", stream_mode_details: { stream_mode: "ON_DEMAND" }, shard_count: 2, retention_period: 24 } } }), address: "aws_kinesis_stream.s" },
  "VALID-REDSHIFT": {
    stack: stackOf({ aws_redshiftserverless_workgroup: { w: { workgroup_name: "dp-dev-w", base_capacity: 12, max_capacity: 16, subnet_ids: ["a", "b", "c"] } } }),
    address: "aws_redshiftserverless_workgroup.w",
  },
  "VALID-GLUE": {
    stack: stackOf({ aws_glue_crawler: { c: { name: "dp-dev-c", recrawl_policy: { recrawl_behavior: "CRAWL_NEW_FOLDERS_ONLY" }, schema_change_policy: { update_behavior: "UPDATE_IN_DATABASE", delete_behavior: "LOG" } } } }),
    address: "aws_glue_crawler.c",
  },
  "VALID-SCHEDULER": {
    stack: stackOf({ aws_scheduler_schedule: { s: { name: "dp-dev-s", schedule_expression: "cron(0 2 * * *)", flexible_time_window: { mode: "OFF" }, target: { arn: "x", role_arn: "y" } } } }),
    address: "aws_scheduler_schedule.s",
  },
  "VALID-EVENTS": { stack: stackOf({ aws_cloudwatch_event_target: { t: { rule: "r", arn: "x", retry_policy: { maximum_event_age_in_seconds: 30, maximum_retry_attempts: 8 } } } }), address: "aws_cloudwatch_event_target.t" },
  "VALID-SQS": { stack: stackOf({ aws_sqs_queue: { q: { name: "dp-dev-q", message_retention_seconds: 15 * 86400 } } }), address: "aws_sqs_queue.q" },
  "VALID-LOGS": { stack: stackOf({ aws_cloudwatch_log_group: { g: { name: "/aws/dp-dev/x", retention_in_days: 10 } } }), address: "aws_cloudwatch_log_group.g" },
  "VALID-ALARMS": { stack: stackOf({ aws_cloudwatch_metric_alarm: { a: { alarm_name: "dp-dev-a", period: 45, evaluation_periods: 1, treat_missing_data: "notBreaching" } } }), address: "aws_cloudwatch_metric_alarm.a" },
  "VALID-QUICKSIGHT": { stack: stackOf({ aws_quicksight_vpc_connection: { v: { vpc_connection_id: "dp-dev-v", subnet_ids: ["subnet-1"] } } }), address: "aws_quicksight_vpc_connection.v" },
  "VALID-LAMBDA-SECRETS": { stack: stackOf({ aws_secretsmanager_secret: { s: { name: "dp-dev-s", recovery_window_in_days: 3 } } }), address: "aws_secretsmanager_secret.s" },
  "VALID-S3-LIFECYCLE": {
    stack: stackOf({ aws_s3_bucket_lifecycle_configuration: { l: { bucket: "b", rule: [{ id: "r", status: "Enabled", expiration: [{ days: 30, expired_object_delete_marker: true }] }] } } }),
    address: "aws_s3_bucket_lifecycle_configuration.l",
  },
  // A Glue role whose trust requires aws:SourceAccount: Glue does not document sending it.
  "IAM-TRUST-SOURCE": {
    stack: stackOf({
      aws_iam_role: {
        r: {
          name: "dp-dev-orders-batch",
          assume_role_policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "TrustedService", Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } }],
          }),
        },
      },
    }),
    address: "aws_iam_role.r",
  },
  "STATE-SECRETS": {
    stack: stackOf({ aws_secretsmanager_secret_version: { v: { secret_id: "${aws_secretsmanager_secret.s.id}", secret_string: "${random_password.p.result}" } } }),
    address: "test-stack",
  },
};
