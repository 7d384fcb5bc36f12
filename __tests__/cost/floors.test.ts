import { estimateEnvironment } from "../../tools/cost/estimate";
import { PRICE_TABLE } from "../../tools/cost/price-table";
import { resourcesOfStack } from "../../tools/cost/synthesized";
import { resourcesOf, synthEnvironment } from "../helpers/synth";

/**
 * Each sample environment's idle floor (a month with no data flowing), worked out here by hand
 * from the price table, the environment's configuration and what its stacks contain, and compared
 * with what `npm run cost` computes. Issue 16: dev's floor is at most $30.
 */

const P = PRICE_TABLE.regions["eu-west-1"]!;
const price = (key: keyof typeof P) => P[key].usd;
const HOURS = 730;
const DAYS = 730 / 24;

function synthesized(name: string) {
  const s = synthEnvironment(name);
  const count = (type: string) => resourcesOf(s.platform, type).length + resourcesOf(s.bootstrap, type).length;
  const all = (type: string) => resourcesOf(s.platform, type).map(([, r]) => r);
  return { ...s, count, all };
}

/** What the tool computes from the same synthesized stacks: the core, every pipeline stack, the bootstrap stack. */
function toolFloor(name: string): number {
  const { environment, stacks } = synthEnvironment(name);
  const resources = stacks.flatMap((stack) => resourcesOfStack(stack.stackName, stack.json, stack.kind === "bootstrap" ? "bootstrap" : undefined));
  return estimateEnvironment(environment, resources).idleFloorUsd;
}

describe("idle floor, by hand", () => {
  it("dev: keys, secrets, one provisioned shard per stream and the alarms; nothing runs, nothing is reachable: at most $30", () => {
    const { environment, count, all } = synthesized("dev");
    // What makes dev's floor what it is (configuration this test relies on).
    expect(environment.streaming.jobs).toBe("off");
    expect(all("aws_vpc_endpoint").every((e) => e.vpc_endpoint_type === "Gateway")).toBe(true);
    expect(all("aws_glue_trigger").every((t) => t.enabled === false)).toBe(true);
    expect(all("aws_scheduler_schedule").every((s) => s.state === "DISABLED")).toBe(true);
    expect(environment.retention.streamHours).toBe(24);

    const keys = count("aws_kms_key") * price("kms.keyMonth"); // platform key + state key
    const secrets = (count("aws_secretsmanager_secret") + 1) * price("secretsmanager.secretMonth"); // + Redshift's admin secret
    const shards = all("aws_kinesis_stream").reduce((sum, s) => sum + s.shard_count, 0);
    const streams = shards * HOURS * price("kinesis.shardHour");
    const alarms = count("aws_cloudwatch_metric_alarm") * price("cloudwatch.alarmMonth");
    const floor = keys + secrets + streams + alarms;

    expect(floor).toBeLessThanOrEqual(30);
    expect(toolFloor("dev")).toBeCloseTo(floor, 2);
  });

  it.each(["stage", "prod"])("%s: always-on streaming jobs, their logs, endpoints, schedules and BI users on top", (name) => {
    const { environment, count, all } = synthesized(name);
    expect(environment.streaming.jobs).toBe("always-on");
    const pipelines = all("aws_kinesis_stream").length;

    const keys = count("aws_kms_key") * price("kms.keyMonth");
    const secrets = (count("aws_secretsmanager_secret") + 1) * price("secretsmanager.secretMonth");
    const streams = all("aws_kinesis_stream").reduce((sum, s) => {
      if (s.stream_mode_details.stream_mode === "ON_DEMAND") return sum + HOURS * price("kinesis.onDemandStreamHour");
      const extended = s.retention_period > 24 ? s.shard_count * HOURS * price("kinesis.extendedRetentionShardHour") : 0;
      return sum + s.shard_count * HOURS * price("kinesis.shardHour") + extended;
    }, 0);
    const alarms = count("aws_cloudwatch_metric_alarm") * price("cloudwatch.alarmMonth");
    const endpointZones = all("aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface").reduce((sum, e) => sum + e.subnet_ids.length, 0);
    const endpoints = endpointZones * HOURS * price("vpc.interfaceEndpointAzHour");

    const dpu = { "G.025X": 0.25, "G.1X": 1, "G.2X": 2 } as Record<string, number>;
    const jobs = all("aws_glue_job");
    const streamingJobs = jobs.filter((j) => j.command.name === "gluestreaming");
    const streamingDpu = streamingJobs.reduce((sum, j) => sum + Math.min(environment.streaming.workers, j.number_of_workers) * dpu[j.worker_type], 0);
    const streaming = streamingDpu * HOURS * price("glue.dpuHour");
    const streamingLogs = streamingJobs.length * HOURS * (20 / 1024) * price("cloudwatch.logsIngestedGb");
    const flowLogs = streamingJobs.length * HOURS * (5 / 1024) * price("cloudwatch.vendedLogsIngestedGb");

    // Batch sweeps: hourly in prod, every six hours in stage; 2 minutes each at the baseline workers.
    const sweepsPerDay = { stage: 4, prod: 24 }[name]!;
    expect(environment.streaming.batchSchedule).toBe(name === "prod" ? "cron(0 * * * ? *)" : "cron(0 */6 * * ? *)");
    const batchJobs = jobs.filter((j) => j.command.name === "glueetl");
    const batchHours = sweepsPerDay * DAYS * (2 / 60);
    const batch = batchJobs.reduce((sum, j) => sum + batchHours * Math.min(environment.streaming.workers, j.number_of_workers) * dpu[j.worker_type] * price("glue.dpuHour"), 0);
    const batchLogs = batchJobs.length * batchHours * (20 / 1024) * price("cloudwatch.logsIngestedGb");

    // The nightly catch-up of each pipeline: a 10-minute crawl at 2 DPU, 70 transitions, a 60-second refresh.
    expect(environment.catalog.catchUpSchedule).toBe("cron(30 2 * * ? *)");
    const catchUps = pipelines * DAYS;
    const crawls = catchUps * (10 / 60) * 2 * price("glue.crawlerDpuHour");
    const catalogTransitions = (catchUps * 70) / 1000;
    // The keep-alive every 15 minutes: list the jobs, map, check for more, end: 4 transitions + 4 per streaming job.
    const keepAliveRuns = 96 * DAYS;
    const keepAliveTransitions = (keepAliveRuns * (4 + 4 * streamingJobs.length)) / 1000;
    const transitions = (catalogTransitions + keepAliveTransitions) * price("stepfunctions.stateTransitionsThousand");
    const invocations = ((catchUps + keepAliveRuns) / 1e6) * price("scheduler.invocationsMillion");
    const month = HOURS * 3600;
    const refreshSeconds = month * (1 - Math.exp(-(catchUps * 60) / month));
    const warehouse = (refreshSeconds / 3600) * environment.warehouse.baseCapacityRpu * price("redshift.serverlessRpuHour");
    const quicksight = environment.usage.bi.authors * price("quicksight.authorMonth") + environment.usage.bi.readers * price("quicksight.readerMonth");

    const floor = keys + secrets + streams + alarms + endpoints + streaming + streamingLogs + flowLogs + batch + batchLogs + crawls + transitions + invocations + warehouse + quicksight;
    expect(toolFloor(name)).toBeCloseTo(floor, 2);
  });
});
