import type { ITerraformDependable } from "cdktf";
import type { TargetRetry } from "../../lib/dead-letter-queue";
import type { Namer } from "../../lib/naming";
import type { ContractColumn } from "../../pipelines/contract";

/** What catalog automation needs of one pipeline (a subset of `CompiledPipeline`). */
export interface CatalogPipeline {
  /** Pipeline name: its curated prefix is `<name>/`. */
  readonly name: string;
  /** `crawler` discovers partitions and schema changes; `projection` declares the table from the contract. */
  readonly catalogMode: "crawler" | "projection";
  /** From the contract. */
  readonly contract: {
    readonly lake: { readonly partition_keys: readonly string[]; readonly columns: readonly ContractColumn[] };
    /** `null` for a lake-only pipeline: no views to refresh. */
    readonly warehouse: { readonly schema: string; readonly materialized_views: readonly { readonly name: string }[] } | null;
  };
}

/** Where the workflows refresh materialized views (Redshift Data API). */
export interface CatalogWarehouse {
  readonly workgroupName: string;
  /** Its ARN ends in a generated id, so it cannot be computed from the name. */
  readonly workgroupArn: string;
  readonly database: string;
  /** Secret auth when set; IAM auth (`redshift-serverless:GetCredentials`) otherwise. @default IAM auth */
  readonly secretArn?: string;
  /**
   * What a refresh needs to exist before the workflows run (the views, the credentials of their
   * owner): the workflows are created after it. @default nothing
   */
  readonly ready?: readonly ITerraformDependable[];
}

/**
 * What every pipeline's catalog automation of an environment shares: the roles EventBridge,
 * Scheduler and Step Functions use (scoped by name patterns to the environment's catalog
 * resources; none reads data), the workflows' log group and the dead-letter queues. Kept once, in
 * the environment's core stack, so a pipeline's own stack stays small and the core stays the same
 * when a pipeline is added (docs/stacks.md).
 */
export interface SharedCatalogResources {
  /** Role of every catalog workflow. */
  readonly workflowRoleArn: string;
  /** Log group every catalog workflow logs to (Step Functions names the streams after the state machine). */
  readonly workflowLogGroupName: string;
  /** Role of every new-object rule's target. */
  readonly ruleRoleArn: string;
  /** Dead-letter queue of every new-object rule's target. */
  readonly ruleDeadLetterQueueArn: string;
  /** Role of every catch-up schedule. */
  readonly scheduleRoleArn: string;
  /** Dead-letter queue of every catch-up schedule. */
  readonly scheduleDeadLetterQueueArn: string;
  /**
   * What must exist before a pipeline's workflow, rule or schedule uses them (the roles' policies,
   * the log group) when they are in the same stack. @default nothing: another stack, applied first
   */
  readonly ready?: readonly ITerraformDependable[];
}

/** EventBridge's retry for a target before the event goes to the dead-letter queue (shared with other modules). */
export type { TargetRetry };

export interface CatalogAutomationProps {
  /** Names every resource (`dp-<env>-…`); also gives account and region. Required. */
  readonly namer: Namer;
  /** Pipelines built inside this construct; the platform builds each in its own stack and passes none. Required (may be empty). */
  readonly pipelines: readonly CatalogPipeline[];
  /** Curated bucket: crawled, and the source of the object events. Required. */
  readonly curatedBucketName: string;
  /** Platform key: catalog, queues and log groups are encrypted with it. Required. */
  readonly kmsKeyArn: string;
  /** Permissions boundary of every role the module creates (bootstrap's; see `ServiceRole`). Required. */
  readonly permissionsBoundaryArn: string;
  /** Every failure path publishes here. Required. */
  readonly alarmTopicArn: string;
  /** Glue security configuration every crawler runs with (created by the streaming module). Required. */
  readonly glueSecurityConfigurationName: string;
  /** Seconds between crawler status polls. Required. */
  readonly crawlerPollSeconds: number;
  /** Polls before the workflow gives up on a crawl ("crawler did not finish"). Required. */
  readonly crawlerMaxPolls: number;
  /** EventBridge Scheduler expression of the nightly catch-up crawl, e.g. `cron(30 2 * * ? *)`. Required. */
  readonly catchUpSchedule: string;
  /**
   * False: the catch-up schedules exist but are DISABLED, for environments where nothing writes
   * the curated zone unless someone starts a job (a catch-up would crawl and wake the warehouse
   * every night for nothing). @default true
   */
  readonly catchUpEnabled?: boolean;
  /** Retention of the workflows' log groups (a CloudWatch Logs value). Required. */
  readonly logRetentionDays: number;
  /** Log execution data (inputs/outputs); prod keeps it out. Required. */
  readonly includeExecutionData: boolean;
  /** Where to refresh materialized views. @default no view refresh */
  readonly warehouse?: CatalogWarehouse;
  /** `prevent_destroy` on databases, declared tables and log groups. @default true */
  readonly preventDestroy?: boolean;
  /** Years a projected table answers for. @default { from: 2024, to: 2099 } */
  readonly projectionYears?: { readonly from: number; readonly to: number };
  /** Retry of the new-object rule's target. @default 6 hours, 8 attempts */
  readonly eventRetry?: TargetRetry;
  /** Retry of the catch-up schedule's target. @default 1 hour, 3 attempts */
  readonly scheduleRetry?: TargetRetry;
  /** Seconds between view refresh status polls. @default 5 */
  readonly statementPollSeconds?: number;
  /** Polls before a refresh counts as stuck. @default 60 */
  readonly statementMaxPolls?: number;
  /** Days the dead-letter queues keep a message. @default 14 (SQS's maximum) */
  readonly deadLetterRetentionDays?: number;
}
