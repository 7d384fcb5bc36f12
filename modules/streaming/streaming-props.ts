import type { Namer } from "../../lib/naming";
import type { ArtifactPrefixes, JobBuckets } from "./job-arguments";
import type { StreamingPipelineInput, StreamingWarehouse } from "./pipeline-stream-props";

export interface StreamingProps {
  /** Pipelines built inside this construct; the platform builds each in its own stack and passes none. Required (may be empty). */
  readonly pipelines: readonly StreamingPipelineInput[];
  /** Names every resource of the module. Required. */
  readonly namer: Namer;
  /** Lake bucket names. Required. */
  readonly buckets: JobBuckets;
  /** Prefixes inside the artifacts bucket (the lake's `ARTIFACT_PREFIXES`). Required. */
  readonly artifactPrefixes: ArtifactPrefixes;
  /** Prefix of the quarantine bucket where the jobs put raw payloads (`<prefix><pipeline>/`; the lake's `QUARANTINE_PAYLOAD_PREFIX`). Required. */
  readonly quarantinePayloadPrefix: string;
  /** The platform key: streams, secret, logs, security configuration and shipped code use it. Required. */
  readonly kmsKeyArn: string;
  /** Permissions boundary of every role the module creates (bootstrap's; see `ServiceRole`). Required. */
  readonly permissionsBoundaryArn: string;
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
  /** False: the batch triggers are created deactivated, so no batch job runs unless started. @default true */
  readonly batchSchedulesEnabled?: boolean;
  /**
   * Keep the streaming jobs running: a keep-alive workflow starts each one that is not running
   * (see `keep-alive.ts`). False: nothing starts them; `npm run jobs -- start` does. @default true
   */
  readonly keepStreamingJobsRunning?: boolean;
  /** EventBridge Scheduler expression of the keep-alive check. @default "cron(0/15 * * * ? *)" */
  readonly streamingKeepAliveSchedule?: string;
  /** Execution data in the keep-alive's logs (job names and run states). @default true */
  readonly keepAliveIncludeExecutionData?: boolean;
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
  /**
   * The streaming jobs' warehouse cadence: each micro-batch appends its masked warehouse rows to
   * the job's pending prefix, and one load (COPY, guard, MERGE, view refresh) takes everything
   * pending once the oldest batch has waited this many minutes, so that Redshift idles in between.
   * 0: every batch loads. Batch jobs load at the end of each run. @default 15
   */
  readonly warehouseLoadIntervalMinutes?: number;
}
