import { platformKeyPolicy } from "../../modules/lake";
import { alarmTopicPolicy, budgetArn, costBudgetConfig, costBudgetProblems } from "../../modules/observability";
import { ALL_RULES, runPolicies } from "../../policies";
import { simulate } from "../helpers/iam";
import { resourcesOf, stacksUnderTest, synthAll } from "../helpers/synth";

/** Issue 16, item 3: a monthly AWS Budget per environment, alerting through the alarm topic. */

describe.each(synthAll().map((s) => [s.environment.name, s] as const))("the budget of %s", (_name, { environment, platform }) => {
  const budgets = resourcesOf(platform, "aws_budgets_budget").map(([, b]) => b);
  const [topicId] = resourcesOf(platform, "aws_sns_topic")[0];

  it("is one monthly COST budget of the configured amount, with actual and forecast notifications to the alarm topic", () => {
    expect(budgets).toHaveLength(1);
    const [budget] = budgets;
    expect(budget).toMatchObject({ name: `dp-${environment.name}-monthly-cost`, budget_type: "COST", time_unit: "MONTHLY", limit_unit: "USD" });
    expect(Number(budget.limit_amount)).toBe(environment.budget.monthlyUsd);
    const byType = Object.fromEntries(budget.notification.map((n: Record<string, any>) => [n.notification_type, n]));
    expect(Object.keys(byType).sort()).toEqual(["ACTUAL", "FORECASTED"]);
    expect(byType.ACTUAL).toMatchObject({ threshold: environment.budget.actualPercent, threshold_type: "PERCENTAGE", comparison_operator: "GREATER_THAN" });
    expect(byType.FORECASTED).toMatchObject({ threshold: environment.budget.forecastPercent, threshold_type: "PERCENTAGE" });
    for (const n of budget.notification) expect(n.subscriber_sns_topic_arns).toEqual([`\${aws_sns_topic.${topicId}.arn}`]);
    // Budgets checks its permission to publish when the notification is created: policy first.
    expect(budget.depends_on.some((d: string) => d.startsWith("aws_sns_topic_policy."))).toBe(true);
  });
});

describe("who may publish budget alerts", () => {
  const account = "111122223333";
  const topic = `arn:aws:sns:eu-west-1:${account}:dp-dev-alarms`;
  const budget = budgetArn(account, "dp-dev-monthly-cost");
  const policy = alarmTopicPolicy(topic, account, undefined, [], [budget]);
  const publish = (context: Record<string, string>) =>
    simulate([], "sns:Publish", topic, { accountId: account, principal: "budgets.amazonaws.com", resourcePolicy: policy, context: { "aws:SecureTransport": "true", ...context } });

  it("lets AWS Budgets publish for this account's budget", async () => {
    expect(await publish({ "aws:SourceAccount": account, "aws:SourceArn": budget })).toBe("Allowed");
  });

  it("refuses another account's budget, and another budget of this account (confused deputy)", async () => {
    expect(await publish({ "aws:SourceAccount": "999988887777", "aws:SourceArn": budgetArn("999988887777", "dp-dev-monthly-cost") })).not.toBe("Allowed");
    expect(await publish({ "aws:SourceAccount": account, "aws:SourceArn": budgetArn(account, "someone-elses") })).not.toBe("Allowed");
  });

  it("lets AWS Budgets use the platform key to encrypt into the topic, for this account only", async () => {
    const keyPolicy = platformKeyPolicy({ accountId: account, region: "eu-west-1" });
    const key = `arn:aws:kms:eu-west-1:${account}:key/00000000-0000-0000-0000-000000000000`;
    const use = (sourceAccount: string) => simulate([], "kms:GenerateDataKey", key, { accountId: account, principal: "budgets.amazonaws.com", resourcePolicy: keyPolicy, context: { "aws:SourceAccount": sourceAccount } });
    expect(await use(account)).toBe("Allowed");
    expect(await use("999988887777")).not.toBe("Allowed");
  });

  it("has no budget statement when there is no budget", () => {
    expect(JSON.stringify(alarmTopicPolicy(topic, account))).not.toContain("budgets.amazonaws.com");
  });
});

describe("budget input", () => {
  it("refuses a non-positive amount and fractional percentages, naming the field and value", () => {
    expect(costBudgetProblems({ name: "b", monthlyUsd: 0, actualPercent: 80.5, forecastPercent: 0 })).toEqual([
      "budget.monthlyUsd is 0: must be a positive amount of USD",
      "budget.actualPercent is 80.5: must be a whole percentage >= 1",
      "budget.forecastPercent is 0: must be a whole percentage >= 1",
    ]);
  });

  it("writes the amount as the decimal string Budgets stores", () => {
    expect(costBudgetConfig({ name: "b", monthlyUsd: 30, actualPercent: 80, forecastPercent: 100 }, "arn").limitAmount).toBe("30.00");
  });
});

describe("COST-BUDGET policy rule", () => {
  const rule = ALL_RULES.find((r) => r.id === "COST-BUDGET")!;

  it("passes every synthesized stack (bootstrap stacks reported as not applicable)", () => {
    const report = runPolicies(stacksUnderTest(), [rule]);
    expect(report.violations).toEqual([]);
  });

  it("catches a platform stack without a budget, and a budgets grant without the source-account condition", () => {
    const dev = stacksUnderTest().find((s) => s.stackName === "data-platform-dev")!;
    const strip = (json: typeof dev.json, mutate: (resources: Record<string, any>) => void) => {
      const copy = structuredClone(json) as { resource: Record<string, any> };
      mutate(copy.resource);
      return { ...dev, json: copy };
    };
    const noBudget = strip(dev.json, (r) => delete r.aws_budgets_budget);
    expect(runPolicies([noBudget], [rule]).violations.map((v) => v.message).join("\n")).toMatch(/no monthly COST budget/);
    const unguarded = strip(dev.json, (r) => {
      const [id] = Object.keys(r.aws_sns_topic_policy);
      const policy = JSON.parse(r.aws_sns_topic_policy[id].policy);
      for (const s of policy.Statement) if (JSON.stringify(s.Principal ?? {}).includes("budgets")) delete s.Condition.StringEquals;
      r.aws_sns_topic_policy[id].policy = JSON.stringify(policy);
    });
    expect(runPolicies([unguarded], [rule]).violations.map((v) => v.message).join("\n")).toMatch(/no aws:SourceAccount condition/);
  });
});
