import type { CatalogAutomationProps, CatalogPipeline, CatalogWarehouse, SharedCatalogResources, TargetRetry } from "./catalog-automation-props";

/** One pipeline's catalog automation; built by `CatalogAutomation` from its own props. */
export interface PipelineCatalogProps
  extends Pick<
    CatalogAutomationProps,
    | "namer"
    | "curatedBucketName"
    | "kmsKeyArn"
    | "permissionsBoundaryArn"
    | "alarmTopicArn"
    | "glueSecurityConfigurationName"
    | "crawlerPollSeconds"
    | "crawlerMaxPolls"
    | "catchUpSchedule"
    | "catchUpEnabled"
    | "logRetentionDays"
    | "includeExecutionData"
    | "statementPollSeconds"
    | "statementMaxPolls"
  > {
  /** Where its workflow refreshes the materialized views (the workgroup's ARN is the shared role's business). @default no view refresh */
  readonly warehouse?: Omit<CatalogWarehouse, "workgroupArn">;
  /** The pipeline. Required. */
  readonly pipeline: CatalogPipeline;
  /** Name of the curated Glue database. Required. */
  readonly curatedDatabase: string;
  /** `prevent_destroy` on the declared table and the log group. Required. */
  readonly preventDestroy: boolean;
  /** Years a projected table answers for. Required. */
  readonly projectionYears: { readonly from: number; readonly to: number };
  /** Retry of the new-object rule's target. Required. */
  readonly eventRetry: TargetRetry;
  /** Retry of the catch-up schedule's target. Required. */
  readonly scheduleRetry: TargetRetry;
  /** The environment's shared roles, log group and dead-letter queues (`CatalogAutomation.shared`). Required. */
  readonly shared: SharedCatalogResources;
}
