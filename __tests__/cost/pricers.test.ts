import { HOURS_PER_MONTH } from "../../environments/schema";
import { estimateEnvironment } from "../../tools/cost/estimate";
import type { EnvironmentFacts } from "../../tools/cost/facts";
import { busySeconds, FREE_TYPES, PRICERS, type Charge, type Pricing } from "../../tools/cost/pricers";
import { PRICE_KEYS, PRICE_TABLE } from "../../tools/cost/price-table";
import { DAYS_PER_MONTH, runsPerMonth, ScheduleError } from "../../tools/cost/schedule";
import type { SynthResource } from "../../tools/cost/synthesized";
import { synthEnvironment } from "../helpers/synth";

/**
 * Each priced resource type, with quantities worked out here by hand from the inputs. A test per
 * type in PRICERS (the last test fails when a type is added without one).
 */

const SECONDS = HOURS_PER_MONTH * 3600;
const GB = 1024 ** 3;

const facts = (overrides: Partial<EnvironmentFacts> = {}): EnvironmentFacts => ({
  environment: "t",
  region: "eu-west-1",
  jobMode: "always-on",
  profile: {
    eventsPerSecond: 10,
    bytesPerEvent: 2000,
    streamingJobHoursPerMonth: HOURS_PER_MONTH,
    warehouse: { queriesPerDay: 100, averageQuerySeconds: 90 },
    athenaTbScannedPerMonth: 0.5,
    bi: { authors: 2, readers: 7 },
  },
  streamingJobHours: HOURS_PER_MONTH,
  floorStreamingJobHours: HOURS_PER_MONTH,
  baselineWorkers: 2,
  pipelines: ["a", "b"],
  eventsPerSecondPerPipeline: 5,
  windowSecondsByPipeline: { a: 60, b: 120 },
  warehouseLoadsPerHourByPipeline: { a: 4, b: 3 },
  scheduledRunsByJob: { "dp-t-a-batch": 30 },
  batchRunsByPipeline: { a: 30 },
  catchUpRunsByPipeline: { a: 30, b: 0 },
  keepAliveRunsPerMonth: 2920,
  streamingJobCount: 2,
  budgetAddresses: ["aws_budgets_budget.first", "aws_budgets_budget.second", "aws_budgets_budget.third"],
  ...overrides,
});

const resource = (type: string, config: Record<string, any>, path = `m/${type}`): SynthResource => ({
  stack: "s",
  module: path.split("/")[0]!,
  type,
  address: `${type}.x`,
  path,
  config,
});

function charges(pricing: Pricing): Charge[] {
  if ("free" in pricing) throw new Error(`expected charges, got free: ${pricing.free}`);
  return [...pricing.charges];
}
const byItem = (pricing: Pricing) => Object.fromEntries(charges(pricing).map((c) => [c.item, [c.priceKey, c.floorQuantity, c.profileQuantity]]));

const cases: Record<string, () => void> = {
  aws_kms_key: () => expect(byItem(PRICERS.aws_kms_key(resource("aws_kms_key", {}), facts()))).toEqual({ "customer managed key": ["kms.keyMonth", 1, 1] }),
  aws_secretsmanager_secret: () => expect(byItem(PRICERS.aws_secretsmanager_secret(resource("aws_secretsmanager_secret", {}), facts()))).toEqual({ secret: ["secretsmanager.secretMonth", 1, 1] }),
  aws_kinesis_stream: () => {
    // Provisioned, 3 shards, 200 h: every shard-hour plus extended retention; 2000-byte events are 1 PUT unit each.
    const provisioned = byItem(PRICERS.aws_kinesis_stream(resource("aws_kinesis_stream", { shard_count: 3, retention_period: 200, stream_mode_details: { stream_mode: "PROVISIONED" } }, "streaming/a/stream"), facts()));
    expect(provisioned["shard-hours"]).toEqual(["kinesis.shardHour", 3 * 730, 3 * 730]);
    expect(provisioned["extended retention shard-hours"]).toEqual(["kinesis.extendedRetentionShardHour", 3 * 730, 3 * 730]);
    expect(provisioned["PUT payload units"]).toEqual(["kinesis.putPayloadUnitsMillion", 0, (5 * SECONDS) / 1e6]);
    // 32 h beyond 7 days of 5 events/s × 2000 bytes.
    expect(provisioned["data kept beyond 7 days"][2]).toBeCloseTo(((5 * 3600 * 2000) / GB) * 32, 9);
    // On-demand, 24 h: the stream-hour always; 2000-byte records bill as 2 KB written.
    const onDemand = byItem(PRICERS.aws_kinesis_stream(resource("aws_kinesis_stream", { retention_period: 24, stream_mode_details: { stream_mode: "ON_DEMAND" } }, "streaming/a/stream"), facts()));
    expect(onDemand["on-demand stream-hours"]).toEqual(["kinesis.onDemandStreamHour", 730, 730]);
    expect(onDemand["data written"][2]).toBeCloseTo((5 * SECONDS * 2048) / GB, 9);
    expect(onDemand["data read by the streaming job"][2]).toBeCloseTo((5 * SECONDS * 2000) / GB, 9);
    expect(onDemand["data kept beyond 24 h"]).toEqual(["kinesis.onDemandExtendedRetentionGbMonth", 0, 0]);
  },
  aws_vpc_endpoint: () => {
    const kinesis = byItem(PRICERS.aws_vpc_endpoint(resource("aws_vpc_endpoint", { vpc_endpoint_type: "Interface", service_name: "com.amazonaws.eu-west-1.kinesis-streams", subnet_ids: ["a", "b"] }), facts()));
    expect(kinesis["endpoint-hours"]).toEqual(["vpc.interfaceEndpointAzHour", 2 * 730, 2 * 730]);
    expect(kinesis["data processed"][2]).toBeCloseTo((2 * 5 * SECONDS * 2000) / GB, 9);
    expect(PRICERS.aws_vpc_endpoint(resource("aws_vpc_endpoint", { vpc_endpoint_type: "Gateway" }), facts())).toEqual({ free: expect.stringMatching(/gateway/) });
  },
  aws_nat_gateway: () => expect(byItem(PRICERS.aws_nat_gateway(resource("aws_nat_gateway", {}), facts()))).toEqual({ "NAT gateway-hours": ["vpc.natGatewayHour", 730, 730] }),
  aws_eip: () => expect(byItem(PRICERS.aws_eip(resource("aws_eip", {}), facts()))).toEqual({ "public IPv4 address-hours": ["vpc.publicIpv4Hour", 730, 730] }),
  aws_glue_job: () => {
    // A streaming job of up to 6 G.2X workers runs at the baseline 2 workers (4 DPU) all month, idle or not.
    const streaming = byItem(PRICERS.aws_glue_job(resource("aws_glue_job", { name: "dp-t-a-streaming", command: { name: "gluestreaming" }, worker_type: "G.2X", number_of_workers: 6 }, "streaming/a/streaming-job"), facts()));
    expect(streaming["streaming job DPU-hours"]).toEqual(["glue.dpuHour", 4 * 730, 4 * 730]);
    const onDemand = byItem(PRICERS.aws_glue_job(resource("aws_glue_job", { name: "dp-t-a-streaming", command: { name: "gluestreaming" }, worker_type: "G.025X", number_of_workers: 2 }), facts({ floorStreamingJobHours: 0, streamingJobHours: 40 })));
    expect(onDemand["streaming job DPU-hours"]).toEqual(["glue.dpuHour", 0, 2 * 0.25 * 40]);
    // 30 scheduled sweeps of 2 minutes at 2 G.1X workers.
    const batch = byItem(PRICERS.aws_glue_job(resource("aws_glue_job", { name: "dp-t-a-batch", command: { name: "glueetl" }, worker_type: "G.1X", number_of_workers: 2 }), facts()));
    expect(batch["scheduled batch runs"][1]).toBeCloseTo(30 * (2 / 60) * 2, 9);
  },
  aws_glue_crawler: () => {
    // 30 catch-ups idle; at the profile one crawl per hourly partition too; 10 minutes at 2 DPU each.
    const [, floor, profile] = byItem(PRICERS.aws_glue_crawler(resource("aws_glue_crawler", {}, "catalog/a/crawler"), facts()))["crawler DPU-hours"];
    expect(floor).toBeCloseTo(30 * (10 / 60) * 2, 9);
    expect(profile).toBeCloseTo((30 + 730) * (10 / 60) * 2, 9);
  },
  aws_sfn_state_machine: () => {
    const catalog = byItem(PRICERS.aws_sfn_state_machine(resource("aws_sfn_state_machine", {}, "catalog/a/workflow"), facts()))["state transitions"];
    // Pipeline a: 30 catch-ups × 70, and at the profile 730 h × 60 windows/h object events × 6 plus 730 crawls × 70.
    expect(catalog[1]).toBeCloseTo((30 * 70) / 1000, 9);
    expect(catalog[2]).toBeCloseTo((30 * 70 + 730 * 60 * 6 + 730 * 70) / 1000, 9);
    const keepAlive = byItem(PRICERS.aws_sfn_state_machine(resource("aws_sfn_state_machine", {}, "streaming/keep-alive/workflow"), facts()))["state transitions"];
    expect(keepAlive).toEqual(["stepfunctions.stateTransitionsThousand", (2920 * (4 + 4 * 2)) / 1000, (2920 * (4 + 4 * 2)) / 1000]);
  },
  aws_scheduler_schedule: () => {
    expect(byItem(PRICERS.aws_scheduler_schedule(resource("aws_scheduler_schedule", { schedule_expression: "cron(30 2 * * ? *)" }, "catalog/a/catch-up"), facts())).invocations[1]).toBeCloseTo(30 / 1e6, 12);
    expect(byItem(PRICERS.aws_scheduler_schedule(resource("aws_scheduler_schedule", { state: "DISABLED" }, "catalog/a/catch-up"), facts())).invocations[1]).toBe(0);
  },
  aws_redshiftserverless_workgroup: () => {
    const [, floor, profile] = byItem(PRICERS.aws_redshiftserverless_workgroup(resource("aws_redshiftserverless_workgroup", { base_capacity: 16 }), facts()))["RPU-hours"];
    // Idle: 30 catch-up refreshes of 60 s; profile: + 730 h × (4 + 3) loads/h of the two loading jobs, 60 s each + 100 queries/day of 90 s.
    const idleDemand = 30 * 60;
    const profileDemand = (30 + 730 * (4 + 3)) * 60 + 100 * DAYS_PER_MONTH * 90;
    expect(floor).toBeCloseTo((SECONDS * (1 - Math.exp(-idleDemand / SECONDS)) / 3600) * 16, 6);
    expect(profile).toBeCloseTo((SECONDS * (1 - Math.exp(-profileDemand / SECONDS)) / 3600) * 16, 6);
  },
  aws_redshiftserverless_namespace: () => {
    const charges = byItem(PRICERS.aws_redshiftserverless_namespace(resource("aws_redshiftserverless_namespace", { manage_admin_password: true }), facts()));
    expect(charges["admin password secret (managed by Redshift)"]).toEqual(["secretsmanager.secretMonth", 1, 1]);
    expect(charges["managed storage"][2]).toBeCloseTo((2 * 5 * SECONDS * 2000 * 0.25) / GB, 9);
  },
  aws_redshiftserverless_snapshot: () => expect(byItem(PRICERS.aws_redshiftserverless_snapshot(resource("aws_redshiftserverless_snapshot", {}), facts()))["snapshot storage"][2]).toBeCloseTo((2 * 5 * SECONDS * 2000 * 0.25) / GB, 9),
  aws_s3_bucket: () => {
    const curated = byItem(PRICERS.aws_s3_bucket(resource("aws_s3_bucket", {}, "lake/curated/bucket"), facts()));
    expect(curated.storage[2]).toBeCloseTo((2 * 5 * SECONDS * 2000 * 0.3) / GB, 9);
    // Pipeline a writes every 60 s, b every 120 s, for 730 h.
    expect(curated["PUT requests"][2]).toBeCloseTo((730 * 60 + 730 * 30) / 1000, 9);
    expect(byItem(PRICERS.aws_s3_bucket(resource("aws_s3_bucket", {}, "lake/raw/bucket"), facts())).storage).toEqual(["s3.standardGbMonth", 0, 0]);
  },
  aws_cloudwatch_metric_alarm: () => expect(byItem(PRICERS.aws_cloudwatch_metric_alarm(resource("aws_cloudwatch_metric_alarm", {}), facts()))).toEqual({ alarm: ["cloudwatch.alarmMonth", 1, 1] }),
  aws_cloudwatch_log_group: () => {
    // Pipeline a: its streaming job runs 730 h, its batch job 30 runs of 2 billed minutes.
    const pipelineLogs = byItem(PRICERS.aws_cloudwatch_log_group(resource("aws_cloudwatch_log_group", { name: "/aws-glue/dp-t/jobs/a/error" }, "streaming/a/logs-error"), facts()))["log ingestion"];
    expect(pipelineLogs[1]).toBeCloseTo((730 * 20 + 30 * (2 / 60) * 20) / 1024, 9);
    expect(pipelineLogs[2]).toBeCloseTo((730 * 20 + 30 * (2 / 60) * 20) / 1024, 9);
    const idleLogs = byItem(PRICERS.aws_cloudwatch_log_group(resource("aws_cloudwatch_log_group", { name: "/aws-glue/dp-t/jobs/a/error" }, "streaming/a/logs-error"), facts({ floorStreamingJobHours: 0 })))["log ingestion"];
    expect(idleLogs[1]).toBeCloseTo((30 * (2 / 60) * 20) / 1024, 9);
    // stdout and stderr only: the jobs' messages are counted once, in the error group.
    const output = byItem(PRICERS.aws_cloudwatch_log_group(resource("aws_cloudwatch_log_group", { name: "/aws-glue/dp-t/jobs/a/output" }, "streaming/a/logs-output"), facts()))["log ingestion"];
    expect(output).toEqual(["cloudwatch.logsIngestedGb", 0, 0]);
    const flow = byItem(PRICERS.aws_cloudwatch_log_group(resource("aws_cloudwatch_log_group", { name: "/vpc/dp-t/flow-logs" }, "network/flow-logs"), facts()))["flow-log ingestion"];
    expect(flow).toEqual(["cloudwatch.vendedLogsIngestedGb", (730 * 2 * 5) / 1024, (730 * 2 * 5) / 1024]);
  },
  aws_athena_workgroup: () => expect(byItem(PRICERS.aws_athena_workgroup(resource("aws_athena_workgroup", {}), facts()))).toEqual({ "data scanned": ["athena.scannedTb", 0, 0.5] }),
  aws_quicksight_data_source: () =>
    expect(byItem(PRICERS.aws_quicksight_data_source(resource("aws_quicksight_data_source", {}), facts()))).toEqual({ "QuickSight authors": ["quicksight.authorMonth", 2, 2], "QuickSight readers": ["quicksight.readerMonth", 7, 7] }),
  aws_budgets_budget: () => {
    const days = (address: string) => byItem(PRICERS.aws_budgets_budget({ ...resource("aws_budgets_budget", {}), address }, facts()))["budget-days"][1];
    expect([days("aws_budgets_budget.first"), days("aws_budgets_budget.second"), days("aws_budgets_budget.third")]).toEqual([0, 0, DAYS_PER_MONTH]);
  },
};

describe("pricing of each resource type", () => {
  it.each(Object.keys(cases))("%s", (type) => cases[type]!());

  it("has a case above for every priced type, and no type both priced and free", () => {
    expect(Object.keys(PRICERS).sort()).toEqual(Object.keys(cases).sort());
    expect(Object.keys(PRICERS).filter((t) => FREE_TYPES[t])).toEqual([]);
  });

  it("counts each overlapping piece of warehouse work once: sparse work bills its sum, endless work the month", () => {
    expect(busySeconds(60)).toBeCloseTo(60, 2);
    expect(busySeconds(100 * SECONDS)).toBeCloseTo(SECONDS, 0);
    expect(busySeconds(SECONDS)).toBeCloseTo(SECONDS * (1 - Math.exp(-1)), 3);
  });
});

describe("schedules", () => {
  it.each([
    ["cron(0 6 * * ? *)", DAYS_PER_MONTH],
    ["cron(0 */6 * * ? *)", 4 * DAYS_PER_MONTH],
    ["cron(0/15 * * * ? *)", 96 * DAYS_PER_MONTH],
    ["cron(30 2 ? * MON-FRI *)", (5 * DAYS_PER_MONTH) / 7],
    ["cron(0 1 1 * ? *)", 1],
    ["cron(0 1 1 1,7 ? *)", 2 / 12],
    ["rate(15 minutes)", (730 * 60) / 15],
    ["rate(1 day)", DAYS_PER_MONTH],
  ])("%s fires %d times a month", (expression, runs) => expect(runsPerMonth(expression)).toBeCloseTo(runs, 6));

  it.each(["cron(61 * * * ? *)", "every day", "cron(0 * * *)", "cron(0/0 * * * ? *)"])("refuses %s", (expression) => {
    expect(() => runsPerMonth(expression)).toThrow(ScheduleError);
  });
});

describe("the price table", () => {
  it("has every price in us-east-1 and eu-west-1, each with its AWS page, date and usage type", () => {
    expect(Object.keys(PRICE_TABLE.regions)).toEqual(expect.arrayContaining(["us-east-1", "eu-west-1"]));
    for (const [region, prices] of Object.entries(PRICE_TABLE.regions)) {
      expect(Object.keys(prices).sort()).toEqual([...PRICE_KEYS].sort());
      for (const [key, price] of Object.entries(prices)) {
        expect([region, key, price.usd > 0]).toEqual([region, key, true]);
        expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\/[\w/-]+\/pricing\/$/);
        expect(price.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(price.usageType).toMatch(region === "us-east-1" ? /^[A-Za-z0-9]+:(?!EU-)\w/ : /^[A-Za-z0-9]+:EU-/);
      }
    }
  });
});

describe("resources it cannot price", () => {
  it("are listed and never counted, and free ones say why", () => {
    const { environment } = synthEnvironment("dev");
    const estimate = estimateEnvironment(environment, [
      resource("aws_made_up_database", { size: "huge" }, "warehouse/made-up"),
      resource("aws_kms_key", {}, "lake/platform-key"),
      resource("aws_iam_role", {}, "lake/role"),
    ]);
    expect(estimate.unpriced).toEqual([{ module: "warehouse", address: "aws_made_up_database.x", type: "aws_made_up_database" }]);
    expect(estimate.free).toEqual([{ module: "lake", address: "aws_iam_role.x", type: "aws_iam_role", reason: "IAM: no charge" }]);
    expect(estimate.idleFloorUsd).toBe(PRICE_TABLE.regions["eu-west-1"]!["kms.keyMonth"].usd);
    expect(estimate.lines.map((l) => l.type)).toEqual(["aws_kms_key"]);
  });

  it("are none in the sample environments: every synthesized type is priced or known to be free", () => {
    for (const name of ["dev", "stage", "prod"]) {
      const { platform, bootstrap } = synthEnvironment(name);
      const types = new Set([...Object.keys(platform.resource ?? {}), ...Object.keys(bootstrap.resource ?? {})]);
      expect([name, [...types].filter((t) => !PRICERS[t] && !FREE_TYPES[t])]).toEqual([name, []]);
    }
  });
});
