import { block } from "../harness";
import { PolicyRule } from "../types";
import { referencedResource } from "./orchestration";

const asList = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value : value ? [value] : []).map((v) => block(v) ?? {});

/** Cost guardrails of issue 16: the bill is watched, not only estimated. */
export const costRules: PolicyRule[] = [
  {
    id: "COST-BUDGET",
    description: "Every platform stack has a monthly COST budget whose ACTUAL and FORECASTED notifications go to an encrypted topic of the stack that only this account's budgets may publish to",
    references: ["AWS Well-Architected COST02-BP05 (implement cost controls)", "AWS Budgets: notifications to an SNS topic"],
    resourceTypes: [],
    // The budget alerts through the platform's alarm topic, so it lives in the stack that has one.
    notApplicable: (context) =>
      context.resourcesOfType("aws_sns_topic").length === 0 ? "no alarm topic in this stack (a bootstrap or single-module stack): the account's budget is in its platform stack, with the topic" : undefined,
    check: (_resource, context) => {
      const budgets = context.resourcesOfType("aws_budgets_budget").filter((b) => b.config.budget_type === "COST" && b.config.time_unit === "MONTHLY");
      if (budgets.length === 0) return ["no monthly COST budget (aws_budgets_budget with budget_type COST, time_unit MONTHLY)"];
      const problems: string[] = [];
      for (const budget of budgets) {
        const notifications = asList(budget.config.notification);
        for (const type of ["ACTUAL", "FORECASTED"]) {
          const found = notifications.filter((n) => n.notification_type === type);
          if (found.length === 0) problems.push(`${budget.address} has no ${type} notification`);
          for (const n of found) {
            const topics = (n.subscriber_sns_topic_arns as unknown[] | undefined) ?? [];
            if (topics.length === 0) problems.push(`${budget.address}: the ${type} notification goes to no SNS topic`);
            for (const arn of topics) {
              const topic = referencedResource(context, arn, "aws_sns_topic");
              if (!topic) problems.push(`${budget.address}: ${String(arn)} is not a topic of this stack`);
              else if (!topic.config.kms_master_key_id) problems.push(`${budget.address}: topic ${topic.address} is not encrypted`);
              else {
                const policies = context.companions(topic, "aws_sns_topic_policy", "arn");
                const statements = policies.flatMap((p) => {
                  try {
                    return (JSON.parse(String(p.config.policy)) as { Statement: Record<string, any>[] }).Statement;
                  } catch {
                    return [];
                  }
                });
                const grant = statements.find((s) => s.Effect === "Allow" && JSON.stringify(s.Principal ?? {}).includes("budgets.amazonaws.com"));
                if (!grant) problems.push(`${budget.address}: the policy of ${topic.address} does not let budgets.amazonaws.com publish`);
                else if (!grant.Condition?.StringEquals?.["aws:SourceAccount"]) problems.push(`${budget.address}: the budgets grant of ${topic.address} has no aws:SourceAccount condition`);
              }
            }
          }
        }
      }
      return problems;
    },
  },
];
