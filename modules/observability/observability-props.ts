export interface ObservabilityProps {
  /** Topic name, e.g. `dp-prod-alarms` (see `Namer`). Required. */
  readonly alarmTopicName: string;
  /** ARN of the platform key: the topic is SSE-KMS with it. Required. */
  readonly kmsKeyArn: string;
  /** Owning account: only its services may publish through the topic policy. Required. */
  readonly accountId: string;
  /** Region of the topic. Required. */
  readonly region: string;
  /** Addresses subscribed to every alarm; each must confirm the subscription e-mail. Required, at least one. */
  readonly alarmEmails: readonly string[];
  /**
   * AWS services that publish to the topic as themselves (not through a role of ours).
   * @default ["cloudwatch.amazonaws.com"]
   */
  readonly publishingServices?: readonly string[];
  /**
   * EventBridge rules that publish to the topic (e.g. `alarmEventRuleArns`): only they, by
   * `aws:SourceArn`, not every rule of the account.
   * @default [] (no rule publishes)
   */
  readonly publishingEventRuleArns?: readonly string[];
  /**
   * The account's monthly cost budget, e-mailed through the topic when the actual or forecast cost
   * passes its thresholds (see `CostBudget`). @default no budget
   */
  readonly budget?: CostBudgetInput;
}

export interface CostBudgetInput {
  /** Budget name, e.g. `dp-dev-monthly-cost` (see `Namer`). Required. */
  readonly name: string;
  /** USD a month. Required, > 0. */
  readonly monthlyUsd: number;
  /** Notify when the month's actual cost passes this percentage of the amount. Required. */
  readonly actualPercent: number;
  /** Notify when AWS forecasts the month to pass this percentage of the amount. Required. */
  readonly forecastPercent: number;
}
