import { baseCapacityProblem } from "../../lib/redshift-capacity";
import { block, blocks, parseJsonAttribute } from "../harness";
import { PolicyContext, PolicyRule } from "../types";

/**
 * Values AWS refuses, or combinations it refuses, that synthesis cannot see: each rule is one
 * service's documented constraints on the arguments the platform sets, checked on the synthesized
 * output so that a value is caught whichever input (environment, pipeline, module default) it came
 * from. The source of each constraint is in its message. Values only known at apply (`${…}`) pass.
 * Glue job versions and worker types are checked where the jobs are (the streaming module).
 */

const isToken = (value: unknown) => typeof value === "string" && value.includes("${");
const known = (value: unknown) => value !== undefined && value !== null && !isToken(value);

/** `field` must be an integer in [min, max]; `source` says where AWS documents the range. */
function intRange(config: Readonly<Record<string, unknown>>, field: string, min: number, max: number, source: string): string[] {
  const value = config[field];
  if (!known(value)) return [];
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? [] : [`${field} is ${JSON.stringify(value)}: ${source} allows whole numbers ${min}-${max}`];
}

function oneOf(config: Readonly<Record<string, unknown>>, field: string, valid: readonly unknown[], source: string): string[] {
  const value = config[field];
  if (!known(value)) return [];
  return valid.includes(value) ? [] : [`${field} is ${JSON.stringify(value)}: ${source} allows ${valid.map((v) => JSON.stringify(v)).join(", ")}`];
}

/** Glue and EventBridge cron: six fields, one of day-of-month and day-of-week a `?`. */
const CRON_SIX_FIELDS = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;
function cronProblems(field: string, expression: unknown, source: string): string[] {
  if (!known(expression)) return [];
  const match = CRON_SIX_FIELDS.exec(String(expression));
  if (!match) return [`${field} is ${JSON.stringify(expression)}: ${source} takes cron(minutes hours day-of-month month day-of-week year)`];
  return match[3] === "?" || match[5] === "?" ? [] : [`${field} is ${JSON.stringify(expression)}: ${source} needs "?" in day-of-month or day-of-week`];
}

const RETRY = { maxAgeSeconds: [60, 86400], attempts: [0, 185] } as const;
function retryProblems(retry: Record<string, unknown> | undefined, source: string): string[] {
  if (!retry) return [];
  return [
    ...intRange(retry, "maximum_event_age_in_seconds", ...RETRY.maxAgeSeconds, source),
    ...intRange(retry, "maximum_retry_attempts", ...RETRY.attempts, source),
  ];
}

/** Workgroup parameters Redshift Serverless accepts (CreateWorkgroup, ConfigParameter). */
export const WORKGROUP_PARAMETERS = [
  "auto_mv", "datestyle", "enable_case_sensitive_identifier", "enable_user_activity_logging", "query_group", "search_path", "max_query_execution_time", "require_ssl", "use_fips_ssl",
] as const;

function regionOf(context: PolicyContext): string {
  return String((context.json.provider?.aws?.[0] as { region?: string } | undefined)?.region ?? "");
}

const CLOUDWATCH_LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const combinationRules: PolicyRule[] = [
  {
    id: "VALID-KINESIS",
    description: "Kinesis streams: a shard count only for PROVISIONED, 24-8760 hours of retention, a key with KMS encryption",
    references: ["Kinesis API: CreateStream (ShardCount only in PROVISIONED mode), IncreaseStreamRetentionPeriod (24-8760 h), StartStreamEncryption"],
    resourceTypes: ["aws_kinesis_stream"],
    check: (stream) => {
      const config = stream!.config;
      const mode = block(config.stream_mode_details)?.stream_mode ?? "PROVISIONED";
      const problems = [...oneOf({ mode }, "mode", ["PROVISIONED", "ON_DEMAND"], "Kinesis"), ...intRange(config, "retention_period", 24, 8760, "Kinesis")];
      if (mode === "ON_DEMAND" && config.shard_count !== undefined) problems.push(`shard_count is set on an ON_DEMAND stream: Kinesis sizes those itself and refuses a shard count`);
      if (mode === "PROVISIONED") problems.push(...(config.shard_count === undefined ? ["a PROVISIONED stream needs shard_count"] : intRange(config, "shard_count", 1, 10000, "Kinesis (PROVISIONED)")));
      if (config.encryption_type === "KMS" && !config.kms_key_id) problems.push("encryption_type KMS without kms_key_id");
      return problems;
    },
  },
  {
    id: "VALID-REDSHIFT",
    description: "Redshift Serverless: base capacity in documented steps, max >= base, three subnets, a port in range, known parameters, valid usage limits, log exports and snapshot retention",
    references: ["Redshift Management Guide: Compute capacity, Considerations when using Redshift Serverless (three subnets in three AZs), CreateWorkgroup, CreateUsageLimit"],
    resourceTypes: ["aws_redshiftserverless_workgroup", "aws_redshiftserverless_usage_limit", "aws_redshiftserverless_namespace", "aws_redshiftserverless_snapshot"],
    check: (resource, context) => {
      const config = resource!.config;
      switch (resource!.type) {
        case "aws_redshiftserverless_workgroup": {
          const problems: string[] = [];
          const base = config.base_capacity;
          if (known(base)) {
            const problem = baseCapacityProblem(Number(base), regionOf(context));
            if (problem) problems.push(`base_capacity is ${problem}`);
          }
          const max = config.max_capacity;
          if (known(max) && known(base) && (Number(max) < Number(base) || Number(max) % 8 !== 0)) problems.push(`max_capacity is ${max}: must be a multiple of 8 and at least base_capacity (${base})`);
          const subnets = Array.isArray(config.subnet_ids) ? config.subnet_ids : [];
          if (subnets.length < 3) problems.push(`subnet_ids has ${subnets.length}: Redshift Serverless needs at least three subnets in three Availability Zones`);
          const port = Number(config.port ?? 5439);
          if (!((port >= 5431 && port <= 5455) || (port >= 8191 && port <= 8215))) problems.push(`port is ${port}: Redshift Serverless takes 5431-5455 or 8191-8215`);
          for (const parameter of blocks(config.config_parameter)) {
            if (!(WORKGROUP_PARAMETERS as readonly unknown[]).includes(parameter.parameter_key)) problems.push(`config_parameter ${JSON.stringify(parameter.parameter_key)} is not a workgroup parameter; valid: ${WORKGROUP_PARAMETERS.join(", ")}`);
          }
          return problems;
        }
        case "aws_redshiftserverless_usage_limit": {
          const problems = [...oneOf(config, "usage_type", ["serverless-compute", "cross-region-datasharing"], "CreateUsageLimit"), ...oneOf(config, "breach_action", ["log", "emit-metric", "deactivate"], "CreateUsageLimit"), ...oneOf(config, "period", ["daily", "weekly", "monthly"], "CreateUsageLimit")];
          // RPU-hours are whole numbers of at least 1.
          problems.push(...intRange(config, "amount", 1, Number.MAX_SAFE_INTEGER, "CreateUsageLimit (RPU-hours)"));
          return problems;
        }
        case "aws_redshiftserverless_namespace": {
          const exports = Array.isArray(config.log_exports) ? config.log_exports : [];
          return exports.filter((e) => !["useractivitylog", "userlog", "connectionlog"].includes(e)).map((e) => `log_exports has ${JSON.stringify(e)}; valid: useractivitylog, userlog, connectionlog`);
        }
        default: {
          const days = config.retention_period;
          return known(days) && days !== -1 ? intRange(config, "retention_period", 1, 3653, "CreateSnapshot (or -1 for indefinitely)") : [];
        }
      }
    },
  },
  {
    id: "VALID-GLUE",
    description: "Glue crawlers, triggers and connections: documented combinations (incremental crawls log schema changes, cron schedules, start on creation, JDBC connections placed in a VPC)",
    references: ["Glue API: RecrawlPolicy (CRAWL_NEW_FOLDERS_ONLY needs SchemaChangePolicy LOG/LOG), CreateTrigger, Glue cron expressions, Connection properties"],
    resourceTypes: ["aws_glue_crawler", "aws_glue_trigger", "aws_glue_connection"],
    check: (resource) => {
      const config = resource!.config;
      switch (resource!.type) {
        case "aws_glue_crawler": {
          const problems = cronProblems("schedule", config.schedule, "Glue");
          const recrawl = block(config.recrawl_policy)?.recrawl_behavior ?? "CRAWL_EVERYTHING";
          const schema = block(config.schema_change_policy) ?? {};
          if (recrawl === "CRAWL_NEW_FOLDERS_ONLY" && (schema.update_behavior !== "LOG" || schema.delete_behavior !== "LOG")) {
            problems.push(`recrawl_behavior CRAWL_NEW_FOLDERS_ONLY with schema_change_policy ${JSON.stringify(schema)}: Glue requires update_behavior and delete_behavior LOG`);
          }
          if (recrawl === "CRAWL_EVENT_MODE" && !blocks(config.s3_target).every((t) => t.event_queue_arn)) problems.push("recrawl_behavior CRAWL_EVENT_MODE needs event_queue_arn on every s3_target");
          const configuration = parseJsonAttribute(config.configuration) as { Version?: number } | undefined;
          if (config.configuration !== undefined && configuration?.Version !== 1) problems.push(`configuration must be JSON with "Version": 1.0 (Glue crawler configuration)`);
          return problems;
        }
        case "aws_glue_trigger": {
          const problems = oneOf(config, "type", ["SCHEDULED", "CONDITIONAL", "ON_DEMAND", "EVENT"], "CreateTrigger");
          if (config.type === "SCHEDULED") problems.push(...(config.schedule ? cronProblems("schedule", config.schedule, "a Glue SCHEDULED trigger") : ["a SCHEDULED trigger needs a schedule"]));
          if (config.type === "ON_DEMAND" && config.start_on_creation === true) problems.push("start_on_creation is true on an ON_DEMAND trigger: Glue supports it for SCHEDULED and CONDITIONAL triggers only");
          if (blocks(config.actions).length === 0) problems.push("a trigger needs at least one action");
          return problems;
        }
        default: {
          if (config.connection_type !== "JDBC") return [];
          const properties = (block(config.connection_properties) ?? {}) as Record<string, unknown>;
          const problems: string[] = [];
          if (!properties.JDBC_CONNECTION_URL) problems.push("a JDBC connection needs connection_properties.JDBC_CONNECTION_URL");
          if (!properties.SECRET_ID && !properties.USERNAME) problems.push("a JDBC connection needs SECRET_ID (or USERNAME and PASSWORD) in connection_properties");
          const network = block(config.physical_connection_requirements);
          if (network && !(network.subnet_id && network.availability_zone && Array.isArray(network.security_group_id_list) && network.security_group_id_list.length > 0)) {
            problems.push("physical_connection_requirements needs subnet_id, its availability_zone and at least one security group together");
          }
          return problems;
        }
      }
    },
  },
  {
    id: "VALID-SCHEDULER",
    description: "EventBridge Scheduler schedules: a rate, cron or at expression, a flexible window only when FLEXIBLE (1-1440 min), retries within 60-86400 s and 0-185 attempts",
    references: ["EventBridge Scheduler API: CreateSchedule, FlexibleTimeWindow, RetryPolicy"],
    resourceTypes: ["aws_scheduler_schedule"],
    check: (schedule) => {
      const config = schedule!.config;
      const problems: string[] = [];
      const expression = String(config.schedule_expression ?? "");
      if (expression.startsWith("cron(")) problems.push(...cronProblems("schedule_expression", expression, "EventBridge Scheduler"));
      else if (!/^rate\(\d+ (minute|minutes|hour|hours|day|days)\)$/.test(expression) && !/^at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)$/.test(expression)) {
        problems.push(`schedule_expression is ${JSON.stringify(expression)}: EventBridge Scheduler takes rate(n unit), cron(...) or at(yyyy-mm-ddThh:mm:ss)`);
      }
      const window = block(config.flexible_time_window) ?? {};
      if (window.mode === "OFF" && window.maximum_window_in_minutes !== undefined) problems.push("flexible_time_window mode OFF takes no maximum_window_in_minutes");
      if (window.mode === "FLEXIBLE") problems.push(...intRange(window, "maximum_window_in_minutes", 1, 1440, "EventBridge Scheduler"));
      if (!["OFF", "FLEXIBLE"].includes(String(window.mode))) problems.push(`flexible_time_window mode is ${JSON.stringify(window.mode)}: OFF or FLEXIBLE`);
      problems.push(...retryProblems(block(block(config.target)?.retry_policy), "EventBridge Scheduler RetryPolicy"));
      return problems;
    },
  },
  {
    id: "VALID-EVENTS",
    description: "EventBridge targets: retries within 60-86400 s and 0-185 attempts, input transformers within 100 paths and 8192 characters; rule patterns are JSON",
    references: ["EventBridge API: RetryPolicy, InputTransformer (InputPathsMap up to 100, InputTemplate up to 8192)"],
    resourceTypes: ["aws_cloudwatch_event_target", "aws_cloudwatch_event_rule"],
    check: (resource) => {
      const config = resource!.config;
      if (resource!.type === "aws_cloudwatch_event_rule") {
        return config.event_pattern === undefined || parseJsonAttribute(config.event_pattern) !== undefined ? [] : ["event_pattern is not JSON"];
      }
      const problems = retryProblems(block(config.retry_policy), "EventBridge RetryPolicy");
      const transformer = block(config.input_transformer);
      if (transformer) {
        const paths = Object.keys((transformer.input_paths ?? {}) as object);
        if (paths.length > 100) problems.push(`input_transformer has ${paths.length} input paths: at most 100`);
        if (String(transformer.input_template ?? "").length > 8192) problems.push("input_transformer.input_template is longer than 8192 characters");
      }
      return problems;
    },
  },
  {
    id: "VALID-SQS",
    description: "SQS queues: retention 60 s-14 days, visibility timeout 0-12 h, data key reuse 60 s-24 h",
    references: ["SQS API: CreateQueue attributes"],
    resourceTypes: ["aws_sqs_queue"],
    check: (queue) => {
      const config = queue!.config;
      return [
        ...intRange(config, "message_retention_seconds", 60, 1209600, "SQS"),
        ...intRange(config, "visibility_timeout_seconds", 0, 43200, "SQS"),
        ...intRange(config, "kms_data_key_reuse_period_seconds", 60, 86400, "SQS"),
        ...intRange(config, "delay_seconds", 0, 900, "SQS"),
      ];
    },
  },
  {
    id: "VALID-LOGS",
    description: "CloudWatch log groups keep logs for one of the retention periods CloudWatch Logs offers",
    references: ["CloudWatch Logs API: PutRetentionPolicy"],
    resourceTypes: ["aws_cloudwatch_log_group"],
    check: (group) => oneOf(group!.config, "retention_in_days", CLOUDWATCH_LOG_RETENTION_DAYS, "PutRetentionPolicy"),
  },
  {
    id: "VALID-ALARMS",
    description: "CloudWatch metric alarms: a period of 10, 20, 30 or a multiple of 60 s, at most one day evaluated, datapoints within the evaluation periods",
    references: ["CloudWatch API: PutMetricAlarm"],
    resourceTypes: ["aws_cloudwatch_metric_alarm"],
    check: (alarm) => {
      const config = alarm!.config;
      const problems: string[] = [];
      const period = Number(config.period);
      if (!([10, 20, 30].includes(period) || (period >= 60 && period % 60 === 0))) problems.push(`period is ${config.period}: 10, 20, 30 or a multiple of 60 seconds`);
      const evaluations = Number(config.evaluation_periods);
      if (!(evaluations >= 1) || period * evaluations > 86400) problems.push(`evaluation_periods ${config.evaluation_periods} × period ${period} s must be between one period and one day`);
      if (config.datapoints_to_alarm !== undefined && !(Number(config.datapoints_to_alarm) >= 1 && Number(config.datapoints_to_alarm) <= evaluations)) {
        problems.push(`datapoints_to_alarm ${config.datapoints_to_alarm} must be 1-${evaluations} (evaluation_periods)`);
      }
      problems.push(...oneOf(config, "treat_missing_data", ["breaching", "notBreaching", "ignore", "missing"], "PutMetricAlarm"));
      return problems;
    },
  },
  {
    id: "VALID-QUICKSIGHT",
    description: "QuickSight: a Redshift data source names a cluster or a host, port and database; a VPC connection has two or more subnets; data sets use a documented import mode",
    references: ["QuickSight API: RedshiftParameters, CreateVPCConnection (SubnetIds 2-15), CreateDataSet ImportMode"],
    resourceTypes: ["aws_quicksight_data_source", "aws_quicksight_vpc_connection", "aws_quicksight_data_set"],
    check: (resource) => {
      const config = resource!.config;
      switch (resource!.type) {
        case "aws_quicksight_data_source": {
          const redshift = block(block(config.parameters)?.redshift);
          if (config.type !== "REDSHIFT") return [];
          if (!redshift) return ["type REDSHIFT needs parameters.redshift"];
          return redshift.cluster_id || (redshift.host && redshift.port && redshift.database) ? [] : ["parameters.redshift needs cluster_id, or host, port and database (Redshift Serverless)"];
        }
        case "aws_quicksight_vpc_connection": {
          const subnets = Array.isArray(config.subnet_ids) ? config.subnet_ids : [];
          return subnets.length >= 2 && subnets.length <= 15 ? [] : [`subnet_ids has ${subnets.length}: a VPC connection takes 2-15 subnets`];
        }
        default:
          return oneOf(config, "import_mode", ["SPICE", "DIRECT_QUERY"], "CreateDataSet");
      }
    },
  },
  {
    id: "VALID-LAMBDA-SECRETS",
    description: "Lambda functions within 1-900 s and 128-10240 MB; secrets recover in 0 or 7-30 days and rotate every 1-1000 days; KMS keys wait 7-30 days before deletion",
    references: ["Lambda API: CreateFunction", "Secrets Manager API: DeleteSecret, RotateSecret (AutomaticallyAfterDays 1-1000)", "KMS API: ScheduleKeyDeletion"],
    resourceTypes: ["aws_lambda_function", "aws_secretsmanager_secret", "aws_secretsmanager_secret_rotation", "aws_kms_key"],
    check: (resource) => {
      const config = resource!.config;
      switch (resource!.type) {
        case "aws_lambda_function":
          return [...intRange(config, "timeout", 1, 900, "Lambda"), ...intRange(config, "memory_size", 128, 10240, "Lambda")];
        case "aws_secretsmanager_secret":
          return config.recovery_window_in_days === 0 ? [] : intRange(config, "recovery_window_in_days", 7, 30, "DeleteSecret (or 0)");
        case "aws_secretsmanager_secret_rotation": {
          const rules = block(config.rotation_rules) ?? {};
          const problems = intRange(rules, "automatically_after_days", 1, 1000, "RotateSecret");
          if ((rules.automatically_after_days === undefined) === (rules.schedule_expression === undefined)) problems.push("rotation_rules needs exactly one of automatically_after_days and schedule_expression");
          return problems;
        }
        default:
          return intRange(config, "deletion_window_in_days", 7, 30, "ScheduleKeyDeletion");
      }
    },
  },
  {
    id: "VALID-S3-LIFECYCLE",
    description: "S3 lifecycle rules: positive day counts, expiry after any transition, a delete-marker expiry never beside a day count",
    references: ["S3 API: PutBucketLifecycleConfiguration (Expiration: Days or ExpiredObjectDeleteMarker, not both)"],
    resourceTypes: ["aws_s3_bucket_lifecycle_configuration"],
    check: (resource) =>
      blocks(resource!.config.rule).flatMap((rule, i) => {
        const where = `rule[${i}] (${String(rule.id)})`;
        const problems: string[] = [];
        for (const expiration of blocks(rule.expiration)) {
          if (expiration.days !== undefined && expiration.expired_object_delete_marker !== undefined) problems.push(`${where}: an expiration with days cannot also set expired_object_delete_marker`);
          if (expiration.days !== undefined && !(Number(expiration.days) >= 1)) problems.push(`${where}: expiration days must be at least 1`);
        }
        for (const abort of blocks(rule.abort_incomplete_multipart_upload)) if (!(Number(abort.days_after_initiation) >= 1)) problems.push(`${where}: days_after_initiation must be at least 1`);
        for (const noncurrent of blocks(rule.noncurrent_version_expiration)) if (!(Number(noncurrent.noncurrent_days) >= 1)) problems.push(`${where}: noncurrent_days must be at least 1`);
        const expiry = blocks(rule.expiration).find((e) => e.days !== undefined)?.days;
        for (const transition of blocks(rule.transition)) {
          if (expiry !== undefined && Number(transition.days) >= Number(expiry)) problems.push(`${where}: transition after ${transition.days} days but expiry after ${expiry}: objects would expire first`);
        }
        return problems;
      }),
  },
];
