import type { WarehouseContractInput } from "./ddl";

/** One deployed pipeline as the warehouse sees it. */
export interface WarehousePipelineInput {
  /** Pipeline name. */
  readonly name: string;
  /** The pipeline's contract (docs/contract.md); pipelines without `warehouse` get no table. */
  readonly contract: WarehouseContractInput;
  /**
   * The relation BI publishes: the pipeline's table (`"table"`) or one of its materialized views,
   * by name. Only that relation is granted to the BI reader. @default nothing published
   */
  readonly biSource?: string;
}

/** One RPU-hour budget with what Redshift does when it is used up. */
export interface WarehouseUsageLimit {
  readonly period: "daily" | "weekly" | "monthly";
  readonly rpuHours: number;
  readonly breachAction: "log" | "emit-metric" | "deactivate";
}

export interface WarehouseProps {
  /** Namespace name (Namer kind `redshiftNamespace`). Required. */
  readonly namespaceName: string;
  /** Workgroup name (Namer kind `redshiftWorkgroup`). Required. */
  readonly workgroupName: string;
  /** Owning account. Required. */
  readonly accountId: string;
  /** Region. Required. */
  readonly region: string;
  /** Platform key: namespace, admin secret, user secrets. Required. */
  readonly kmsKeyArn: string;
  /** Database created in the namespace. @default "analytics" */
  readonly databaseName?: string;
  /** Admin user; its password is generated and kept by Secrets Manager. @default "dpadmin" */
  readonly adminUsername?: string;
  /** RPUs the workgroup starts queries with (multiple of 8). Required. */
  readonly baseCapacityRpu: number;
  /** RPUs the workgroup may scale to (multiple of 8, >= base). Required. */
  readonly maxCapacityRpu: number;
  /** RPU-hour budgets; at least one (the cost brake). Required. */
  readonly usageLimits: readonly WarehouseUsageLimit[];
  /** Private subnets in at least 3 zones. Required. */
  readonly subnetIds: readonly string[];
  /** Zone of each subnet, same order (the Glue connection names one). Required. */
  readonly subnetAvailabilityZones: readonly string[];
  /** Security group of the workgroup. Required. */
  readonly redshiftSecurityGroupId: string;
  /** Security group of the Glue connection (self-referencing). Required. */
  readonly glueSecurityGroupId: string;
  /** Glue connection name (Namer kind `glueConnection`). Required. */
  readonly glueConnectionName: string;
  /** Role Redshift assumes for COPY/UNLOAD/Spectrum (Namer kind `iamRole`). Required. */
  readonly redshiftRoleName: string;
  /** Permissions boundary of every role the module creates (bootstrap's; see `ServiceRole`). Required. */
  readonly permissionsBoundaryArn: string;
  /** Secret names of the database users (Namer kind `secret`); the ARN gets a random suffix. Required. */
  readonly secretNames: { readonly etlWriter: string; readonly biReader: string };
  /** Lambda function that rotates the users' secrets (Namer kind `generic`). Required. */
  readonly rotationFunctionName: string;
  /** Its role (Namer kind `iamRole`). Required. */
  readonly rotationRoleName: string;
  /** Its log group (Namer `logGroup`). Required. */
  readonly rotationLogGroupName: string;
  /** Retention of the rotation function's log group (a CloudWatch Logs value). Required. */
  readonly logRetentionDays: number;
  /** Days between rotations of the users' passwords (1-1000). @default 90 */
  readonly credentialRotationDays?: number;
  /** Database user the Glue jobs load with. @default "dp_etl_writer" */
  readonly etlWriterUsername?: string;
  /** Database user QuickSight reads with. @default "dp_bi_reader" */
  readonly biReaderUsername?: string;
  /** Curated zone: Redshift (COPY, Spectrum) may read it, never write. Required. */
  readonly curatedBucketName: string;
  /** Bucket of the Glue/Redshift temp dir (read/write under {@link tempPrefix}). Required. */
  readonly tempBucketName: string;
  /** Prefix of the temp dir in that bucket, ending in `/`. Required. */
  readonly tempPrefix: string;
  /** Glue catalog databases Spectrum may read, as name patterns (`dp_dev_*`). Required. */
  readonly spectrumDatabasePatterns: readonly string[];
  /** Pipelines deployed in this environment. Required. */
  readonly pipelines: readonly WarehousePipelineInput[];
  /** Schema the platform's tables live in. @default "data_platform" */
  readonly schemaName?: string;
  /** Terraform `prevent_destroy` on the namespace, workgroup and user secrets. @default true */
  readonly preventDestroy?: boolean;
  /**
   * Days a baseline manual snapshot is kept; recovery points (every 30 minutes, 24 hours) are
   * automatic and not configurable. @default no manual snapshot
   */
  readonly snapshotRetentionDays?: number;
}
