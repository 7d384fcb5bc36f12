import { ArchiveProvider } from "@cdktf/provider-archive/lib/provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import type { Environment } from "../environments";
import { platformTags } from "../lib/tags";

/**
 * The backends lock with the S3 lock file (`use_lockfile`, `state.locking.kind: lockfile`), generally
 * available from Terraform 1.11 (experimental in 1.10); CI runs 1.11.4.
 */
export const MIN_TERRAFORM_VERSION = "1.11.0";

/**
 * The AWS provider of one environment. `allowed_account_ids` makes Terraform refuse to run with
 * credentials of any other account, so a dev configuration can never touch prod. No `assume_role`:
 * Terraform runs with the credentials it is given, which in CI are the plan or apply role's
 * (docs/security.md, "Deployment identity"); the same configuration serves both.
 */
export function addAwsProvider(stack: TerraformStack, env: Environment): AwsProvider {
  // An older Terraform would fail on the lock file with a less helpful message.
  stack.addOverride("terraform.required_version", `>= ${MIN_TERRAFORM_VERSION}`);
  return new AwsProvider(stack, "aws", {
    region: env.account.region,
    allowedAccountIds: [env.account.id],
    defaultTags: [{ tags: platformTags({ environment: env.name, owner: env.tags.owner, costCenter: env.tags.costCenter, extra: env.tags.extra }) }],
  });
}

export function addArchiveProvider(stack: TerraformStack): ArchiveProvider {
  return new ArchiveProvider(stack, "archive");
}

/** Where a stack's state lives: the environment's own bucket and key, encrypted and locked. */
export function addStateBackend(stack: TerraformStack, env: Environment, key = env.state.key): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: env.state.bucket,
    key,
    region: env.state.region,
    encrypt: true,
    ...(env.state.locking.kind === "dynamodb" ? { dynamodbTable: env.state.locking.table } : {}),
  });
  // cdktf 0.21 predates S3 native locking (Terraform >= 1.10); the override writes `use_lockfile`.
  if (env.state.locking.kind === "lockfile") backend.addOverride("use_lockfile", true);
  return backend;
}

/** The bootstrap stack's own state: local until migrated into the bucket it creates. */
export function addBootstrapBackend(stack: TerraformStack, env: Environment): S3Backend | LocalBackend {
  return env.state.bootstrapStateInBucket
    ? addStateBackend(stack, env, bootstrapStateKey(env))
    : new LocalBackend(stack, { path: `${bootstrapStackName(env)}.tfstate` });
}

/** The environment's core stack (its name from before pipelines had stacks of their own: its state and addresses stay). */
export const platformStackName = (env: Pick<Environment, "name">): string => `data-platform-${env.name}`;
export const bootstrapStackName = (env: Pick<Environment, "name">): string => `data-platform-${env.name}-bootstrap`;
export const bootstrapStateKey = (env: Pick<Environment, "name">): string => `bootstrap/${env.name}.tfstate`;
/** The suffix no pipeline may have: its stack would be the bootstrap stack. */
export const BOOTSTRAP_SUFFIX = "bootstrap";

/** A pipeline's name as it appears in stack names and state keys: underscores as hyphens, as in its resource names. */
const pipelineSpelling = (pipeline: string): string => pipeline.replace(/_+/g, "-");

/** A pipeline's own stack in an environment: `data-platform-<env>-<pipeline>`. */
export const pipelineStackName = (env: Pick<Environment, "name">, pipeline: string): string => `data-platform-${env.name}-${pipelineSpelling(pipeline)}`;

/**
 * A pipeline stack's state, beside the environment's in the same bucket: the environment's key
 * without `.tfstate`, then `/pipelines/<pipeline>.tfstate` (`data-platform/dev.tfstate` gives
 * `data-platform/dev/pipelines/attendees.tfstate`). Each has its own lock file.
 */
export const pipelineStateKey = (env: Pick<Environment, "state">, pipeline: string): string =>
  `${env.state.key.replace(/\.tfstate$/, "")}/pipelines/${pipelineSpelling(pipeline)}.tfstate`;

/** Every pipeline stack's state key of the environment, as a pattern (what the CI roles may read and write). */
export const pipelineStateKeyPattern = (env: Pick<Environment, "state">): string => pipelineStateKey(env, "*");

/** A human-readable state location, for the synth summary and error messages. */
export function describeState(env: Environment, key = env.state.key): string {
  const lock = env.state.locking.kind === "lockfile" ? "S3 lock file" : `lock table ${env.state.locking.table}`;
  return `s3://${env.state.bucket}/${key} (${env.state.region}, ${lock})`;
}
