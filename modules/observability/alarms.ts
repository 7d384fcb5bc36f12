import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { Arns } from "../../lib/arn";
import {
  DEFAULT_DEAD_LETTER_RETENTION_DAYS,
  deadLetterRetentionProblems,
  ruleDeadLetterQueue,
  targetRetryPolicy,
  targetRetryProblems,
} from "../../lib/dead-letter-queue";
import type { Namer } from "../../lib/naming";
import { AlarmDefinition, DEFAULT_ITERATOR_AGE_THRESHOLD_MINUTES, alarmDefinitions } from "./alarm-definitions";
import { AlarmsProps } from "./alarms-props";
import { GLUE_JOB_EVENT_INPUT_PATHS, GlueJobKind, glueJobFailurePattern, glueJobFailureTemplate, glueJobNamePattern } from "./glue-job-events";

export const DEFAULT_ALARM_EVENT_RETRY = { maximumEventAgeSeconds: 3600, maximumRetryAttempts: 8 } as const;

/**
 * The names of the alarms' event resources: one place, so that the topic policy (made before the
 * rules exist) and the rules agree.
 */
export function alarmEventNames(namer: Namer) {
  return {
    rules: {
      streaming: namer.name("eventRule", "glue-streaming-failures"),
      batch: namer.name("eventRule", "glue-batch-failures"),
    } satisfies Record<GlueJobKind, string>,
    deadLetterQueue: namer.name("sqsQueue", "glue-failures-dlq"),
  };
}

/** ARNs of the rules that publish to the alarm topic (for its policy). */
export function alarmEventRuleArns(namer: Namer): string[] {
  const arns = new Arns(namer.accountId, namer.region);
  return Object.values(alarmEventNames(namer).rules).map((name) => arns.eventRule(name));
}

/** CloudWatch metric alarms, one per definition, created in `scope` under each definition's id. */
export function createMetricAlarms(scope: Construct, definitions: readonly AlarmDefinition[], alarmTopicArn: string): CloudwatchMetricAlarm[] {
  return definitions.map(
    (d) =>
      new CloudwatchMetricAlarm(scope, d.id, {
        alarmName: d.alarmName,
        alarmDescription: d.description,
        namespace: d.namespace,
        metricName: d.metricName,
        dimensions: { ...d.dimensions },
        statistic: d.statistic,
        period: d.periodSeconds,
        evaluationPeriods: d.evaluationPeriods,
        datapointsToAlarm: d.datapointsToAlarm,
        threshold: d.threshold,
        comparisonOperator: d.comparisonOperator,
        treatMissingData: d.treatMissingData,
        alarmActions: [alarmTopicArn],
        okActions: [alarmTopicArn],
      }),
  );
}

/**
 * What tells the platform team that something broke: Glue job failures (EventBridge rules matching
 * every job of the environment by name pattern, to the alarm topic, with an encrypted dead-letter
 * queue) and CloudWatch metric alarms on the streams, the catalog workflows and every dead-letter
 * queue (see `README.md`). A pipeline's own alarms can be built apart, in its stack, from the same
 * definitions (`alarmDefinitions`, `createMetricAlarms`).
 */
export class Alarms extends Construct {
  /** Per job kind: the failure rule's name. */
  readonly ruleNames: Readonly<Record<GlueJobKind, string>>;
  /** The failure rules' dead-letter queue. */
  readonly deadLetterQueueName: string;
  readonly alarmNames: readonly string[];
  readonly definitions: readonly AlarmDefinition[];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { namer } = props;
    const retry = props.eventRetry ?? DEFAULT_ALARM_EVENT_RETRY;
    const problems = [...targetRetryProblems("eventRetry", props.eventRetry), ...deadLetterRetentionProblems("deadLetterRetentionDays", props.deadLetterRetentionDays)];
    if (problems.length > 0) throw new Error(`Alarms: ${problems.join("; ")}`);
    const arns = new Arns(namer.accountId, namer.region);
    const names = alarmEventNames(namer);

    const keptRunning = props.streamingJobsKeptRunning ?? true;
    const kinds = ["streaming", "batch"] as const;
    const queue = ruleDeadLetterQueue(this, "glue-failures-dlq", {
      name: names.deadLetterQueue,
      kmsKeyArn: props.kmsKeyArn,
      retentionDays: props.deadLetterRetentionDays ?? DEFAULT_DEAD_LETTER_RETENTION_DAYS,
      queueArn: arns.sqsQueue(names.deadLetterQueue),
      ruleArns: kinds.map((kind) => arns.eventRule(names.rules[kind])),
    });
    for (const kind of kinds) {
      const rule = new CloudwatchEventRule(this, `glue-${kind}-failures`, {
        name: names.rules[kind],
        description: `Runs of the platform's Glue ${kind} jobs that failed, timed out${kind === "streaming" && keptRunning ? ", errored or stopped" : " or errored"}`,
        eventPattern: JSON.stringify(glueJobFailurePattern(glueJobNamePattern(namer, kind), kind, keptRunning)),
      });
      // SNS targets take no role: the topic policy lets these rules publish.
      new CloudwatchEventTarget(this, `glue-${kind}-failures-target`, {
        rule: rule.name,
        targetId: "alarm-topic",
        arn: props.alarmTopicArn,
        inputTransformer: { inputPaths: { ...GLUE_JOB_EVENT_INPUT_PATHS }, inputTemplate: glueJobFailureTemplate(namer.environment, kind) },
        retryPolicy: targetRetryPolicy(retry),
        deadLetterConfig: { arn: queue.arn },
      });
    }
    this.ruleNames = names.rules;
    this.deadLetterQueueName = names.deadLetterQueue;
    const failuresQueue = { chosenName: names.deadLetterQueue, name: queue.name };

    this.definitions = alarmDefinitions({
      namer,
      streams: props.streams,
      stateMachineArns: props.stateMachineArns,
      deadLetterQueues: [...props.deadLetterQueues, failuresQueue],
      iteratorAgeThresholdMinutes: props.iteratorAgeThresholdMinutes ?? DEFAULT_ITERATOR_AGE_THRESHOLD_MINUTES,
      streamingJobsKeptRunning: keptRunning,
      keepAliveStateMachineArn: props.keepAliveStateMachineArn,
      warehouseUsage: props.warehouseUsage,
      sensitiveData: props.sensitiveData,
    });
    createMetricAlarms(this, this.definitions, props.alarmTopicArn);
    this.alarmNames = this.definitions.map((d) => d.alarmName);
  }
}
