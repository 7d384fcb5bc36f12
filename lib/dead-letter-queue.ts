import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Construct } from "constructs";
import { PolicyDocument, policyJson, policyDocument } from "./iam";

/**
 * Dead-letter queues of EventBridge targets (rules and Scheduler schedules), shared by every module
 * that routes events: policy EVB-DLQ wants each target to have a KMS-encrypted queue and a retry
 * policy, and this is the one way the platform builds both.
 */

const SECONDS_PER_DAY = 86_400;

/** SQS keeps a message at most 14 days: a dead letter should stay as long as possible. */
export const DEFAULT_DEAD_LETTER_RETENTION_DAYS = 14;

/** EventBridge's retry for a target before the event goes to the dead-letter queue. */
export interface TargetRetry {
  /** 60-86400 seconds. */
  readonly maximumEventAgeSeconds: number;
  /** 0-185. */
  readonly maximumRetryAttempts: number;
}

/** A dead-letter queue as other modules see it (alarms on its depth). */
export interface DeadLetterQueueOutput {
  /** The name as chosen (literal): what alarms derive their own names from. */
  readonly chosenName: string;
  /** Reference to the queue's name: the alarm's `QueueName` dimension. */
  readonly name: string;
  /** Reference to the queue's ARN. */
  readonly arn: string;
}

/** A target's `retry_policy` block. */
export function targetRetryPolicy(retry: TargetRetry): { maximumEventAgeInSeconds: number; maximumRetryAttempts: number } {
  return { maximumEventAgeInSeconds: retry.maximumEventAgeSeconds, maximumRetryAttempts: retry.maximumRetryAttempts };
}

/** What is wrong with a retry (EventBridge's limits), each problem naming `field`; [] when valid. */
export function targetRetryProblems(field: string, retry: TargetRetry | undefined): string[] {
  const problems: string[] = [];
  if (retry && (retry.maximumEventAgeSeconds < 60 || retry.maximumEventAgeSeconds > 86_400)) {
    problems.push(`${field}.maximumEventAgeSeconds is ${retry.maximumEventAgeSeconds}: must be 60-86400`);
  }
  if (retry && (retry.maximumRetryAttempts < 0 || retry.maximumRetryAttempts > 185)) {
    problems.push(`${field}.maximumRetryAttempts is ${retry.maximumRetryAttempts}: must be 0-185`);
  }
  return problems;
}

/** What is wrong with a dead-letter retention; [] when valid. */
export function deadLetterRetentionProblems(field: string, days: number | undefined): string[] {
  return days !== undefined && (days < 1 || days > 14) ? [`${field} is ${days}: SQS keeps messages 1-14 days`] : [];
}

/**
 * A rule's dead-letter queue accepts messages from EventBridge for those rules only (one rule,
 * several rules of one module sharing the queue, or the rules an ARN pattern names: every
 * pipeline's rule of one kind, whose stacks come and go while the queue stays).
 */
export function ruleDeadLetterQueuePolicy(queueArn: string, ruleArn: string | readonly string[]): PolicyDocument {
  const ruleArns = typeof ruleArn === "string" ? [ruleArn] : [...ruleArn];
  const pattern = ruleArns.some((arn) => arn.includes("*"));
  return policyDocument({
    Sid: pattern ? "OnlyRulesOfThisPatternSendDeadLetters" : typeof ruleArn === "string" ? "OnlyThisRuleSendsDeadLetters" : "OnlyTheseRulesSendDeadLetters",
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: ["sqs:SendMessage"],
    Resource: [queueArn],
    Condition: { [pattern ? "ArnLike" : "ArnEquals"]: { "aws:SourceArn": typeof ruleArn === "string" ? ruleArn : ruleArns } },
  });
}

export interface DeadLetterQueueInput {
  /** From `Namer` (`sqsQueue`). */
  readonly name: string;
  /** The platform key. */
  readonly kmsKeyArn: string;
  readonly retentionDays: number;
}

/**
 * An encrypted dead-letter queue, created in `scope` with construct id `id` (so callers keep their
 * resource addresses). A Scheduler target needs no queue policy: it sends with the schedule's role.
 */
export function deadLetterQueue(scope: Construct, id: string, input: DeadLetterQueueInput): SqsQueue {
  return new SqsQueue(scope, id, {
    name: input.name,
    kmsMasterKeyId: input.kmsKeyArn,
    messageRetentionSeconds: input.retentionDays * SECONDS_PER_DAY,
  });
}

export interface RuleDeadLetterQueueInput extends DeadLetterQueueInput {
  /** The queue's ARN, computed from its name so the policy stays literal. */
  readonly queueArn: string;
  /** The rule (or rules) whose targets send to the queue. */
  readonly ruleArns: string | readonly string[];
}

/** A dead-letter queue for EventBridge rule targets, with its policy (construct id `<id>-policy`). */
export function ruleDeadLetterQueue(scope: Construct, id: string, input: RuleDeadLetterQueueInput): SqsQueue {
  const queue = deadLetterQueue(scope, id, input);
  new SqsQueuePolicy(scope, `${id}-policy`, {
    queueUrl: queue.url,
    policy: policyJson(ruleDeadLetterQueuePolicy(input.queueArn, input.ruleArns)),
  });
  return queue;
}
