import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { policyJson } from "../../lib/iam";
import { CostBudgetInput, ObservabilityProps } from "./observability-props";
import { alarmTopicPolicy } from "./topic-policy";

/** The platform's alarm topic: every failure path of every module publishes here. */
export class Observability extends Construct {
  readonly alarmTopic: SnsTopic;
  /** Reference to the topic's ARN: every target and alarm that publishes to it is created after it. */
  readonly alarmTopicArn: string;
  readonly alarmTopicName: string;
  /** The monthly cost budget's name, when there is one. */
  readonly budgetName?: string;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    if (props.alarmEmails.length === 0) {
      throw new Error(`Observability: alarmEmails is []: give at least one address, or nobody hears an alarm`);
    }
    this.alarmTopicName = props.alarmTopicName;
    this.alarmTopic = new SnsTopic(this, "alarm-topic", { name: props.alarmTopicName, kmsMasterKeyId: props.kmsKeyArn });
    this.alarmTopicArn = this.alarmTopic.arn;
    const budgetArns = props.budget ? [budgetArn(props.accountId, props.budget.name)] : [];
    const topicPolicy = new SnsTopicPolicy(this, "alarm-topic-policy", {
      arn: this.alarmTopic.arn,
      policy: policyJson(alarmTopicPolicy(this.alarmTopicArn, props.accountId, props.publishingServices, props.publishingEventRuleArns, budgetArns)),
    });
    if (props.budget) {
      const problems = costBudgetProblems(props.budget);
      if (problems.length) throw new Error(`Observability: ${problems.join("; ")}`);
      // The topic policy first: Budgets checks that it may publish when the notification is created.
      new BudgetsBudget(this, "monthly-cost", { ...costBudgetConfig(props.budget, this.alarmTopic.arn), dependsOn: [topicPolicy] });
      this.budgetName = props.budget.name;
    }
    props.alarmEmails.forEach((email, index) => {
      new SnsTopicSubscription(this, `alarm-email-${index}`, { topicArn: this.alarmTopic.arn, protocol: "email", endpoint: email });
    });
  }
}

/** A budget's ARN (AWS Budgets: global, no region). */
export function budgetArn(accountId: string, name: string): string {
  return `arn:aws:budgets::${accountId}:budget/${name}`;
}

/** What is wrong with a budget input; [] when valid. */
export function costBudgetProblems(budget: CostBudgetInput): string[] {
  const problems: string[] = [];
  if (!(budget.monthlyUsd > 0)) problems.push(`budget.monthlyUsd is ${budget.monthlyUsd}: must be a positive amount of USD`);
  for (const field of ["actualPercent", "forecastPercent"] as const) {
    if (!Number.isInteger(budget[field]) || budget[field] < 1) problems.push(`budget.${field} is ${budget[field]}: must be a whole percentage >= 1`);
  }
  return problems;
}

/**
 * A monthly COST budget of the whole account (each environment has its own account), with an
 * ACTUAL and a FORECASTED notification to the alarm topic.
 */
export function costBudgetConfig(budget: CostBudgetInput, topicArn: string) {
  const notification = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
    notificationType,
    comparisonOperator: "GREATER_THAN",
    threshold,
    thresholdType: "PERCENTAGE",
    subscriberSnsTopicArns: [topicArn],
  });
  return {
    name: budget.name,
    budgetType: "COST",
    limitAmount: budget.monthlyUsd.toFixed(2),
    limitUnit: "USD",
    timeUnit: "MONTHLY",
    notification: [notification("ACTUAL", budget.actualPercent), notification("FORECASTED", budget.forecastPercent)],
  };
}
