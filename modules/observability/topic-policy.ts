import { PolicyDocument, PolicyStatement, policyDocument } from "../../lib/iam";

/** Services that publish alarms as themselves; roles of this account publish through their own IAM policies. */
export const DEFAULT_PUBLISHING_SERVICES = ["cloudwatch.amazonaws.com"] as const;

/**
 * The alarm topic's resource policy. It replaces SNS's default policy (which lets any principal of
 * the account manage the topic): services publish only on behalf of this account (confused-deputy
 * guard), EventBridge publishes only for the given rules (their ARNs name this account), and
 * nobody reaches the topic without TLS.
 */
export function alarmTopicPolicy(
  topicArn: string,
  accountId: string,
  services: readonly string[] = DEFAULT_PUBLISHING_SERVICES,
  eventRuleArns: readonly string[] = [],
  budgetArns: readonly string[] = [],
): PolicyDocument {
  // AWS Budgets publishes as itself; the documented confused-deputy guard is both conditions.
  const budgets: PolicyStatement[] = budgetArns.length
    ? [
        {
          Sid: "ThisAccountsBudgetsPublish",
          Effect: "Allow",
          Principal: { Service: "budgets.amazonaws.com" },
          Action: ["sns:Publish"],
          Resource: [topicArn],
          Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": [...budgetArns] } },
        },
      ]
    : [];
  const rules: PolicyStatement[] = eventRuleArns.length
    ? [
        {
          Sid: "ThisAccountsRulesPublish",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: ["sns:Publish"],
          Resource: [topicArn],
          Condition: { ArnEquals: { "aws:SourceArn": [...eventRuleArns] } },
        },
      ]
    : [];
  return policyDocument(
    {
      Sid: "ThisAccountsServicesPublish",
      Effect: "Allow",
      Principal: { Service: [...services] },
      Action: ["sns:Publish"],
      Resource: [topicArn],
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
    ...rules,
    ...budgets,
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: ["sns:Publish"],
      Resource: [topicArn],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  );
}
