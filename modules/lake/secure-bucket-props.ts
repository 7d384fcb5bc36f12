import type { ITerraformDependable } from "cdktf";
import type { RestrictedPrefix } from "./bucket-policy";
/** An extra lifecycle rule for objects under one prefix (e.g. temporary files). */
export interface PrefixExpiration {
  /** Key prefix the rule applies to, e.g. `temp/`. */
  readonly prefix: string;
  /** Days after creation when objects under the prefix are deleted. */
  readonly expireAfterDays: number;
}

export interface SecureBucketProps {
  /** Globally unique bucket name (see `Namer.bucket`). Required. */
  readonly bucketName: string;
  /** Account that owns the bucket; scopes the policy's service grants. Required. */
  readonly accountId: string;
  /** Region of the bucket. Required. */
  readonly region: string;
  /** ARN of the KMS key for SSE-KMS (with an S3 bucket key). Required. */
  readonly kmsKeyArn: string;
  /**
   * The bucket that receives this bucket's server access logs (a SecureBucket with
   * `receivesAccessLogs`). Omit only for the access-logs bucket itself (S3 must not log a bucket
   * into itself). @default no access logging
   */
  readonly accessLogBucket?: AccessLogTarget;
  /** True for the bucket that receives server access logs: adds the delivery grant. @default false */
  readonly receivesAccessLogs?: boolean;
  /** Delete current objects this many days after creation. @default never */
  readonly expireAfterDays?: number;
  /** Delete noncurrent versions this many days after they become noncurrent. @default 30 */
  readonly noncurrentVersionDays?: number;
  /** Move objects to Intelligent-Tiering after this many days. @default no transition */
  readonly intelligentTieringAfterDays?: number;
  /** Prefixes only some principals may read (a bucket-policy deny for everyone else). @default none */
  readonly restrictedPrefixes?: readonly RestrictedPrefix[];
  /** Extra expiration rules per prefix. @default none */
  readonly prefixExpirations?: readonly PrefixExpiration[];
  /** Abort multipart uploads left incomplete for this many days. @default 7 */
  readonly abortIncompleteUploadDays?: number;
  /** Send every object event to EventBridge (drives catalog automation). @default false */
  readonly eventBridge?: boolean;
  /** Let `terraform destroy` delete a bucket that still holds objects. @default false */
  readonly forceDestroy?: boolean;
  /** Terraform `prevent_destroy` on the bucket. @default true */
  readonly preventDestroy?: boolean;
}

/** What a bucket needs of its access-log target: its name (a reference) and its policy. */
export interface AccessLogTarget {
  readonly bucketName: string;
  readonly policy: ITerraformDependable;
}
