/**
 * The one place where resource names are made. Every name is deterministic, unique per
 * environment (and, for global namespaces like S3, per account and region), and checked against
 * the service's own limits when it is made: a name that AWS would refuse fails at synthesis, not
 * at apply.
 */

/** Short on purpose: long pipeline names must still fit IAM's 64-character role names. */
export const NAME_PREFIX = "dp";
export const PROJECT = "data-platform";

/** Each kind of name: how long it may be and which characters it allows. */
export interface NameRule {
  readonly maxLength: number;
  readonly pattern: RegExp;
  readonly describe: string;
  readonly separator: "-" | "_";
}

const kebab = (maxLength: number): NameRule => ({
  maxLength,
  pattern: /^[a-z][a-z0-9-]*[a-z0-9]$/,
  describe: "lowercase letters, digits and hyphens, starting with a letter",
  separator: "-",
});
const snake = (maxLength: number): NameRule => ({
  maxLength,
  pattern: /^[a-z][a-z0-9_]*$/,
  describe: "lowercase letters, digits and underscores, starting with a letter",
  separator: "_",
});

/** Service limits, from each service's API reference. */
export const NAME_RULES = {
  s3Bucket: kebab(63),
  iamRole: kebab(64),
  iamPolicy: kebab(128),
  kmsAlias: kebab(250),
  kinesisStream: kebab(128),
  glueJob: kebab(255),
  glueCrawler: kebab(255),
  glueSecurityConfiguration: kebab(255),
  glueConnection: kebab(255),
  glueDatabase: snake(255),
  athenaWorkgroup: kebab(128),
  redshiftNamespace: kebab(64),
  redshiftWorkgroup: kebab(64),
  stateMachine: kebab(80),
  eventRule: kebab(64),
  schedule: kebab(64),
  sqsQueue: kebab(80),
  snsTopic: kebab(256),
  cloudwatchAlarm: kebab(255),
  logGroup: { ...kebab(512), pattern: /^[a-z0-9/._-]+$/, describe: "lowercase letters, digits, '/', '.', '_' and '-'" },
  secret: { ...kebab(512), pattern: /^[a-z0-9/_+=.@-]+$/, describe: "lowercase letters, digits and /_+=.@-" },
  securityGroup: kebab(255),
  vpc: kebab(255),
  quicksightId: kebab(512),
  ssmParameter: kebab(1011),
  generic: kebab(128),
} as const satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

export class NameError extends Error {}

/** What is wrong with a finished name for its kind; undefined when the service would take it. */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  const rule = NAME_RULES[kind];
  if (name.length > rule.maxLength) return `${kind} name "${name}" is ${name.length} characters; the limit is ${rule.maxLength}`;
  if (!rule.pattern.test(name)) return `${kind} name "${name}" must use ${rule.describe}`;
  return undefined;
}

/** Checks a finished name against its kind's rule; returns it unchanged or throws. */
export function checkName(kind: NameKind, name: string): string {
  const problem = nameProblem(kind, name);
  if (problem) throw new NameError(problem);
  return name;
}

/** Names scoped to one environment: `dp-<env>-<parts…>` (or `dp_<env>_<parts…>` for snake kinds). */
export class Namer {
  constructor(
    readonly environment: string,
    readonly accountId: string,
    readonly region: string,
  ) {}

  /** `dp-<env>`: how every name of this environment starts; the CI roles' IAM scoping matches on it. */
  get prefix(): string {
    return `${NAME_PREFIX}-${this.environment}`;
  }

  /**
   * The permissions boundary every role of this environment carries. Bootstrap creates the policy;
   * the platform stack, deployed separately, can only know its ARN by this name.
   */
  permissionsBoundaryName(): string {
    return this.name("iamPolicy", "permissions-boundary");
  }

  /** A name of the given kind from its parts, with the environment prefix. */
  name(kind: NameKind, ...parts: string[]): string {
    return this.checked(kind, composeName(kind, this.environment, parts));
  }

  /**
   * S3 bucket names are global across all AWS accounts: the account id and region make them
   * unique without a random suffix, so that the name stays stable from plan to plan.
   */
  bucket(purpose: string): string {
    return this.checked("s3Bucket", [NAME_PREFIX, this.environment, purpose, this.accountId, this.region].join("-"));
  }

  /** Log group names follow AWS's path convention: `/<service>/dp-<env>/<parts…>`. */
  logGroup(service: string, ...parts: string[]): string {
    return this.checked("logGroup", ["", service, `${NAME_PREFIX}-${this.environment}`, ...parts].join("/"));
  }

  /** Every name passes here: it throws on a name the service would refuse (validation overrides it to collect them). */
  protected checked(kind: NameKind, name: string): string {
    return checkName(kind, name);
  }
}

/** `dp-<env>-<parts…>` with the kind's separator, each part lower-cased and its other characters folded into it. */
export function composeName(kind: NameKind, environment: string, parts: readonly string[]): string {
  const rule = NAME_RULES[kind];
  return [NAME_PREFIX, environment, ...parts].map((p) => normalizePart(p, rule.separator)).join(rule.separator);
}

function normalizePart(part: string, separator: "-" | "_"): string {
  return part.toLowerCase().replace(/[^a-z0-9]+/g, separator);
}

/** Stands for any pipeline in {@link pipelineNamePattern}: valid in every kind, and no real part of a name. */
const ANY_PIPELINE = "xanypipelinex";

/**
 * The pattern matching the names `make` gives every pipeline (`dp-prod-*-catalog`): made by the
 * same function that names one pipeline's resource, so the two cannot drift apart. Shared roles and
 * rules of an environment's core stack scope themselves to the pipelines' resources this way.
 */
export function pipelineNamePattern(make: (pipeline: string) => string): string {
  const name = make(ANY_PIPELINE);
  if (!name.includes(ANY_PIPELINE)) throw new Error(`pipelineNamePattern: "${name}" does not contain the pipeline's name`);
  return name.replace(ANY_PIPELINE, "*");
}
