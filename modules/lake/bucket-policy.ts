import { Arns } from "../../lib/arn";
import { PolicyDocument, PolicyStatement, policyDocument } from "../../lib/iam";

/** Denies every request that does not use TLS, for the bucket and its objects. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: ["s3:*"],
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** Lets S3 deliver server access logs of this account's buckets (and no others) into this one. */
export function allowAccessLogDelivery(bucketArn: string, accountId: string): PolicyStatement {
  return {
    Sid: "S3ServerAccessLogDelivery",
    Effect: "Allow",
    Principal: { Service: "logging.s3.amazonaws.com" },
    Action: ["s3:PutObject"],
    Resource: [`${bucketArn}/*`],
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  };
}

export function bucketPolicy(bucketName: string, accountId: string, region: string, receivesAccessLogs: boolean): PolicyDocument {
  const bucketArn = new Arns(accountId, region).s3Bucket(bucketName);
  const statements = [denyInsecureTransport(bucketArn)];
  if (receivesAccessLogs) statements.push(allowAccessLogDelivery(bucketArn, accountId));
  return policyDocument(...statements);
}
