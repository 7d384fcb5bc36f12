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

/** AWS's tag limits ("Tag naming limits and requirements"): per resource, per key, per value. */
export const TAG_LIMITS = {
  tagsPerResource: 50,
  keyLength: 128,
  valueLength: 256,
  characters: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  describeCharacters: "letters, digits, spaces and _ . : / = + - @",
} as const;

/** Tags a resource sets itself besides the default tags (the network's `Name`), kept free under the limit. */
export const RESOURCE_TAG_ALLOWANCE = 5;
/** The most extra tags an environment may add: AWS's 50 less the required tags and the resource allowance. */
export const MAX_EXTRA_TAGS = TAG_LIMITS.tagsPerResource - REQUIRED_TAG_KEYS.length - RESOURCE_TAG_ALLOWANCE;

/** What AWS would refuse in one tag; empty when it is fine. */
export function tagProblems(key: string, value: string): string[] {
  const problems: string[] = [];
  if (key.length < 1 || key.length > TAG_LIMITS.keyLength) problems.push(`tag key "${key}" is ${key.length} characters; AWS takes 1-${TAG_LIMITS.keyLength}`);
  if (key.toLowerCase().startsWith("aws:")) problems.push(`tag key "${key}" starts with "aws:", which AWS reserves for its own tags`);
  if (!TAG_LIMITS.characters.test(key)) problems.push(`tag key "${key}" may use only ${TAG_LIMITS.describeCharacters}`);
  if (value.length > TAG_LIMITS.valueLength) problems.push(`tag value of "${key}" is ${value.length} characters; AWS takes at most ${TAG_LIMITS.valueLength}`);
  if (!TAG_LIMITS.characters.test(value)) problems.push(`tag value of "${key}" may use only ${TAG_LIMITS.describeCharacters}`);
  return problems;
}
