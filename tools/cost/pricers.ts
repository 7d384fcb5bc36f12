import { ASSUMPTIONS as A } from "./assumptions";
import { type EnvironmentFacts, pipelineOf } from "./facts";
import type { PriceKey } from "./price-table";
import { DAYS_PER_MONTH, HOURS_PER_MONTH } from "./schedule";
import type { SynthResource } from "./synthesized";

/**
 * The pricing of each resource type, as pure functions from a synthesized resource and the facts
 * of its environment to quantities a month. Prices are applied later (`estimate.ts`), so these
 * functions say only what is billed and how much of it: with no data flowing (`floorQuantity`)
 * and at the environment's usage profile (`profileQuantity`).
 */

export interface Charge {
  /** What is billed, e.g. `shard-hours`. */
  readonly item: string;
  readonly priceKey: PriceKey;
  readonly floorQuantity: number;
  readonly profileQuantity: number;
  /** How the quantities were computed, in words and numbers. */
  readonly basis: string;
}

/** Either what a resource bills, or why it bills nothing. */
export type Pricing = { readonly charges: readonly Charge[] } | { readonly free: string };
export type Pricer = (resource: SynthResource, facts: EnvironmentFacts) => Pricing;

const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const GB = 1024 ** 3;
const round = (n: number, digits = 2): string => (Number.isInteger(n) ? String(n) : n.toFixed(digits));

/** DPUs per worker of each Glue worker type (AWS Glue docs, "Defining job properties"). */
export const DPU_PER_WORKER: Readonly<Record<string, number>> = { "G.025X": 0.25, "G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8, Standard: 1 };

const charge = (item: string, priceKey: PriceKey, floorQuantity: number, profileQuantity: number, basis: string): Charge => ({ item, priceKey, floorQuantity, profileQuantity, basis });
const fixed = (item: string, priceKey: PriceKey, quantity: number, basis: string): Charge => charge(item, priceKey, quantity, quantity, basis);

/** Events a pipeline's producers put on its stream in a month, and those its streaming job processes. */
function pipelineVolumes(facts: EnvironmentFacts) {
  const eventsPerMonth = facts.eventsPerSecondPerPipeline * SECONDS_PER_MONTH;
  const processedEvents = facts.eventsPerSecondPerPipeline * facts.streamingJobHours * 3600;
  return { eventsPerMonth, processedEvents, processedBytes: processedEvents * facts.profile.bytesPerEvent };
}

/** Objects the streaming job of `pipeline` writes to the curated zone in a month at the profile. */
function curatedObjects(facts: EnvironmentFacts, pipeline: string): number {
  if (facts.eventsPerSecondPerPipeline === 0) return 0;
  const window = facts.windowSecondsByPipeline[pipeline] ?? 60;
  return ((facts.streamingJobHours * 3600) / window) * A.curatedObjectsPerWindow;
}

const kinesisStream: Pricer = (r, facts) => {
  const retention = Number(r.config.retention_period ?? 24);
  const { eventsPerMonth, processedBytes } = pipelineVolumes(facts);
  const bytesPerHour = (facts.eventsPerSecondPerPipeline * 3600 * facts.profile.bytesPerEvent) / GB;
  const longTermGb = retention > 168 ? bytesPerHour * (retention - 168) : 0;
  const longTerm = charge("data kept beyond 7 days", "kinesis.longTermRetentionGbMonth", 0, longTermGb, `${round(bytesPerHour, 4)} GB/h × ${retention - 168} h beyond 7 days`);
  if (r.config.stream_mode_details?.stream_mode === "ON_DEMAND") {
    const kbPerEvent = Math.ceil(facts.profile.bytesPerEvent / 1024);
    return {
      charges: [
        fixed("on-demand stream-hours", "kinesis.onDemandStreamHour", HOURS_PER_MONTH, `1 stream × ${HOURS_PER_MONTH} h, data or not`),
        charge("data written", "kinesis.onDemandDataInGb", 0, (eventsPerMonth * kbPerEvent * 1024) / GB, `${round(eventsPerMonth, 0)} events × ${kbPerEvent} KB (rounded up per record)`),
        charge("data read by the streaming job", "kinesis.onDemandDataOutGb", 0, processedBytes / GB, `what the job reads while it runs (${facts.streamingJobHours} h)`),
        charge("data kept beyond 24 h", "kinesis.onDemandExtendedRetentionGbMonth", 0, retention > 24 ? bytesPerHour * (Math.min(retention, 168) - 24) : 0, `retention ${retention} h`),
        ...(longTermGb > 0 ? [longTerm] : []),
      ],
    };
  }
  const shards = Number(r.config.shard_count ?? 1);
  const unitsPerEvent = Math.ceil(facts.profile.bytesPerEvent / 25_600);
  return {
    charges: [
      fixed("shard-hours", "kinesis.shardHour", shards * HOURS_PER_MONTH, `${shards} shard(s) × ${HOURS_PER_MONTH} h, data or not`),
      ...(retention > 24 ? [fixed("extended retention shard-hours", "kinesis.extendedRetentionShardHour", shards * HOURS_PER_MONTH, `retention ${retention} h > 24 h: every shard-hour`)] : []),
      charge("PUT payload units", "kinesis.putPayloadUnitsMillion", 0, (eventsPerMonth * unitsPerEvent) / 1e6, `${round(eventsPerMonth, 0)} events × ${unitsPerEvent} unit(s) of 25 KB`),
      ...(longTermGb > 0 ? [longTerm] : []),
    ],
  };
};

const vpcEndpoint: Pricer = (r, facts) => {
  if (r.config.vpc_endpoint_type !== "Interface") return { free: "gateway endpoint: no hourly or data charge" };
  const zones = (r.config.subnet_ids ?? []).length;
  const service = String(r.config.service_name ?? "").split(".").pop();
  const charges = [fixed("endpoint-hours", "vpc.interfaceEndpointAzHour", zones * HOURS_PER_MONTH, `${zones} zone(s) × ${HOURS_PER_MONTH} h, used or not`)];
  // The streams' records are the bulk of what crosses the endpoints: the jobs read them through kinesis-streams.
  if (service === "kinesis-streams") {
    const gb = (facts.pipelines.length * pipelineVolumes(facts).processedBytes) / GB;
    charges.push(charge("data processed", "vpc.interfaceEndpointDataGb", 0, gb, "records the streaming jobs read through it"));
  }
  return { charges };
};

function glueWorkers(r: SynthResource, facts: EnvironmentFacts) {
  const ceiling = Number(r.config.number_of_workers ?? 2);
  const workers = Math.min(ceiling, facts.baselineWorkers);
  const dpu = DPU_PER_WORKER[r.config.worker_type ?? "G.1X"] ?? 1;
  return { workers, dpu, ceiling };
}

const glueJob: Pricer = (r, facts) => {
  const { workers, dpu, ceiling } = glueWorkers(r, facts);
  const perHour = workers * dpu;
  if (r.config.command?.name === "gluestreaming") {
    return {
      charges: [
        charge("streaming job DPU-hours", "glue.dpuHour", perHour * facts.floorStreamingJobHours, perHour * facts.streamingJobHours,
          `${workers} × ${r.config.worker_type} (${dpu} DPU) while it runs: ${facts.floorStreamingJobHours} h idle, ${facts.streamingJobHours} h at the profile (streaming.jobs ${facts.jobMode}); auto scaling may add up to ${ceiling} workers under load`),
      ],
    };
  }
  const runs = facts.scheduledRunsByJob[r.config.name] ?? 0;
  const dpuHours = runs * perHour * (A.batchRunBilledMinutes / 60);
  return { charges: [fixed("scheduled batch runs", "glue.dpuHour", dpuHours, `${round(runs, 1)} runs × ${A.batchRunBilledMinutes} min × ${workers} × ${dpu} DPU`)] };
};

const glueCrawler: Pricer = (r, facts) => {
  const pipeline = pipelineOf(r) ?? "";
  const catchUps = facts.catchUpRunsByPipeline[pipeline] ?? 0;
  const partitions = facts.eventsPerSecondPerPipeline > 0 ? facts.streamingJobHours : 0;
  const perRun = A.crawlerRunDpu * (A.crawlerRunMinutes / 60);
  return {
    charges: [
      charge("crawler DPU-hours", "glue.crawlerDpuHour", catchUps * perRun, (catchUps + partitions) * perRun,
        `${round(catchUps, 1)} catch-up runs (+ ${round(partitions, 0)} new hourly partitions at the profile) × ${A.crawlerRunMinutes} min × ${A.crawlerRunDpu} DPU`),
    ],
  };
};

const stateMachine: Pricer = (r, facts) => {
  const pipeline = pipelineOf(r);
  if (r.module === "catalog" && pipeline) {
    const catchUps = facts.catchUpRunsByPipeline[pipeline] ?? 0;
    const events = curatedObjects(facts, pipeline);
    const partitions = facts.eventsPerSecondPerPipeline > 0 ? facts.streamingJobHours : 0;
    const floor = catchUps * A.catalogCrawlTransitions;
    const profile = floor + events * A.catalogEventTransitions + partitions * A.catalogCrawlTransitions;
    return { charges: [charge("state transitions", "stepfunctions.stateTransitionsThousand", floor / 1000, profile / 1000, `${round(catchUps, 1)} catch-ups, ${round(events, 0)} object events, ${round(partitions, 0)} crawls at the profile`)] };
  }
  const perRun = A.keepAliveFixedTransitions + A.keepAliveTransitionsPerJob * facts.streamingJobCount;
  const transitions = facts.keepAliveRunsPerMonth * perRun;
  return { charges: [fixed("state transitions", "stepfunctions.stateTransitionsThousand", transitions / 1000, `${round(facts.keepAliveRunsPerMonth, 0)} keep-alive runs × ${perRun} transitions`)] };
};

const schedule: Pricer = (r, facts) => {
  const pipeline = pipelineOf(r);
  const runs = r.config.state === "DISABLED" ? 0 : r.module === "catalog" && pipeline ? (facts.catchUpRunsByPipeline[pipeline] ?? 0) : facts.keepAliveRunsPerMonth;
  return { charges: [fixed("invocations", "scheduler.invocationsMillion", runs / 1e6, `${round(runs, 1)} runs of ${r.config.schedule_expression}${r.config.state === "DISABLED" ? " (DISABLED)" : ""}`)] };
};

/**
 * Seconds of the month the workgroup is busy when work of `demandSeconds` in total (each piece
 * billed at least its minimum) arrives at random times: pieces that overlap bill once, so the
 * busy time is the month × (1 − e^(−demand/month)). Sparse work bills about its sum; work that
 * exceeds the month keeps the workgroup busy all month.
 */
export function busySeconds(demandSeconds: number, periodSeconds = SECONDS_PER_MONTH): number {
  return periodSeconds * (1 - Math.exp(-demandSeconds / periodSeconds));
}

/** Loads a month of every streaming job that loads the warehouse, at the profile (none without data). */
export function warehouseLoadsPerMonth(facts: EnvironmentFacts): number {
  if (facts.eventsPerSecondPerPipeline === 0) return 0;
  return Object.values(facts.warehouseLoadsPerHourByPipeline).reduce((sum, perHour) => sum + perHour * facts.streamingJobHours, 0);
}

const workgroup: Pricer = (r, facts) => {
  const rpu = Number(r.config.base_capacity ?? 8);
  const minimum = A.warehouseMinimumSeconds;
  const catchUps = Object.values(facts.catchUpRunsByPipeline).reduce((a, b) => a + b, 0);
  const loads = warehouseLoadsPerMonth(facts);
  const queries = facts.profile.warehouse.queriesPerDay * DAYS_PER_MONTH;
  const floorSeconds = busySeconds(catchUps * minimum);
  const profileSeconds = busySeconds((catchUps + loads) * minimum + queries * Math.max(minimum, facts.profile.warehouse.averageQuerySeconds));
  return {
    charges: [
      charge("RPU-hours", "redshift.serverlessRpuHour", (floorSeconds / 3600) * rpu, (profileSeconds / 3600) * rpu,
        `${rpu} RPU × busy time: ${round(catchUps, 1)} catch-up refreshes idle; at the profile + ${round(loads, 0)} loads (warehouse.loadIntervalMinutes, per streaming job while it runs) and ${round(queries, 0)} queries, ≥ ${minimum} s each`),
    ],
  };
};

const namespace: Pricer = (r, facts) => {
  const gb = (facts.pipelines.length * pipelineVolumes(facts).processedBytes * A.warehouseBytesPerEventByte) / GB;
  return {
    charges: [
      ...(r.config.manage_admin_password ? [fixed("admin password secret (managed by Redshift)", "secretsmanager.secretMonth", 1, "manage_admin_password keeps it in Secrets Manager")] : []),
      charge("managed storage", "redshift.managedStorageGbMonth", 0, gb, "one month of the profile's rows"),
    ],
  };
};

const snapshot: Pricer = (_r, facts) => {
  const gb = (facts.pipelines.length * pipelineVolumes(facts).processedBytes * A.warehouseBytesPerEventByte) / GB;
  return { charges: [charge("snapshot storage", "redshift.managedStorageGbMonth", 0, gb, "a copy of one month of rows")] };
};

const bucket: Pricer = (r, facts) => {
  const zone = r.path.split("/")[1];
  if (r.module !== "lake" || zone !== "curated") {
    return { charges: [fixed("storage", "s3.standardGbMonth", 0, r.module === "bootstrap" ? "Terraform state: kilobytes" : `${zone} zone: kilobytes to megabytes at these volumes (code, contracts, quarantine, logs)`)] };
  }
  const gb = (facts.pipelines.length * pipelineVolumes(facts).processedBytes * A.parquetBytesPerEventByte) / GB;
  const objects = facts.pipelines.reduce((sum, p) => sum + curatedObjects(facts, p), 0);
  return {
    charges: [
      charge("storage", "s3.standardGbMonth", 0, gb, "one month of curated Parquet"),
      charge("PUT requests", "s3.putRequestsThousand", 0, objects / 1000, `${round(objects, 0)} objects the streaming jobs write`),
    ],
  };
};

const logGroup: Pricer = (r, facts) => {
  const name = String(r.config.name ?? "");
  if (name.startsWith("/aws-glue/") && name.endsWith("/output")) {
    return { charges: [fixed("log ingestion", "cloudwatch.logsIngestedGb", 0, "the scripts' stdout and stderr: the jobs log through Glue's logger, into <prefix>/error")] };
  }
  if (name.startsWith("/aws-glue/")) {
    // streaming/<pipeline>/logs-error: Spark's, Glue's and the job's own log messages, of both jobs.
    const pipeline = r.path.split("/")[1] ?? "";
    const batchHours = ((facts.batchRunsByPipeline[pipeline] ?? 0) * A.batchRunBilledMinutes) / 60;
    const floorHours = facts.floorStreamingJobHours + batchHours;
    const hours = facts.streamingJobHours + batchHours;
    return { charges: [charge("log ingestion", "cloudwatch.logsIngestedGb", (floorHours * A.glueLogMbPerJobHour) / 1024, (hours * A.glueLogMbPerJobHour) / 1024, `${A.glueLogMbPerJobHour} MB per job-hour, ${round(hours, 1)} job-hours of the streaming and batch jobs`)] };
  }
  if (r.module === "network") {
    const hours = facts.streamingJobHours * facts.streamingJobCount;
    return { charges: [charge("flow-log ingestion", "cloudwatch.vendedLogsIngestedGb", (facts.floorStreamingJobHours * facts.streamingJobCount * A.flowLogMbPerJobHour) / 1024, (hours * A.flowLogMbPerJobHour) / 1024, `${A.flowLogMbPerJobHour} MB per job-hour of ENI traffic`)] };
  }
  return { charges: [fixed("log ingestion", "cloudwatch.vendedLogsIngestedGb", 0, "workflow execution logs: kilobytes a month")] };
};

const athenaWorkgroup: Pricer = (_r, facts) => ({
  charges: [charge("data scanned", "athena.scannedTb", 0, facts.profile.athenaTbScannedPerMonth, "usage.athenaTbScannedPerMonth")],
});

const quicksightDataSource: Pricer = (_r, facts) => {
  const { authors, readers } = facts.profile.bi;
  return {
    charges: [
      fixed("QuickSight authors", "quicksight.authorMonth", authors, "usage.bi.authors: billed monthly, used or not"),
      fixed("QuickSight readers", "quicksight.readerMonth", readers, "usage.bi.readers: billed monthly, used or not"),
    ],
  };
};

const budget: Pricer = (r, facts) => {
  const index = facts.budgetAddresses.indexOf(r.address);
  const days = index >= 2 ? DAYS_PER_MONTH : 0;
  return { charges: [fixed("budget-days", "budgets.budgetDay", days, index >= 2 ? "third or later budget of the account" : "one of the account's two free budgets")] };
};

export const PRICERS: Readonly<Record<string, Pricer>> = {
  aws_kms_key: () => ({ charges: [fixed("customer managed key", "kms.keyMonth", 1, "one key, whether used or not")] }),
  aws_secretsmanager_secret: () => ({ charges: [fixed("secret", "secretsmanager.secretMonth", 1, "one secret, whether read or not")] }),
  aws_kinesis_stream: kinesisStream,
  aws_vpc_endpoint: vpcEndpoint,
  aws_nat_gateway: () => ({ charges: [fixed("NAT gateway-hours", "vpc.natGatewayHour", HOURS_PER_MONTH, "always up; traffic it carries is not estimated")] }),
  aws_eip: () => ({ charges: [fixed("public IPv4 address-hours", "vpc.publicIpv4Hour", HOURS_PER_MONTH, "the NAT gateway's address")] }),
  aws_glue_job: glueJob,
  aws_glue_crawler: glueCrawler,
  aws_sfn_state_machine: stateMachine,
  aws_scheduler_schedule: schedule,
  aws_redshiftserverless_workgroup: workgroup,
  aws_redshiftserverless_namespace: namespace,
  aws_redshiftserverless_snapshot: snapshot,
  aws_s3_bucket: bucket,
  aws_cloudwatch_metric_alarm: () => ({ charges: [fixed("alarm", "cloudwatch.alarmMonth", 1, "standard resolution, one metric")] }),
  aws_cloudwatch_log_group: logGroup,
  aws_athena_workgroup: athenaWorkgroup,
  aws_quicksight_data_source: quicksightDataSource,
  aws_budgets_budget: budget,
};

/** Types that bill nothing themselves, and why. Anything neither here nor in PRICERS is reported as unpriced. */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  aws_iam_role: "IAM: no charge",
  aws_iam_role_policy: "IAM: no charge",
  aws_iam_policy: "IAM: no charge",
  aws_iam_role_policy_attachment: "IAM: no charge",
  aws_iam_openid_connect_provider: "IAM: no charge",
  aws_kms_alias: "aliases are free",
  aws_s3_bucket_lifecycle_configuration: "bucket configuration",
  aws_s3_bucket_logging: "bucket configuration (the log objects are in the access-log bucket's line)",
  aws_s3_bucket_notification: "bucket configuration; EventBridge delivery of S3 events to the default bus is free",
  aws_s3_bucket_ownership_controls: "bucket configuration",
  aws_s3_bucket_policy: "bucket configuration",
  aws_s3_bucket_public_access_block: "bucket configuration",
  aws_s3_bucket_server_side_encryption_configuration: "bucket configuration",
  aws_s3_bucket_versioning: "bucket configuration (noncurrent versions expire by lifecycle)",
  aws_s3_object: "code, contracts and reference data: kilobytes, in the bucket's line",
  aws_vpc: "VPCs are free",
  aws_subnet: "subnets are free",
  aws_route_table: "route tables are free",
  aws_route_table_association: "route tables are free",
  aws_route: "route tables are free",
  aws_internet_gateway: "internet gateways are free (the NAT gateway bills)",
  aws_security_group: "security groups are free",
  aws_default_security_group: "security groups are free",
  aws_vpc_security_group_ingress_rule: "security groups are free",
  aws_vpc_security_group_egress_rule: "security groups are free",
  aws_flow_log: "flow logs bill as ingested vended logs, in the flow-log group's line",
  aws_glue_catalog_database: "Data Catalog: the first million objects are free",
  aws_glue_catalog_table: "Data Catalog: the first million objects are free",
  aws_glue_connection: "Glue connections are free",
  aws_glue_security_configuration: "Glue configuration",
  aws_glue_data_catalog_encryption_settings: "Glue configuration",
  aws_glue_trigger: "its runs are priced on the job it starts",
  aws_athena_named_query: "saved queries are free",
  aws_ssm_parameter: "a standard-tier String parameter (the core's interface): no charge for storage or standard-throughput reads",
  aws_cloudwatch_event_rule: "rules on AWS service events of the default bus are free",
  aws_cloudwatch_event_target: "rule targets are free",
  aws_sns_topic: "alarm e-mails: the first 1,000 notifications a month are free",
  aws_sns_topic_policy: "SNS configuration",
  aws_sns_topic_subscription: "SNS configuration",
  aws_sqs_queue: "dead-letter queues: an empty queue makes no requests",
  aws_sqs_queue_policy: "SQS configuration",
  aws_secretsmanager_secret_version: "a secret's value bills nothing beyond the secret",
  aws_secretsmanager_secret_policy: "Secrets Manager configuration",
  aws_secretsmanager_secret_rotation: "rotation bills nothing itself; its function's invocations are in the function's line",
  aws_lambda_function: "billed per invocation only: the platform's functions run a few times a month at most (a rotation's four steps per user every 90 days; the pepper's initializer once), inside Lambda's monthly free tier of a million requests",
  aws_lambda_permission: "Lambda configuration",
  aws_lambda_invocation: "one invocation when created, in the function's line",
  aws_redshiftserverless_usage_limit: "Redshift configuration",
  aws_redshiftdata_statement: "runs at deploy time only (in the workgroup's minimum-second billing of that day)",
  aws_quicksight_data_set: "DIRECT_QUERY data sets use no SPICE capacity",
  aws_quicksight_analysis: "QuickSight content is free; its users are in the data source's line",
  aws_quicksight_dashboard: "QuickSight content is free; its users are in the data source's line",
  aws_quicksight_vpc_connection: "QuickSight VPC connections bill nothing themselves",
};
