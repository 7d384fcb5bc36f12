import type { StackUnderTest, TerraformJson } from "../../../policies";

/** A case that one rule must reject: the stack, and the address it must name. */
export interface BadCase {
  readonly stack: StackUnderTest;
  readonly address: string;
}

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

export const GOOD_PROVIDER = {
  aws: [
    {
      region: "eu-west-1",
      allowed_account_ids: ["111122223333"],
      default_tags: [{ tags: { environment: "dev", project: "data-platform", owner: "o", "cost-center": "c", "managed-by": "cdktf" } }],
    },
  ],
};

export function stackOf(resources: Resources, options: { production?: boolean; provider?: TerraformJson["provider"] } = {}): StackUnderTest {
  return {
    stackName: "test-stack",
    environment: options.production ? "prod" : "dev",
    production: options.production ?? false,
    json: { resource: resources, provider: options.provider ?? GOOD_PROVIDER },
  };
}

/** A bucket with every companion the Storage rules ask for; tests remove or break one part. */
export function compliantBucket(name = "dp-dev-raw-111122223333-eu-west-1"): Resources {
  const ref = "${aws_s3_bucket.b.id}";
  return {
    aws_s3_bucket: { b: { bucket: name, force_destroy: false, lifecycle: { prevent_destroy: true } } },
    aws_s3_bucket_server_side_encryption_configuration: {
      enc: { bucket: ref, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.k.arn}" }, bucket_key_enabled: true }] },
    },
    aws_s3_bucket_public_access_block: {
      pab: { bucket: ref, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
    },
    aws_s3_bucket_ownership_controls: { own: { bucket: ref, rule: { object_ownership: "BucketOwnerEnforced" } } },
    aws_s3_bucket_versioning: { ver: { bucket: ref, versioning_configuration: { status: "Enabled" } } },
    aws_s3_bucket_policy: {
      pol: { bucket: ref, policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: ["s3:*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) },
    },
    aws_s3_bucket_logging: { log: { bucket: ref, target_bucket: "dp-dev-access-logs-111122223333-eu-west-1" } },
    aws_s3_bucket_lifecycle_configuration: { life: { bucket: ref, rule: [{ status: "Enabled", abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }] } },
    aws_s3_bucket_notification: { n: { bucket: ref, eventbridge: true } },
  };
}

/** Changes one attribute of one resource (or deletes it when value is undefined). */
export function withChange(resources: Resources, type: string, name: string, attribute: string, value: unknown): Resources {
  const copy = structuredClone(resources);
  if (value === undefined) delete copy[type][name][attribute];
  else copy[type][name][attribute] = value;
  return copy;
}

export function without(resources: Resources, type: string): Resources {
  const copy = structuredClone(resources);
  delete copy[type];
  return copy;
}
