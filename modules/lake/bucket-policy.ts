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

/** Object reads: what returns an object's content (or restores it to be read). */
export const OBJECT_CONTENT_READS = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes", "s3:GetObjectVersionAttributes", "s3:RestoreObject"];

/** A prefix only some roles may read, whatever IAM grants anyone else (an admin included). */
export interface RestrictedPrefix {
  /** Key prefix, e.g. `raw-payloads/`. */
  readonly prefix: string;
  /** ARN patterns of the principals that may read under it. */
  readonly readerArns: readonly string[];
}

/** Denies reading objects under `prefix` to every principal whose ARN is not one of the readers'. */
export function denyReadsOutside(sid: string, bucketArn: string, restricted: RestrictedPrefix): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Deny",
    Principal: "*",
    Action: OBJECT_CONTENT_READS,
    Resource: [`${bucketArn}/${restricted.prefix}*`],
    Condition: { ArnNotLike: { "aws:PrincipalArn": restricted.readerArns } },
  };
}

export function bucketPolicy(bucketName: string, accountId: string, region: string, receivesAccessLogs: boolean, restricted: readonly RestrictedPrefix[] = []): PolicyDocument {
  const bucketArn = new Arns(accountId, region).s3Bucket(bucketName);
  const statements = [denyInsecureTransport(bucketArn)];
  if (receivesAccessLogs) statements.push(allowAccessLogDelivery(bucketArn, accountId));
  restricted.forEach((r, i) => statements.push(denyReadsOutside(`RestrictedReads${i}`, bucketArn, r)));
  return policyDocument(...statements);
}
