/**
 * The Glue default arguments of the pipeline jobs, as pure functions of plain inputs. The names the
 * scripts read are those of `glue-jobs/platform_etl/job_args.py` (a test cross-checks them); the
 * `--enable-*` names are Glue's own special parameters.
 */

import type { Namer } from "../../lib/naming";

export type JobKind = "streaming" | "batch";
export const JOB_KINDS: readonly JobKind[] = ["streaming", "batch"];

/** Prefixes inside the artifacts bucket that the jobs use (the lake module's `ARTIFACT_PREFIXES`). */
export interface ArtifactPrefixes {
  readonly scripts: string;
  readonly libraries: string;
  readonly contracts: string;
  readonly checkpoints: string;
  readonly temp: string;
  readonly sparkUi: string;
}

/** The lake buckets a job touches, by name. */
export interface JobBuckets {
  readonly raw: string;
  readonly curated: string;
  readonly quarantine: string;
  readonly reference: string;
  readonly artifacts: string;
}

/** A job's own working prefixes in the artifacts bucket: nobody else reads or writes them. */
export interface JobWorkPrefixes {
  /** Streaming only: Spark's checkpoint (progress through the stream). */
  readonly checkpoint?: string;
  readonly temp: string;
  readonly sparkUi: string;
  /**
   * Masked warehouse rows waiting for the job's next load (`glue-jobs/platform_etl/pending.py`):
   * progress state like the checkpoint, so under `checkpoints/` (never expired, unlike `temp/`).
   */
  readonly warehousePending: string;
}

export function jobWorkPrefixes(prefixes: ArtifactPrefixes, pipeline: string, kind: JobKind): JobWorkPrefixes {
  const own = `${pipeline}/${kind}/`;
  return {
    // A batch job keeps its progress in Glue job bookmarks, not in S3.
    ...(kind === "streaming" ? { checkpoint: `${prefixes.checkpoints}${own}` } : {}),
    temp: `${prefixes.temp}${own}`,
    sparkUi: `${prefixes.sparkUi}${own}`,
    warehousePending: `${prefixes.checkpoints}${pipeline}/warehouse-pending/${kind}/`,
  };
}

/** A pipeline's job role: the quarantine bucket's policy names it before the role exists. */
export const jobRoleName = (namer: Namer, pipeline: string, kind: JobKind): string => namer.name("iamRole", pipeline, kind);

/** The prefix of one pipeline in a lake zone: `<pipeline>/`. */
export const pipelinePrefix = (pipeline: string): string => `${pipeline}/`;

export const s3Uri = (bucket: string, key = ""): string => `s3://${bucket}/${key}`;

/** Where the Redshift writes of a job land, which connection they use, and how often they run. */
export interface JobWarehouseArguments {
  readonly connectionName: string;
  readonly database: string;
  /** `s3://` URI for the Redshift connector's staging files. */
  readonly tmpDir: string;
  /**
   * Streaming only: minutes the oldest pending batch waits before a load takes everything pending
   * (0: every batch loads). The batch job loads at the end of each run.
   */
  readonly loadIntervalMinutes: number;
}

/** The bounds of `loadIntervalMinutes`, as `job_args.py` and the environment schema take it. */
export const MAX_LOAD_INTERVAL_MINUTES = 1440;

/** The same rule as `job_args.py` (an integer >= 0), capped at a day; `field` names the input. */
export function loadIntervalProblem(field: string, value: number): string | undefined {
  return Number.isInteger(value) && value >= 0 && value <= MAX_LOAD_INTERVAL_MINUTES
    ? undefined
    : `${field}: ${value} must be an integer from 0 (every batch loads) to ${MAX_LOAD_INTERVAL_MINUTES} minutes`;
}

export interface JobArgumentInput {
  readonly kind: JobKind;
  readonly pipeline: string;
  readonly contractUri: string;
  readonly buckets: JobBuckets;
  readonly prefixes: ArtifactPrefixes;
  /** Quarantine bucket prefix of the raw payloads: the job writes `<prefix><pipeline>/` there. */
  readonly quarantinePayloadPrefix: string;
  /** `s3://` URI of the zipped `platform_etl` library. */
  readonly libraryUri: string;
  /** ARN (or name) of the pepper secret. */
  readonly pepperSecretId: string;
  readonly windowSeconds: number;
  readonly referenceRefreshMinutes: number;
  /** The `--custom-logGroup-prefix` value: Glue 5 logs to `<prefix>/error` and `<prefix>/output`. */
  readonly logGroupPrefix: string;
  /** Streaming only. */
  readonly streamArn?: string;
  /** Streaming only: latest, trim_horizon, earliest or YYYY-MM-DDTHH:MM:SSZ. */
  readonly startingPosition?: string;
  /** Only for pipelines that load the warehouse. */
  readonly warehouse?: JobWarehouseArguments;
}

export class JobArgumentError extends Error {}

const STARTING_POSITIONS = ["latest", "trim_horizon", "earliest"];
const TIMESTAMP_POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The same rule as `job_args.py`, so that a bad value fails at synthesis instead of at job start. */
export function checkStartingPosition(value: string): string {
  if (STARTING_POSITIONS.includes(value.toLowerCase()) || TIMESTAMP_POSITION.test(value)) return value;
  throw new JobArgumentError(
    `startingPosition: ${JSON.stringify(value)} is not valid; use latest, trim_horizon, earliest or YYYY-MM-DDTHH:MM:SSZ`,
  );
}

function checkInput(input: JobArgumentInput): void {
  const where = `${input.pipeline} ${input.kind} job`;
  if (!Number.isInteger(input.windowSeconds) || input.windowSeconds < 1) {
    throw new JobArgumentError(`${where}: windowSeconds ${input.windowSeconds} must be an integer >= 1`);
  }
  if (!Number.isInteger(input.referenceRefreshMinutes) || input.referenceRefreshMinutes < 0) {
    throw new JobArgumentError(`${where}: referenceRefreshMinutes ${input.referenceRefreshMinutes} must be an integer >= 0 (0 = every batch)`);
  }
  if (input.kind === "streaming" && !input.streamArn) {
    throw new JobArgumentError(`${where}: streamArn is required for a streaming job`);
  }
  if (input.warehouse && !input.warehouse.tmpDir.startsWith("s3://")) {
    throw new JobArgumentError(`${where}: warehouse.tmpDir ${JSON.stringify(input.warehouse.tmpDir)} must be an s3:// URI`);
  }
  const interval = input.warehouse && loadIntervalProblem("warehouse.loadIntervalMinutes", input.warehouse.loadIntervalMinutes);
  if (interval) throw new JobArgumentError(`${where}: ${interval}`);
}

/** Every default argument of one job: Glue's switches, then what the script reads. */
export function jobArguments(input: JobArgumentInput): Record<string, string> {
  checkInput(input);
  const { buckets, pipeline } = input;
  const work = jobWorkPrefixes(input.prefixes, pipeline, input.kind);
  const glue: Record<string, string> = {
    "--job-language": "python",
    "--TempDir": s3Uri(buckets.artifacts, work.temp),
    "--enable-metrics": "true",
    // Glue 5 logs every job in real time; the prefix puts the logs in the job's own groups.
    "--custom-logGroup-prefix": input.logGroupPrefix,
    "--enable-spark-ui": "true",
    "--spark-event-logs-path": s3Uri(buckets.artifacts, work.sparkUi),
    "--enable-auto-scaling": "true",
    "--extra-py-files": input.libraryUri,
    // Streaming progress lives in the checkpoint; bookmarks are what make a batch sweep incremental.
    "--job-bookmark-option": input.kind === "batch" ? "job-bookmark-enable" : "job-bookmark-disable",
  };
  const script: Record<string, string> = {
    "--pipeline": pipeline,
    "--contract_uri": input.contractUri,
    "--curated_path": s3Uri(buckets.curated, pipelinePrefix(pipeline)),
    "--quarantine_path": s3Uri(buckets.quarantine, pipelinePrefix(pipeline)),
    "--quarantine_payload_path": s3Uri(buckets.quarantine, `${input.quarantinePayloadPrefix}${pipelinePrefix(pipeline)}`),
    "--reference_bucket": buckets.reference,
    "--pepper_secret_id": input.pepperSecretId,
    "--warehouse_enabled": input.warehouse ? "true" : "false",
    "--window_seconds": String(input.windowSeconds),
    "--reference_refresh_minutes": String(input.referenceRefreshMinutes),
  };
  const kindSpecific: Record<string, string> =
    input.kind === "streaming"
      ? {
          "--stream_arn": input.streamArn!,
          "--checkpoint_location": s3Uri(buckets.artifacts, work.checkpoint),
          "--starting_position": checkStartingPosition(input.startingPosition ?? "trim_horizon"),
        }
      : { "--raw_path": s3Uri(buckets.raw, pipelinePrefix(pipeline)) };
  const warehouse: Record<string, string> = input.warehouse
    ? {
        "--redshift_connection": input.warehouse.connectionName,
        "--redshift_database": input.warehouse.database,
        "--redshift_tmp_dir": input.warehouse.tmpDir,
        "--warehouse_pending_path": s3Uri(buckets.artifacts, work.warehousePending),
        // The batch job runs rarely and loads at the end of each run.
        ...(input.kind === "streaming" ? { "--warehouse_load_interval_minutes": String(input.warehouse.loadIntervalMinutes) } : {}),
      }
    : {};
  return { ...glue, ...script, ...kindSpecific, ...warehouse };
}

/** The log groups Glue 5 writes a job's logs to for `--custom-logGroup-prefix <prefix>`. */
export interface JobLogGroups {
  /** System, Spark and Glue-logger messages (the job's own logging lands here). */
  readonly error: string;
  /** The driver's and executors' stdout and stderr. */
  readonly output: string;
}

/** `<prefix>/error` and `<prefix>/output` (AWS Glue docs, "Logging for AWS Glue jobs"). */
export function jobLogGroupNames(prefix: string): JobLogGroups {
  return { error: `${prefix}/error`, output: `${prefix}/output` };
}

/**
 * The log groups Glue itself writes the driver's stdout/stderr to when a security configuration
 * is attached: `/aws-glue/jobs/<security configuration>-role/<role name>/{output,error}`.
 */
export function glueJobLogGroupPrefix(securityConfigurationName: string, roleName: string): string {
  return `/aws-glue/jobs/${securityConfigurationName}-role/${roleName}/`;
}
