import { GlueSecurityConfiguration } from "@cdktf/provider-aws/lib/glue-security-configuration";
import { Construct } from "constructs";
import glueRuntime from "../../glue-jobs/glue-runtime.json";
import { GlueScripts } from "./glue-scripts";
import { KeepAlive } from "./keep-alive";
import { checkStartingPosition, loadIntervalProblem } from "./job-arguments";
import { Pepper, pepperNames } from "./pepper";
import type { Namer } from "../../lib/naming";
import { PipelineStream } from "./pipeline-stream";
import type { StreamingPipelineInput } from "./pipeline-stream-props";
import { StreamingProps } from "./streaming-props";

/** The Glue version the jobs are tested on (glue-jobs/glue-runtime.json: its Spark, Python and Java). */
export const DEFAULT_GLUE_VERSION = glueRuntime.glueVersion;
/** G.025X workers run streaming jobs only (AWS Glue API, `WorkerType`). */
export const STREAMING_ONLY_WORKER_TYPES: readonly string[] = ["G.025X"];
export const DEFAULT_KEEPALIVE_SCHEDULE = "cron(0/15 * * * ? *)";
export const DEFAULT_BATCH_TIMEOUT_MINUTES = 120;
export const DEFAULT_WAREHOUSE_LOAD_INTERVAL_MINUTES = 15;

/** The names of what the environment's streaming jobs share, which pipeline stacks name too. */
export function streamingNames(namer: Namer) {
  return {
    securityConfiguration: namer.name("glueSecurityConfiguration", "glue"),
    pepperSecret: pepperNames(namer).secret,
  };
}

/**
 * The streaming ETL side of one environment: once per environment the Glue security
 * configuration, the pepper secret the jobs hash with, the shipped Glue code and the keep-alive;
 * per pipeline a Kinesis stream and its two Glue jobs (see {@link PipelineStream}), which the
 * platform builds in each pipeline's own stack (`pipelines: []` here).
 */
export class Streaming extends Construct {
  /**
   * Glue security configuration (S3 SSE-KMS, CloudWatch SSE-KMS, bookmarks CSE-KMS), by reference;
   * crawlers use it too.
   */
  readonly securityConfigurationName: string;
  readonly pepperSecretName: string;
  readonly pepperSecretArn: string;
  readonly code: GlueScripts;
  /** Per pipeline name. */
  readonly pipelines: Readonly<Record<string, PipelineStream>>;
  /** The streaming jobs' keep-alive; absent where nothing keeps them running (or there are none). */
  readonly keepAlive?: KeepAlive;

  constructor(scope: Construct, id: string, props: StreamingProps) {
    super(scope, id);
    const { namer, kmsKeyArn } = props;
    checkProps(props);

    const securityConfigurationName = streamingNames(namer).securityConfiguration;
    const securityConfiguration = new GlueSecurityConfiguration(this, "security-configuration", {
      name: securityConfigurationName,
      encryptionConfiguration: {
        s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn },
        cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn },
      },
    });
    this.securityConfigurationName = securityConfiguration.name;

    const pepper = new Pepper(this, "pepper", {
      namer,
      kmsKeyArn,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      logRetentionDays: props.logRetentionDays,
      recoveryWindowDays: props.secretRecoveryWindowDays,
      preventDestroy: props.preventDestroy,
    });
    this.pepperSecretName = pepper.secretName;
    this.pepperSecretArn = pepper.secretArn;

    this.code = new GlueScripts(this, "code", {
      artifactsBucketName: props.buckets.artifacts,
      kmsKeyArn,
      scriptPrefix: props.artifactPrefixes.scripts,
      libraryPrefix: props.artifactPrefixes.libraries,
      sourceDir: props.glueJobsDir,
    });

    const pipelines: Record<string, PipelineStream> = {};
    for (const pipeline of props.pipelines) {
      pipelines[pipeline.name] = new PipelineStream(this, pipeline.name, {
        pipeline,
        namer,
        buckets: props.buckets,
        prefixes: props.artifactPrefixes,
        quarantinePayloadPrefix: props.quarantinePayloadPrefix,
        kmsKeyArn,
        permissionsBoundaryArn: props.permissionsBoundaryArn,
        code: { scripts: this.code.scripts, library: this.code.library },
        securityConfiguration: { name: securityConfigurationName, reference: securityConfiguration.name },
        pepperSecret: { name: this.pepperSecretName, arn: this.pepperSecretArn, value: pepper.value },
        logRetentionDays: props.logRetentionDays,
        preventDestroy: props.preventDestroy,
        referenceRefreshMinutes: props.referenceRefreshMinutes,
        batchSchedule: props.batchSchedule,
        batchScheduleEnabled: props.batchSchedulesEnabled ?? true,
        startingPosition: props.startingPosition ?? "trim_horizon",
        glueVersion: props.glueVersion ?? DEFAULT_GLUE_VERSION,
        batchTimeoutMinutes: props.batchTimeoutMinutes ?? DEFAULT_BATCH_TIMEOUT_MINUTES,
        warehouse: props.warehouse,
        warehouseLoadIntervalMinutes: props.warehouseLoadIntervalMinutes ?? DEFAULT_WAREHOUSE_LOAD_INTERVAL_MINUTES,
      });
    }
    this.pipelines = pipelines;
    // It finds the jobs by their tags, so it exists whether or not a pipeline does yet.
    if (props.keepStreamingJobsRunning ?? true) {
      this.keepAlive = new KeepAlive(this, "keep-alive", {
        namer,
        schedule: props.streamingKeepAliveSchedule ?? DEFAULT_KEEPALIVE_SCHEDULE,
        kmsKeyArn,
        logRetentionDays: props.logRetentionDays,
        includeExecutionData: props.keepAliveIncludeExecutionData,
        permissionsBoundaryArn: props.permissionsBoundaryArn,
      });
    }
  }
}

const CRON = /^cron\((\S+\s+){5}\S+\)$/;
const RATE = /^rate\(\d+ (minute|minutes|hour|hours)\)$/;

/** What Kinesis and Glue would refuse in one pipeline's settings, each naming the field and what is valid. */
export function pipelineSettingsProblems(pipeline: Pick<StreamingPipelineInput, "name" | "settings">): string[] {
  const s = pipeline.settings;
  const problems: string[] = [];
  if (s.capacityMode === "PROVISIONED" && (!Number.isInteger(s.shards) || s.shards < 1)) {
    problems.push(`pipelines.${pipeline.name}.settings.shards: ${s.shards} must be a positive integer for a PROVISIONED stream`);
  }
  if (s.streamRetentionHours < 24 || s.streamRetentionHours > 8760) {
    problems.push(`pipelines.${pipeline.name}.settings.streamRetentionHours: ${s.streamRetentionHours} must be 24-8760 (Kinesis limits)`);
  }
  if (s.maxWorkers < s.workers) problems.push(`pipelines.${pipeline.name}.settings.maxWorkers: ${s.maxWorkers} must be >= workers (${s.workers})`);
  if (STREAMING_ONLY_WORKER_TYPES.includes(s.batchWorkerType)) {
    problems.push(`pipelines.${pipeline.name}.settings.batchWorkerType: ${s.batchWorkerType} runs streaming jobs only; the batch job needs G.1X, G.2X, G.4X or G.8X`);
  }
  return problems;
}

/** Bad input fails at synthesis, naming the field, the value and what would be valid. */
export function checkProps(props: StreamingProps): void {
  const problems: string[] = [];
  const names = props.pipelines.map((p) => p.name);
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicates.length) problems.push(`pipelines: ${JSON.stringify([...new Set(duplicates)])} appear more than once; each pipeline needs its own stream and jobs`);
  if (props.secretRecoveryWindowDays !== 0 && (props.secretRecoveryWindowDays < 7 || props.secretRecoveryWindowDays > 30)) {
    problems.push(`secretRecoveryWindowDays: ${props.secretRecoveryWindowDays} must be 0 (immediate) or 7-30`);
  }
  // Glue triggers accept cron expressions only, not rate().
  if (!CRON.test(props.batchSchedule)) problems.push(`batchSchedule: ${JSON.stringify(props.batchSchedule)} must be a Glue cron expression like cron(0 6 * * ? *)`);
  const keepAlive = props.streamingKeepAliveSchedule;
  if (keepAlive !== undefined && !CRON.test(keepAlive) && !RATE.test(keepAlive)) {
    problems.push(`streamingKeepAliveSchedule: ${JSON.stringify(keepAlive)} must be a Scheduler expression like cron(0/15 * * * ? *) or rate(15 minutes)`);
  }
  for (const pipeline of props.pipelines) problems.push(...pipelineSettingsProblems(pipeline));
  const interval = props.warehouseLoadIntervalMinutes !== undefined && loadIntervalProblem("warehouseLoadIntervalMinutes", props.warehouseLoadIntervalMinutes);
  if (interval) problems.push(interval);
  if (props.startingPosition !== undefined) {
    try {
      checkStartingPosition(props.startingPosition);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length) throw new Error(`Streaming module: ${problems.length} problem(s)\n  - ${problems.join("\n  - ")}`);
}
