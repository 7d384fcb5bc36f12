import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import {
  S3BucketLifecycleConfiguration,
  S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA as S3BucketLogging } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA as S3BucketVersioning } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { Arns } from "../../lib/arn";
import { policyJson } from "../../lib/iam";
import { bucketPolicy } from "./bucket-policy";
import { SecureBucketProps } from "./secure-bucket-props";

/**
 * An S3 bucket that meets the Storage rules of the policy suite by construction: SSE-KMS with a
 * bucket key, all public access blocked, ACLs off, TLS only, versioned, access-logged, and with
 * lifecycle rules that always abort incomplete uploads.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  /** Reference to the bucket's name: whoever names the bucket is created after it. */
  readonly bucketName: string;
  /**
   * Computed from the name, for policy documents (IAM accepts an ARN of a bucket that does not
   * exist yet, and the CI roles' policies stay literal).
   */
  readonly bucketArn: string;
  /** The bucket policy (TLS only; for the access-logs bucket, the log delivery grant). */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucketArn = new Arns(props.accountId, props.region).s3Bucket(props.bucketName);

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.bucketName = this.bucket.bucket;
    const bucket = this.bucket.id;

    new S3BucketServerSideEncryptionConfiguration(this, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketVersioning(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket,
      policy: policyJson(bucketPolicy(props.bucketName, props.accountId, props.region, props.receivesAccessLogs ?? false, props.restrictedPrefixes)),
    });
    if (props.accessLogBucket) {
      new S3BucketLogging(this, "logging", {
        bucket,
        targetBucket: props.accessLogBucket.bucketName,
        targetPrefix: `${props.bucketName}/`,
        // S3 delivers logs only once the target's policy lets the logging service write.
        dependsOn: [props.accessLogBucket.policy],
      });
    }
    new S3BucketLifecycleConfiguration(this, "lifecycle", { bucket, rule: lifecycleRules(props) });
    if (props.eventBridge) {
      new S3BucketNotification(this, "notification", { bucket, eventbridge: true });
    }
  }
}

/** The bucket's lifecycle rules, from its props; pure so that tests can read them directly. */
export function lifecycleRules(props: SecureBucketProps): S3BucketLifecycleConfigurationRule[] {
  const rules: S3BucketLifecycleConfigurationRule[] = [
    {
      id: "abort-incomplete-uploads-and-expire-noncurrent",
      status: "Enabled",
      filter: [{ prefix: "" }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadDays ?? 7 }],
      noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 30 }],
      expiration: [{ expiredObjectDeleteMarker: true }],
    },
  ];
  if (props.expireAfterDays !== undefined || props.intelligentTieringAfterDays !== undefined) {
    rules.push({
      id: "current-objects",
      status: "Enabled",
      filter: [{ prefix: "" }],
      ...(props.intelligentTieringAfterDays !== undefined &&
      (props.expireAfterDays === undefined || props.intelligentTieringAfterDays < props.expireAfterDays)
        ? { transition: [{ days: props.intelligentTieringAfterDays, storageClass: "INTELLIGENT_TIERING" }] }
        : {}),
      ...(props.expireAfterDays !== undefined ? { expiration: [{ days: props.expireAfterDays }] } : {}),
    });
  }
  for (const { prefix, expireAfterDays } of props.prefixExpirations ?? []) {
    rules.push({
      id: `expire-${prefix.replace(/[^a-z0-9]+/gi, "-").replace(/-+$/, "")}`,
      status: "Enabled",
      filter: [{ prefix }],
      expiration: [{ days: expireAfterDays }],
    });
  }
  return rules;
}
