import { NAME_PREFIX, type Namer } from "../../lib/naming";

/**
 * The platform's CloudWatch metric alarms as plain data: one pure function from what is deployed
 * (streams, state machines, dead-letter queues) to every alarm, so that tests read exactly what the
 * construct creates. Why each alarm exists and what to do when it fires: `README.md`.
 */

/** CloudWatch's `treat_missing_data` values. */
export type MissingData = "breaching" | "notBreaching" | "ignore" | "missing";

export interface AlarmDefinition {
  /** Construct id, unique within the alarms construct. */
  readonly id: string;
  readonly alarmName: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: "Maximum" | "Sum";
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparisonOperator: "GreaterThanThreshold";
  readonly treatMissingData: MissingData;
}

export interface AlarmStream {
  readonly pipeline: string;
  readonly streamName: string;
  /** PROVISIONED streams have a fixed write capacity that producers can exceed. */
  readonly provisioned: boolean;
}

export interface AlarmInputs {
  readonly namer: Namer;
  readonly streams: readonly AlarmStream[];
  /** Per pipeline: its catalog workflow's state machine ARN. */
  readonly stateMachineArns: Readonly<Record<string, string>>;
  /** Every dead-letter queue of the stack: its name as chosen (alarm names derive from it) and a reference to it (the dimension). */
  readonly deadLetterQueues: readonly { readonly chosenName: string; readonly name: string }[];
  /** Alarm when the oldest unread record of a stream is older than this. */
  readonly iteratorAgeThresholdMinutes: number;
  /** Streaming jobs are kept running: a stream nobody reads is then a failure. @default true */
  readonly streamingJobsKeptRunning?: boolean;
  /** The keep-alive workflow, when there is one. */
  readonly keepAliveStateMachineArn?: string;
  /** The warehouse's usage limits, to alarm before each is reached. */
  readonly warehouseUsage?: WarehouseUsageAlarmInput;
  /** The jobs' detection metric: an alarm per pipeline when a column carries what its contract does not expect. */
  readonly sensitiveData?: SensitiveDataAlarmInput;
}

/** Where the jobs publish the detections their contract does not expect (`glue-jobs/platform_etl/sensitive_content.py`). */
export interface SensitiveDataAlarmInput {
  readonly namespace: string;
  /** The metric of unexpected detections, dimension `Pipeline` only. */
  readonly metricName: string;
  readonly pipelines: readonly string[];
}

/** A Redshift Serverless usage limit as the alarms see it. */
export interface WarehouseUsageLimitInput {
  readonly period: "daily" | "weekly" | "monthly";
  readonly rpuHours: number;
  readonly breachAction: string;
}

export interface WarehouseUsageAlarmInput {
  readonly workgroupName: string;
  readonly usageLimits: readonly WarehouseUsageLimitInput[];
  /** Alarm when a rolling day uses this share of a limit's daily share. */
  readonly alarmPercent: number;
}

/** Days of a usage limit's period: a weekly or monthly limit is watched at its daily pace. */
export const USAGE_LIMIT_DAYS: Readonly<Record<WarehouseUsageLimitInput["period"], number>> = { daily: 1, weekly: 7, monthly: 30 };
const PERIOD_NOUN: Readonly<Record<WarehouseUsageLimitInput["period"], string>> = { daily: "day", weekly: "week", monthly: "month" };
const DAY_SECONDS = 86_400;

/**
 * RPU-seconds (the unit of `ComputeSeconds`) in a rolling day above which the alarm of `limit`
 * fires: `percent` of the limit's share of one day. For a daily limit that is `percent` of the
 * limit itself, before Redshift acts; for weekly and monthly limits it is the pace that reaches
 * the limit before the period ends.
 */
export function usageAlarmThresholdSeconds(limit: WarehouseUsageLimitInput, percent: number): number {
  return Math.round((limit.rpuHours * 3600 * percent) / 100 / USAGE_LIMIT_DAYS[limit.period]);
}

/** Metrics are judged over five-minute periods: Kinesis, SQS and Step Functions all report at least this often. */
export const ALARM_PERIOD_SECONDS = 300;
/** Iterator age must stay high for this many periods: a short burst a streaming job absorbs is no alarm. */
export const ITERATOR_AGE_PERIODS = 3;
export const DEFAULT_ITERATOR_AGE_THRESHOLD_MINUTES = 15;

const base = { periodSeconds: ALARM_PERIOD_SECONDS, comparisonOperator: "GreaterThanThreshold" } as const;
const once = { evaluationPeriods: 1, datapointsToAlarm: 1 } as const;

/** The part of a platform name after `dp-<env>-`, so alarm names do not repeat the prefix. */
export function purposeOf(namer: Namer, name: string): string {
  const prefix = `${NAME_PREFIX}-${namer.environment}-`;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** Every alarm of one environment. */
export function alarmDefinitions(input: AlarmInputs): AlarmDefinition[] {
  const { namer } = input;
  if (!(input.iteratorAgeThresholdMinutes > 0)) {
    throw new Error(`alarmDefinitions: iteratorAgeThresholdMinutes is ${input.iteratorAgeThresholdMinutes}: must be a positive number of minutes`);
  }
  const definitions: AlarmDefinition[] = [];
  for (const stream of input.streams) {
    definitions.push({
      ...base,
      id: `${stream.pipeline}-iterator-age`,
      alarmName: namer.name("cloudwatchAlarm", stream.pipeline, "iterator-age"),
      description: `The streaming job of ${stream.pipeline} is more than ${input.iteratorAgeThresholdMinutes} minutes behind its stream (or not reading it)`,
      namespace: "AWS/Kinesis",
      metricName: "GetRecords.IteratorAgeMilliseconds",
      dimensions: { StreamName: stream.streamName },
      statistic: "Maximum",
      evaluationPeriods: ITERATOR_AGE_PERIODS,
      datapointsToAlarm: ITERATOR_AGE_PERIODS,
      threshold: input.iteratorAgeThresholdMinutes * 60_000,
      // A running streaming job calls GetRecords all the time, even on an idle stream: no data
      // means nobody reads the stream, which is the failure this alarm is for. Where jobs run on
      // demand, nobody reading is the normal state.
      treatMissingData: (input.streamingJobsKeptRunning ?? true) ? "breaching" : "notBreaching",
    });
    if (stream.provisioned) {
      definitions.push({
        ...base,
        ...once,
        id: `${stream.pipeline}-write-throttled`,
        alarmName: namer.name("cloudwatchAlarm", stream.pipeline, "write-throttled"),
        description: `Producers of ${stream.pipeline} exceed the provisioned shards of its stream: writes are throttled`,
        namespace: "AWS/Kinesis",
        metricName: "WriteProvisionedThroughputExceeded",
        dimensions: { StreamName: stream.streamName },
        statistic: "Sum",
        threshold: 0,
        // Reported only while producers write: no writes, no throttling.
        treatMissingData: "notBreaching",
      });
    }
  }
  for (const [pipeline, stateMachineArn] of Object.entries(input.stateMachineArns)) {
    definitions.push({
      ...base,
      ...once,
      id: `${pipeline}-catalog-failed`,
      alarmName: namer.name("cloudwatchAlarm", pipeline, "catalog-failed"),
      description: `An execution of the catalog workflow of ${pipeline} failed`,
      namespace: "AWS/States",
      metricName: "ExecutionsFailed",
      dimensions: { StateMachineArn: stateMachineArn },
      statistic: "Sum",
      threshold: 0,
      // Reported only for periods with executions: none ran, none failed.
      treatMissingData: "notBreaching",
    });
  }
  if (input.keepAliveStateMachineArn) {
    definitions.push({
      ...base,
      ...once,
      id: "streaming-keepalive-failed",
      alarmName: namer.name("cloudwatchAlarm", "streaming-keepalive", "failed"),
      description: "An execution of the streaming jobs' keep-alive failed: a stopped job may not be restarted",
      namespace: "AWS/States",
      metricName: "ExecutionsFailed",
      dimensions: { StateMachineArn: input.keepAliveStateMachineArn },
      statistic: "Sum",
      threshold: 0,
      treatMissingData: "notBreaching",
    });
  }
  for (const limit of input.warehouseUsage?.usageLimits ?? []) {
    const usage = input.warehouseUsage!;
    definitions.push({
      ...once,
      id: `warehouse-${limit.period}-usage`,
      alarmName: namer.name("cloudwatchAlarm", "warehouse", limit.period, "usage"),
      description: `Redshift Serverless used ${usage.alarmPercent}% of the ${limit.period} limit's daily share (${limit.rpuHours} RPU-hours a ${PERIOD_NOUN[limit.period]}, then "${limit.breachAction}") in the last 24 hours`,
      namespace: "AWS/Redshift-Serverless",
      metricName: "ComputeSeconds",
      dimensions: { Workgroup: usage.workgroupName },
      statistic: "Sum",
      // A rolling day: the period of the limits' daily pace.
      periodSeconds: DAY_SECONDS,
      comparisonOperator: "GreaterThanThreshold",
      threshold: usageAlarmThresholdSeconds(limit, usage.alarmPercent),
      // No queries, no compute: an idle warehouse reports nothing.
      treatMissingData: "notBreaching",
    });
  }
  for (const pipeline of input.sensitiveData?.pipelines ?? []) {
    const metric = input.sensitiveData!;
    definitions.push({
      ...base,
      ...once,
      id: `${pipeline}-unexpected-sensitive-data`,
      alarmName: namer.name("cloudwatchAlarm", pipeline, "unexpected-pii"),
      description: `A column of ${pipeline} carries sensitive data its contract does not expect (a producer may be leaking personal data): the job's log line "sensitive_data_detected" names the columns and entity types; masked before any sink`,
      namespace: metric.namespace,
      metricName: metric.metricName,
      // One dimension: one metric and one alarm per pipeline, whatever its columns (the log has the detail).
      dimensions: { Pipeline: pipeline },
      statistic: "Sum",
      threshold: 0,
      // Published per batch with rows; no batch, no data, nothing leaked.
      treatMissingData: "notBreaching",
    });
  }
  for (const queue of input.deadLetterQueues) {
    const purpose = purposeOf(namer, queue.chosenName);
    definitions.push({
      ...base,
      ...once,
      id: `${purpose}-messages`,
      alarmName: namer.name("cloudwatchAlarm", purpose, "messages"),
      description: `Events that could not be delivered wait in the dead-letter queue ${queue.chosenName}`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queue.name },
      statistic: "Maximum",
      threshold: 0,
      // SQS stops reporting an empty queue that nobody uses: that is the healthy case.
      treatMissingData: "notBreaching",
    });
  }
  return definitions;
}
