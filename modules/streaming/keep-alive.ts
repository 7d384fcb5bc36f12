import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { Construct } from "constructs";
import { Arns } from "../../lib/arn";
import { DEFAULT_DEAD_LETTER_RETENTION_DAYS, DeadLetterQueueOutput, deadLetterQueue, targetRetryPolicy } from "../../lib/dead-letter-queue";
import type { Namer } from "../../lib/naming";
import { ServiceRole } from "../../lib/service-role";
import { keepAliveDefinition, keepAliveRolePolicy, keepAliveSchedulePolicy, streamingJobNamePattern, streamingJobTags } from "./keep-alive-definition";

export interface KeepAliveProps {
  /** Names every resource; its environment picks the jobs (by their tags, see `streamingJobTags`). Required. */
  readonly namer: Namer;
  /** EventBridge Scheduler expression of the check. Required. */
  readonly schedule: string;
  /** The platform key: logs and the dead-letter queue. Required. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /** The permissions boundary every platform role carries (created by the bootstrap stack). Required. */
  readonly permissionsBoundaryArn: string;
  /** Execution data holds job names and run states only, no records. @default true */
  readonly includeExecutionData?: boolean;
}

/** The names of the keep-alive's resources: one place, so tests, alarms and the stack agree. */
export function keepAliveNames(namer: Namer) {
  return {
    stateMachine: namer.name("stateMachine", "streaming-keepalive"),
    logGroup: namer.logGroup("aws/vendedlogs/states", "streaming-keepalive"),
    role: namer.name("iamRole", "streaming-keepalive"),
    schedule: namer.name("schedule", "streaming-keepalive"),
    scheduleRole: namer.name("iamRole", "streaming-keepalive-schedule"),
    deadLetterQueue: namer.name("sqsQueue", "streaming-keepalive-dlq"),
  };
}

/**
 * Keeps an environment's streaming jobs running (see `keep-alive-definition.ts` for the rules):
 * a Scheduler schedule runs a Step Functions workflow that finds the streaming jobs by their tags
 * and starts each one only when it is not running, so a running job never sees a second start and
 * nothing fails. It names no job, so it does not change when a pipeline is added.
 */
export class KeepAlive extends Construct {
  readonly stateMachineName: string;
  /** Reference to the state machine's ARN (the failed-executions alarm's dimension). */
  readonly stateMachineArn: string;
  /** The schedule's dead-letter queue (for the alarm on its depth). */
  readonly deadLetterQueue: DeadLetterQueueOutput;

  constructor(scope: Construct, id: string, props: KeepAliveProps) {
    super(scope, id);
    const { namer } = props;
    const arns = new Arns(namer.accountId, namer.region);
    const names = keepAliveNames(namer);
    const roleBase = { accountId: namer.accountId, region: namer.region, permissionsBoundaryArn: props.permissionsBoundaryArn };

    const role = new ServiceRole(this, "role", {
      ...roleBase,
      roleName: names.role,
      service: "states.amazonaws.com",
      description: "Starts the platform's streaming jobs that are not running",
      permissions: keepAliveRolePolicy(arns, streamingJobNamePattern(namer)),
    });
    const logGroup = new CloudwatchLogGroup(this, "logs", { name: names.logGroup, kmsKeyId: props.kmsKeyArn, retentionInDays: props.logRetentionDays });
    const machine = new SfnStateMachine(this, "workflow", {
      name: names.stateMachine,
      type: "STANDARD",
      roleArn: role.role.arn,
      definition: JSON.stringify(keepAliveDefinition(streamingJobTags(namer.environment))),
      loggingConfiguration: { level: "ALL", includeExecutionData: props.includeExecutionData ?? true, logDestination: `${arns.logGroup(names.logGroup)}:*` },
      tracingConfiguration: { enabled: true },
      dependsOn: [role.policy, logGroup],
    });

    const queue = deadLetterQueue(this, "schedule-dlq", { name: names.deadLetterQueue, kmsKeyArn: props.kmsKeyArn, retentionDays: DEFAULT_DEAD_LETTER_RETENTION_DAYS });
    const scheduleRole = new ServiceRole(this, "schedule-role", {
      ...roleBase,
      roleName: names.scheduleRole,
      service: "scheduler.amazonaws.com",
      description: "Runs the streaming jobs' keep-alive",
      permissions: keepAliveSchedulePolicy(arns.stateMachine(names.stateMachine), arns.sqsQueue(names.deadLetterQueue), props.kmsKeyArn),
    });
    new SchedulerSchedule(this, "schedule", {
      name: names.schedule,
      description: "Starts the streaming jobs that are not running",
      scheduleExpression: props.schedule,
      scheduleExpressionTimezone: "UTC",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: machine.arn,
        roleArn: scheduleRole.role.arn,
        // A missed check is replaced by the next one: retry briefly, then keep the dead letter.
        retryPolicy: targetRetryPolicy({ maximumEventAgeSeconds: 600, maximumRetryAttempts: 2 }),
        deadLetterConfig: { arn: queue.arn },
      },
      dependsOn: [scheduleRole.policy],
    });
    this.stateMachineName = names.stateMachine;
    this.stateMachineArn = machine.arn;
    this.deadLetterQueue = { chosenName: names.deadLetterQueue, name: queue.name, arn: queue.arn };
  }
}
