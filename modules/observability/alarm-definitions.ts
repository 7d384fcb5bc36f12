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
  /** Every dead-letter queue of the stack: its name as chosen as chosen (alarm names derive from it) and a reference to it (the dimension). */
  readonly deadLetterQueues: readonly { readonly chosenName: string; readonly name: string }[];
  /** Alarm when the oldest unread record of a stream is older than this. */
  readonly iteratorAgeThresholdMinutes: number;
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
      // means nobody reads the stream, which is the failure this alarm is for.
      treatMissingData: "breaching",
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
