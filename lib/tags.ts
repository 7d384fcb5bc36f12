import { PROJECT } from "./naming";

/** The tags every taggable resource carries (applied once, as the AWS provider's default tags). */
export interface PlatformTagInput {
  readonly environment: string;
  readonly owner: string;
  readonly costCenter: string;
  readonly extra?: Readonly<Record<string, string>>;
}

/** Tag keys the policy suite requires on every taggable resource. */
export const REQUIRED_TAG_KEYS = ["environment", "project", "owner", "cost-center", "managed-by"] as const;

/**
 * The default tags that tell one environment's resources from any other's: the CI roles scope
 * resources with generated ids (keys, VPC parts, Redshift Serverless) by them.
 */
export const SCOPE_TAG_KEYS = ["environment", "project"] as const;

export function platformTags(input: PlatformTagInput): Record<string, string> {
  return {
    ...input.extra,
    environment: input.environment,
    project: PROJECT,
    owner: input.owner,
    "cost-center": input.costCenter,
    "managed-by": "cdktf",
  };
}
