import type { ITerraformDependable } from "cdktf";
import type { PipelineSettings } from "../../pipelines/settings";
import type { Namer } from "../../lib/naming";
import type { ShippedCode } from "./glue-scripts";
import type { ArtifactPrefixes, JobBuckets, JobKind } from "./job-arguments";

/** A pipeline's stream and job sizes in one environment (type only: the stack resolves them). */
export type StreamingPipelineSettings = Omit<PipelineSettings, "enabled">;

/** What the module needs to know about one enabled pipeline. */
export interface StreamingPipelineInput {
  /** Pipeline name (lowercase snake_case). */
  readonly name: string;
  /** `s3://` URI of the pipeline's shipped contract. */
  readonly contractUri: string;
  /** True when the contract has a `warehouse` section. */
  readonly hasWarehouseTable: boolean;
  /** References the jobs read from `s3://` URIs outside the reference bucket. @default none */
  readonly externalReferenceUris?: readonly string[];
  readonly settings: StreamingPipelineSettings;
  /**
   * What must exist before the pipeline's jobs first run (its warehouse table, the credentials
   * they load it with): the batch trigger and the keep-alive start them once they exist. @default none
   */
  readonly runPrerequisites?: readonly ITerraformDependable[];
}

/** The Redshift side, once the warehouse module provides it. */
export interface StreamingWarehouse {
  /** Glue connection to Redshift (the jobs run in its VPC). */
  readonly connectionName: string;
  /** Database the jobs write to. */
  readonly database: string;
  /** Secret holding the connection's credentials. */
  readonly connectionSecretArn: string;
  /** `s3://` URI where the Redshift connector stages files. @default the job's own `temp/<pipeline>/<kind>/redshift/` */
  readonly tempDir?: string;
}

export interface PipelineStreamProps {
  readonly pipeline: StreamingPipelineInput;
  /** Names every resource. Required. */
  readonly namer: Namer;
  readonly buckets: JobBuckets;
  readonly prefixes: ArtifactPrefixes;
  /** Quarantine bucket prefix of the raw payloads (see `StreamingProps`). Required. */
  readonly quarantinePayloadPrefix: string;
  /** The platform key. Required. */
  readonly kmsKeyArn: string;
  /** Permissions boundary of the job roles. Required. */
  readonly permissionsBoundaryArn: string;
  /** Shipped entry scripts and library. Required. */
  readonly code: { readonly scripts: Readonly<Record<JobKind, ShippedCode>>; readonly library: ShippedCode };
  /** The Glue security configuration: its literal name (Glue derives log group names from it) and a reference to it. */
  readonly securityConfiguration: { readonly name: string; readonly reference: string };
  /**
   * The pepper secret: its name, how the jobs ask for it (its ARN, or its name: GetSecretValue takes
   * either), and what gives it its value when that is in the same stack (@default nothing: written
   * before, by the environment's core stack).
   */
  readonly pepperSecret: { readonly name: string; readonly arn: string; readonly value?: ITerraformDependable };
  /** Retention of the jobs' log groups. Required. */
  readonly logRetentionDays: number;
  /** `prevent_destroy` on the stream. Required. */
  readonly preventDestroy: boolean;
  readonly referenceRefreshMinutes: number;
  /** Glue cron expression for the batch sweep. Required. */
  readonly batchSchedule: string;
  /** False: the batch trigger exists but is deactivated (nothing runs unless started). Required. */
  readonly batchScheduleEnabled: boolean;
  /** Where a new streaming job starts reading. Required. */
  readonly startingPosition: string;
  readonly glueVersion: string;
  /** Minutes before a batch run is stopped. Required. */
  readonly batchTimeoutMinutes: number;
  /** @default no warehouse load */
  readonly warehouse?: StreamingWarehouse;
  /** Minutes between the streaming job's warehouse loads (0: every batch). Required. */
  readonly warehouseLoadIntervalMinutes: number;
}
