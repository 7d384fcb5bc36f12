import type { DeadLetterQueueOutput, TargetRetry } from "../../lib/dead-letter-queue";
import type { Namer } from "../../lib/naming";
import type { AlarmStream, SensitiveDataAlarmInput, WarehouseUsageAlarmInput } from "./alarm-definitions";

export interface AlarmsProps {
  /** Names every resource (`dp-<env>-…`); also gives account and region. Required. */
  readonly namer: Namer;
  /** Every alarm and the Glue failure rules publish here (see `Observability`). Required. */
  readonly alarmTopicArn: string;
  /** Platform key: the failure rules' dead-letter queue is encrypted with it. Required. */
  readonly kmsKeyArn: string;
  /**
   * One iterator-age alarm per stream, and a throttling alarm per provisioned stream; none where
   * each pipeline's alarms are in its own stack. Required (may be empty).
   */
  readonly streams: readonly AlarmStream[];
  /** Per pipeline: its catalog workflow's state machine ARN (`CatalogAutomation.stateMachineArns`). Required (may be empty). */
  readonly stateMachineArns: Readonly<Record<string, string>>;
  /** Dead-letter queues of other modules; the failure rules' own queue is added. Required. */
  readonly deadLetterQueues: readonly Pick<DeadLetterQueueOutput, "chosenName" | "name">[];
  /**
   * Streaming jobs are kept running (a keep-alive): a STOPPED run is a failure and a stream nobody
   * reads is an alarm. False where jobs run on demand: both are normal. @default true
   */
  readonly streamingJobsKeptRunning?: boolean;
  /** The streaming jobs' keep-alive workflow: an alarm when an execution fails. @default none */
  readonly keepAliveStateMachineArn?: string;
  /** The warehouse's usage limits: an alarm before each is reached. @default none */
  readonly warehouseUsage?: WarehouseUsageAlarmInput;
  /** The jobs' detection metric: an alarm per pipeline on unexpected detections. @default none */
  readonly sensitiveData?: SensitiveDataAlarmInput;
  /** Alarm when a streaming job is this far behind its stream. @default 15 */
  readonly iteratorAgeThresholdMinutes?: number;
  /** Retry of the failure rules' target (the topic). @default 1 hour, 8 attempts */
  readonly eventRetry?: TargetRetry;
  /** Days the failure rules' dead-letter queue keeps a message. @default 14 (SQS's maximum) */
  readonly deadLetterRetentionDays?: number;
}
