import { Arns } from "../../lib/arn";
import { PolicyDocument, allow, policyDocument } from "../../lib/iam";

/**
 * What VPC Flow Logs needs to deliver into one existing log group: streams and events there, and
 * nothing else. `logs:CreateLogGroup` and `logs:DescribeLogGroups` (wildcard-only) are left out on
 * purpose: the group is created by Terraform, with its key and retention.
 */
export function flowLogDeliveryPolicy(input: { accountId: string; region: string; logGroupName: string }): PolicyDocument {
  const arns = new Arns(input.accountId, input.region);
  return policyDocument(
    allow("DescribeFlowLogStreams", ["logs:DescribeLogStreams"], [arns.logGroup(input.logGroupName)]),
    allow("WriteFlowLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [arns.logStreams(input.logGroupName)]),
  );
}
