import { PolicyDocument, policyDocument } from "../../lib/iam";

/** Services that publish alarms as themselves; roles of this account publish through their own IAM policies. */
export const DEFAULT_PUBLISHING_SERVICES = ["cloudwatch.amazonaws.com"] as const;

/**
 * The alarm topic's resource policy. It replaces SNS's default policy (which lets any principal of
 * the account manage the topic): services publish only on behalf of this account (confused-deputy
 * guard), and nobody reaches the topic without TLS.
 */
export function alarmTopicPolicy(topicArn: string, accountId: string, services: readonly string[] = DEFAULT_PUBLISHING_SERVICES): PolicyDocument {
  return policyDocument(
    {
      Sid: "ThisAccountsServicesPublish",
      Effect: "Allow",
      Principal: { Service: [...services] },
      Action: ["sns:Publish"],
      Resource: [topicArn],
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
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
