import { runPolicies } from "../../policies";
import { baseCapacityProblem } from "../../lib/redshift-capacity";
import { combinationRules } from "../../policies/rules/combinations";
import type { StackUnderTest } from "../../policies";
import { stacksUnderTest, synthEnvironment } from "../helpers/synth";

/**
 * Documented constraints on the values the platform sets (policies/rules/combinations.ts): every
 * environment meets them, and each one, broken on purpose in a copy of the real prod stack, is
 * reported with the resource and what AWS would accept.
 */

type Config = Record<string, any>;
const prod = synthEnvironment("prod");

function brokenStack(type: string, mutate: (config: Config) => void): StackUnderTest {
  const json = structuredClone(prod.platform) as { resource: Record<string, Record<string, Config>> };
  const [name, config] = Object.entries(json.resource[type] ?? {})[0] ?? [];
  if (!config) throw new Error(`prod synthesizes no ${type}`);
  mutate(config);
  return { stackName: "data-platform-prod", environment: "prod", production: true, json: { ...prod.platform, resource: { ...json.resource, [type]: { [name]: config } } } };
}

describe("documented combinations in every synthesized stack", () => {
  it("hold everywhere", () => {
    const report = runPolicies(stacksUnderTest(), combinationRules);
    expect(report.violations).toEqual([]);
    // The rules read what the stacks have: a suite that checked nothing would also pass.
    expect(report.evaluations).toBeGreaterThan(150);
  });
});

describe("each documented constraint, broken on purpose in the real prod stack, is reported", () => {
  const cases: [string, string, (c: Config) => void, RegExp][] = [
    ["on-demand stream with shards", "aws_kinesis_stream", (c) => { c.stream_mode_details = { stream_mode: "ON_DEMAND" }; c.shard_count = 4; }, /shard_count is set on an ON_DEMAND stream/],
    ["provisioned stream without shards", "aws_kinesis_stream", (c) => { c.stream_mode_details = { stream_mode: "PROVISIONED" }; delete c.shard_count; }, /needs shard_count/],
    ["stream retention of 12 hours", "aws_kinesis_stream", (c) => { c.retention_period = 12; }, /retention_period is 12: Kinesis allows whole numbers 24-8760/],
    ["base capacity not in units of 8", "aws_redshiftserverless_workgroup", (c) => { c.base_capacity = 12; }, /base_capacity is 12 RPUs: Redshift Serverless takes 8-512 in units of 8/],
    ["base capacity above 512 not in units of 32", "aws_redshiftserverless_workgroup", (c) => { c.base_capacity = 520; c.max_capacity = 520; }, /base_capacity is 520/],
    ["max capacity below base", "aws_redshiftserverless_workgroup", (c) => { c.max_capacity = 8; c.base_capacity = 16; }, /max_capacity is 8: must be a multiple of 8 and at least base_capacity/],
    ["two subnets", "aws_redshiftserverless_workgroup", (c) => { c.subnet_ids = c.subnet_ids.slice(0, 2); }, /at least three subnets/],
    ["port outside Redshift's ranges", "aws_redshiftserverless_workgroup", (c) => { c.port = 6000; }, /port is 6000/],
    ["unknown workgroup parameter", "aws_redshiftserverless_workgroup", (c) => { c.config_parameter = [...c.config_parameter, { parameter_key: "wlm_json_configuration", parameter_value: "[]" }]; }, /"wlm_json_configuration" is not a workgroup parameter/],
    ["usage limit of 0 RPU-hours", "aws_redshiftserverless_usage_limit", (c) => { c.amount = 0; }, /amount is 0/],
    ["unknown breach action", "aws_redshiftserverless_usage_limit", (c) => { c.breach_action = "stop"; }, /breach_action is "stop"/],
    ["unknown log export", "aws_redshiftserverless_namespace", (c) => { c.log_exports = ["querylog"]; }, /log_exports has "querylog"/],
    ["incremental crawl that updates the schema", "aws_glue_crawler", (c) => { c.schema_change_policy = { update_behavior: "UPDATE_IN_DATABASE", delete_behavior: "LOG" }; }, /CRAWL_NEW_FOLDERS_ONLY .* requires update_behavior and delete_behavior LOG/],
    ["trigger cron with five fields", "aws_glue_trigger", (c) => { c.type = "SCHEDULED"; c.schedule = "cron(0 6 * * *)"; }, /takes cron\(minutes hours day-of-month month day-of-week year\)/],
    ["trigger cron without ?", "aws_glue_trigger", (c) => { c.type = "SCHEDULED"; c.schedule = "cron(0 6 * * * *)"; }, /needs "\?" in day-of-month or day-of-week/],
    ["on-demand trigger started on creation", "aws_glue_trigger", (c) => { c.type = "ON_DEMAND"; delete c.schedule; c.start_on_creation = true; }, /start_on_creation is true on an ON_DEMAND trigger/],
    ["JDBC connection without credentials", "aws_glue_connection", (c) => { delete c.connection_properties.SECRET_ID; }, /needs SECRET_ID/],
    ["schedule window too wide", "aws_scheduler_schedule", (c) => { c.flexible_time_window = { mode: "FLEXIBLE", maximum_window_in_minutes: 2000 }; }, /maximum_window_in_minutes is 2000/],
    ["schedule in weeks", "aws_scheduler_schedule", (c) => { c.schedule_expression = "rate(1 week)"; }, /takes rate\(n unit\), cron\(\.\.\.\) or at/],
    ["schedule retrying 200 times", "aws_scheduler_schedule", (c) => { c.target.retry_policy.maximum_retry_attempts = 200; }, /maximum_retry_attempts is 200/],
    ["target retrying for two days", "aws_cloudwatch_event_target", (c) => { c.retry_policy.maximum_event_age_in_seconds = 172800; }, /maximum_event_age_in_seconds is 172800/],
    ["queue keeping messages 15 days", "aws_sqs_queue", (c) => { c.message_retention_seconds = 15 * 86400; }, /message_retention_seconds is 1296000/],
    ["log retention of 10 days", "aws_cloudwatch_log_group", (c) => { c.retention_in_days = 10; }, /retention_in_days is 10/],
    ["alarm period of 45 s", "aws_cloudwatch_metric_alarm", (c) => { c.period = 45; }, /period is 45/],
    ["alarm over two days", "aws_cloudwatch_metric_alarm", (c) => { c.period = 3600; c.evaluation_periods = 48; c.datapoints_to_alarm = 1; }, /must be between one period and one day/],
    ["more datapoints than periods", "aws_cloudwatch_metric_alarm", (c) => { c.evaluation_periods = 1; c.datapoints_to_alarm = 2; }, /datapoints_to_alarm 2 must be 1-1/],
    ["VPC connection in one subnet", "aws_quicksight_vpc_connection", (c) => { c.subnet_ids = c.subnet_ids.slice(0, 1); }, /a VPC connection takes 2-15 subnets/],
    ["Redshift data source without a database", "aws_quicksight_data_source", (c) => { delete c.parameters.redshift.database; }, /needs cluster_id, or host, port and database/],
    ["unknown import mode", "aws_quicksight_data_set", (c) => { c.import_mode = "LIVE"; }, /import_mode is "LIVE"/],
    ["function running 16 minutes", "aws_lambda_function", (c) => { c.timeout = 960; }, /timeout is 960: Lambda allows whole numbers 1-900/],
    ["rotation every 0 days", "aws_secretsmanager_secret_rotation", (c) => { c.rotation_rules.automatically_after_days = 0; }, /automatically_after_days is 0/],
    ["secret recoverable for 3 days", "aws_secretsmanager_secret", (c) => { c.recovery_window_in_days = 3; }, /recovery_window_in_days is 3/],
    ["key deleted after 5 days", "aws_kms_key", (c) => { c.deletion_window_in_days = 5; }, /deletion_window_in_days is 5/],
    ["expiry before transition", "aws_s3_bucket_lifecycle_configuration", (c) => { c.rule = [{ id: "r", status: "Enabled", transition: [{ days: 90, storage_class: "INTELLIGENT_TIERING" }], expiration: [{ days: 30 }] }]; }, /objects would expire first/],
  ];

  it.each(cases)("%s", (_what, type, mutate, message) => {
    const report = runPolicies([brokenStack(type, mutate)], combinationRules);
    expect(report.violations.map((v) => `${v.address}: ${v.message}`).join("\n")).toMatch(new RegExp(`^${type}\\.[^:]+: .*${message.source}`, "m"));
  });

  it("knows where base capacity may reach 1024 RPUs", () => {
    expect(baseCapacityProblem(1024, "eu-west-1")).toBeUndefined();
    expect(baseCapacityProblem(544, "eu-west-1")).toBeUndefined();
    expect(baseCapacityProblem(1024, "eu-north-1")).toMatch(/up to 1024 only in/);
    expect(baseCapacityProblem(4, "eu-west-1")).toMatch(/8-512/);
  });
});
