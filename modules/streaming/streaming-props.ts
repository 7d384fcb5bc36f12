import type { Namer } from "../../lib/naming";
import type { ArtifactPrefixes, JobBuckets } from "./job-arguments";
import type { StreamingPipelineInput, StreamingWarehouse } from "./pipeline-stream-props";

export interface StreamingProps {
  /** Pipelines enabled in this environment. Required (may be empty). */
  readonly pipelines: readonly StreamingPipelineInput[];
  /** Names every resource of the module. Required. */
  readonly namer: Namer;
  /** Lake bucket names. Required. */
  readonly buckets: JobBuckets;
  /** Prefixes inside the artifacts bucket (the lake's `ARTIFACT_PREFIXES`). Required. */
  readonly artifactPrefixes: ArtifactPrefixes;
  /** The platform key: streams, secret, logs, security configuration and shipped code use it. Required. */
  readonly kmsKeyArn: string;
  /** CloudWatch Logs retention of the jobs' log groups. Required. */
  readonly logRetentionDays: number;
  /** `prevent_destroy` on the streams and the pepper secret. Required. */
  readonly preventDestroy: boolean;
  /** Days a deleted pepper secret can still be restored (0 or 7-30). Required. */
  readonly secretRecoveryWindowDays: number;
  /** How often the jobs reload reference data (0 = every batch). Required. */
  readonly referenceRefreshMinutes: number;
  /** Glue cron expression of the batch sweep over the raw zone. Required. */
  readonly batchSchedule: string;
  /** Glue cron expression that restarts a stopped streaming job. @default "cron(0/15 * * * ? *)" */
  readonly streamingKeepAliveSchedule?: string;
  /** Where a newly created streaming job starts reading. @default "trim_horizon" (everything retained) */
  readonly startingPosition?: string;
  /** Glue version of both jobs (see the module README for why 5.0). @default "5.0" (glue-jobs/glue-runtime.json) */
  readonly glueVersion?: string;
  /** Minutes before a batch run is stopped. @default 120 */
  readonly batchTimeoutMinutes?: number;
  /** The `glue-jobs/` directory to ship. @default the repository's `glue-jobs/` */
  readonly glueJobsDir?: string;
  /** Redshift connection details from the warehouse module. @default no warehouse load (`--warehouse_enabled false`) */
  readonly warehouse?: StreamingWarehouse;
}
