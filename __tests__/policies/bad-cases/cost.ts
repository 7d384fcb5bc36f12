import { BadCase, stackOf } from "./builders";

const topic = { aws_sns_topic: { t: { name: "dp-dev-alarms", kms_master_key_id: "${aws_kms_key.k.arn}" } } };
const topicPolicy = (statement: Record<string, unknown>) => ({
  aws_sns_topic_policy: { p: { arn: "${aws_sns_topic.t.arn}", policy: JSON.stringify({ Statement: [statement] }) } },
});
const budgetsMayPublish = { Effect: "Allow", Principal: { Service: "budgets.amazonaws.com" }, Action: ["sns:Publish"], Resource: ["x"] };
const budget = (notifications: string[]) => ({
  aws_budgets_budget: {
    b: { name: "dp-dev-monthly-cost", budget_type: "COST", time_unit: "MONTHLY", notification: notifications.map((type) => ({ notification_type: type, subscriber_sns_topic_arns: ["${aws_sns_topic.t.arn}"] })) },
  },
});

/** COST-BUDGET's failing case: a budget whose forecast nobody hears, to a topic without the source-account guard. */
export const costBadCases: Record<string, BadCase> = {
  "COST-BUDGET": { stack: stackOf({ ...topic, ...topicPolicy(budgetsMayPublish), ...budget(["ACTUAL"]) }), address: "test-stack" },
};
