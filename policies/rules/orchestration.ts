import { block } from "../harness";
import { PolicyContext, PolicyRule, ResourceBlock } from "../types";

/** The resource a `${type.name.attr}` reference points at, when it is in the stack. */
export function referencedResource(context: PolicyContext, value: unknown, type: string): ResourceBlock | undefined {
  if (typeof value !== "string") return undefined;
  const match = new RegExp(`\\$\\{${type}\\.([^.}]+)\\.`).exec(value);
  return match ? context.resourcesOfType(type).find((r) => r.name === match[1]) : undefined;
}

/**
 * The queue a dead-letter ARN names: a reference to a queue of the stack, or the literal ARN of a
 * queue of the stack or of its core (a pipeline stack's targets share the core's queues).
 */
function deadLetterQueueOf(context: PolicyContext, arn: unknown): ResourceBlock | undefined {
  return (
    referencedResource(context, arn, "aws_sqs_queue") ??
    (typeof arn === "string" ? context.available("aws_sqs_queue").find((q) => typeof q.config.name === "string" && arn.endsWith(`:${q.config.name}`)) : undefined)
  );
}

/** A dead-letter target is encrypted when it is a queue of this stack (or its core) with a KMS key. */
function deadLetterProblems(context: PolicyContext, target: Record<string, unknown> | undefined, what: string): string[] {
  const problems: string[] = [];
  const deadLetter = block(target?.dead_letter_config);
  if (!deadLetter?.arn) problems.push(`${what} has no dead_letter_config: failed deliveries would be dropped`);
  else {
    const queue = deadLetterQueueOf(context, deadLetter.arn);
    if (!queue) problems.push(`${what} dead-letter ARN ${String(deadLetter.arn)} is not a queue of this stack or its core, so its encryption cannot be checked`);
    else if (!queue.config.kms_master_key_id) problems.push(`${what} dead-letter queue ${queue.address} is not KMS-encrypted`);
  }
  const retry = block(target?.retry_policy);
  if (!retry || typeof retry.maximum_event_age_in_seconds !== "number" || typeof retry.maximum_retry_attempts !== "number") {
    problems.push(`${what} has no retry_policy with maximum_event_age_in_seconds and maximum_retry_attempts`);
  }
  return problems;
}

export const orchestrationRules: PolicyRule[] = [
  {
    id: "SFN-LOG",
    description: "State machines log to an encrypted log group at level ALL with execution data as the environment says (prod: none)",
    references: ["CKV_AWS_285", "AwsSolutions-SF1"],
    resourceTypes: ["aws_sfn_state_machine"],
    check: (machine, context) => {
      const logging = block(machine!.config.logging_configuration);
      if (!logging) return ["no logging_configuration"];
      const problems: string[] = [];
      if (logging.level !== "ALL") problems.push(`logging level is ${JSON.stringify(logging.level)}, not ALL`);
      if (typeof logging.include_execution_data !== "boolean") problems.push("include_execution_data is not set explicitly");
      else if (context.production && logging.include_execution_data) problems.push("prod logs execution data (record values could reach the logs)");
      const destination = typeof logging.log_destination === "string" ? logging.log_destination : "";
      const group = context
        .available("aws_cloudwatch_log_group")
        .find((g) => destination.includes(`\${aws_cloudwatch_log_group.${g.name}.`) || (typeof g.config.name === "string" && destination.endsWith(`:log-group:${g.config.name}:*`)));
      if (!group) problems.push(`log_destination ${JSON.stringify(destination)} is not a log group of this stack or its core`);
      else if (!group.config.kms_key_id) problems.push(`log group ${group.address} is not KMS-encrypted`);
      return problems;
    },
  },
  {
    id: "SFN-TRACE",
    description: "X-Ray tracing enabled",
    references: ["CKV_AWS_284", "AwsSolutions-SF2"],
    resourceTypes: ["aws_sfn_state_machine"],
    check: (machine) => (block(machine!.config.tracing_configuration)?.enabled === true ? [] : ["tracing_configuration.enabled is not true"]),
  },
  {
    id: "EVB-DLQ",
    description: "EventBridge targets (rules and Scheduler schedules) have an encrypted dead-letter queue and a retry policy",
    references: ["AWS EventBridge best practice: dead-letter queues", "AwsSolutions-SQS3 (analogous)"],
    resourceTypes: ["aws_cloudwatch_event_target", "aws_scheduler_schedule"],
    check: (resource, context) =>
      resource!.type === "aws_scheduler_schedule"
        ? deadLetterProblems(context, block(resource!.config.target), "schedule target")
        : deadLetterProblems(context, resource!.config as Record<string, unknown>, "rule target"),
  },
  {
    id: "SNS-KMS",
    description: "SNS topics encrypted",
    references: ["CKV_AWS_26"],
    resourceTypes: ["aws_sns_topic"],
    check: (topic) => (topic!.config.kms_master_key_id ? [] : ["topic has no kms_master_key_id"]),
  },
  {
    id: "SQS-KMS",
    description: "SQS queues encrypted with a KMS key",
    references: ["CKV_AWS_27"],
    resourceTypes: ["aws_sqs_queue"],
    check: (queue) => (queue!.config.kms_master_key_id ? [] : ["queue has no kms_master_key_id"]),
  },
];
