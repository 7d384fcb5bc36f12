import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { GlueJob } from "@cdktf/provider-aws/lib/glue-job";
import { GlueTrigger } from "@cdktf/provider-aws/lib/glue-trigger";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { Construct } from "constructs";
import { Arns } from "../../lib/arn";
import { checkName } from "../../lib/naming";
import { policyJson } from "../../lib/iam";
import { ServiceRole } from "../../lib/service-role";
import { JOB_KINDS, JobKind, JobLogGroups, jobArguments, jobRoleName, jobLogGroupNames, jobWorkPrefixes, s3Uri } from "./job-arguments";
import { JOB_KIND_TAG } from "./keep-alive-definition";
import { jobRolePolicy, producerPolicy } from "./job-policies";
import { PipelineStreamProps, StreamingPipelineSettings } from "./pipeline-stream-props";

/** One job of a pipeline, as other modules and the tests see it. */
export interface PipelineJob {
  /** Reference to the job's name. */
  readonly jobName: string;
  readonly roleName: string;
  /** Computed from the name, so policies naming it stay literal. */
  readonly roleArn: string;
  /** Reference to the group the job's own and Glue's log messages land in (`<prefix>/error`). */
  readonly logGroupName: string;
  /** Reference to the group of the driver's and executors' stdout and stderr (`<prefix>/output`). */
  readonly outputLogGroupName: string;
}

/** Retries a failed run: a streaming job resumes from its checkpoint, a batch job from its bookmark. */
export const MAX_RETRIES: Readonly<Record<JobKind, number>> = { streaming: 3, batch: 1 };

/** Kinesis stream mode details: a shard count only means something for PROVISIONED streams. */
export function streamCapacity(settings: StreamingPipelineSettings): { streamModeDetails: { streamMode: string }; shardCount?: number } {
  return {
    streamModeDetails: { streamMode: settings.capacityMode },
    ...(settings.capacityMode === "PROVISIONED" ? { shardCount: settings.shards } : {}),
  };
}

/**
 * One pipeline's streaming side: its Kinesis stream and a policy producers attach, a Glue streaming
 * job over the stream and a scheduled Glue batch job over the raw zone, each with its own role, and
 * the pipeline's KMS-encrypted log groups (Glue 5's `<prefix>/error` and `<prefix>/output`) that both
 * jobs write to: a run's log streams are named by its run id, and one pair per pipeline (not per job)
 * keeps a pipeline stack within its resource budget (docs/stacks.md).
 */
export class PipelineStream extends Construct {
  readonly streamName: string;
  readonly streamArn: string;
  readonly producerPolicyName: string;
  readonly producerPolicyArn: string;
  readonly jobs: Readonly<Record<JobKind, PipelineJob>>;
  /** `s3://` URI of the streaming job's checkpoint. */
  readonly checkpointLocation: string;

  constructor(scope: Construct, id: string, props: PipelineStreamProps) {
    super(scope, id);
    const { namer, pipeline } = props;
    const streamName = namer.name("kinesisStream", pipeline.name);
    const stream = new KinesisStream(this, "stream", {
      name: streamName,
      retentionPeriod: pipeline.settings.streamRetentionHours,
      encryptionType: "KMS",
      kmsKeyId: props.kmsKeyArn,
      ...streamCapacity(pipeline.settings),
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    this.streamName = stream.name;
    this.streamArn = stream.arn;

    this.producerPolicyName = namer.name("iamPolicy", pipeline.name, "producer");
    this.producerPolicyArn = new IamPolicy(this, "producer-policy", {
      name: this.producerPolicyName,
      description: `Write records to the ${streamName} stream`,
      policy: policyJson(producerPolicy({ streamArn: this.streamArn, kmsKeyArn: props.kmsKeyArn, region: namer.region })),
    }).arn;

    const logGroupPrefix = namer.logGroup("aws-glue", "jobs", pipeline.name);
    const logGroupNames = jobLogGroupNames(logGroupPrefix);
    const logGroup = (stream: keyof JobLogGroups) =>
      new CloudwatchLogGroup(this, `logs-${stream}`, { name: checkName("logGroup", logGroupNames[stream]), retentionInDays: props.logRetentionDays, kmsKeyId: props.kmsKeyArn });
    const logGroups = { error: logGroup("error"), output: logGroup("output"), prefix: logGroupPrefix };

    const jobs = {} as Record<JobKind, PipelineJob>;
    for (const kind of JOB_KINDS) jobs[kind] = this.job(kind, props, streamName, logGroups);
    this.jobs = jobs;
    this.checkpointLocation = s3Uri(props.buckets.artifacts, jobWorkPrefixes(props.prefixes, pipeline.name, "streaming").checkpoint);

    new GlueTrigger(this, "batch-schedule", {
      name: namer.name("generic", pipeline.name, "batch", "schedule"),
      description: `Sweeps new files under the raw zone's ${pipeline.name}/ prefix`,
      type: "SCHEDULED",
      schedule: props.batchSchedule,
      startOnCreation: props.batchScheduleEnabled,
      enabled: props.batchScheduleEnabled,
      actions: [{ jobName: jobs.batch.jobName }],
    });
    // The streaming job is started by the environment's keep-alive (streaming.ts), not by a
    // scheduled trigger: a trigger's start collides with the running run and fails every time.
  }

  private job(kind: JobKind, props: PipelineStreamProps, streamName: string, logGroups: Record<keyof JobLogGroups, CloudwatchLogGroup> & { prefix: string }): PipelineJob {
    const { namer, pipeline } = props;
    const arns = new Arns(namer.accountId, namer.region);
    const jobName = namer.name("glueJob", pipeline.name, kind);
    const roleName = jobRoleName(namer, pipeline.name, kind);
    const warehouse = pipeline.hasWarehouseTable ? props.warehouse : undefined;
    const work = jobWorkPrefixes(props.prefixes, pipeline.name, kind);
    const warehouseTmpDir = warehouse?.tempDir ?? s3Uri(props.buckets.artifacts, `${work.temp}redshift/`);

    const { role, policy } = new ServiceRole(this, `${kind}-role`, {
      roleName,
      description: `Runs the ${jobName} Glue job`,
      service: "glue.amazonaws.com",
      accountId: namer.accountId,
      region: namer.region,
      policyName: `${kind}-job`,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      permissions: jobRolePolicy({
          kind,
          pipeline: pipeline.name,
          accountId: namer.accountId,
          region: namer.region,
          buckets: props.buckets,
          prefixes: props.prefixes,
          quarantinePayloadPrefix: props.quarantinePayloadPrefix,
          codeKeys: [props.code.scripts[kind].key, props.code.library.key],
          kmsKeyArn: props.kmsKeyArn,
          pepperSecretName: props.pepperSecret.name,
          streamName: kind === "streaming" ? streamName : undefined,
          logGroups: [logGroups.error.name, logGroups.output.name],
          securityConfigurationName: props.securityConfiguration.name,
          roleName,
          externalReferenceUris: pipeline.externalReferenceUris,
          warehouse: warehouse && { connectionName: warehouse.connectionName, connectionSecretArn: warehouse.connectionSecretArn, tmpDir: warehouseTmpDir },
      }),
    });

    const settings = pipeline.settings;
    const job = new GlueJob(this, `${kind}-job`, {
      name: jobName,
      description: `${kind === "streaming" ? "Streams" : "Sweeps raw files of"} the ${pipeline.name} pipeline into the lake`,
      roleArn: role.arn,
      glueVersion: props.glueVersion,
      command: { name: kind === "streaming" ? "gluestreaming" : "glueetl", pythonVersion: "3", scriptLocation: props.code.scripts[kind].uri },
      workerType: kind === "batch" ? settings.batchWorkerType : settings.workerType,
      // Under auto scaling, number_of_workers is the ceiling Glue scales up to.
      numberOfWorkers: settings.maxWorkers,
      maxRetries: MAX_RETRIES[kind],
      // Unset for streaming: provider 6.25 sends no timeout for gluestreaming, i.e. no time limit.
      ...(kind === "batch" ? { timeout: props.batchTimeoutMinutes } : {}),
      executionProperty: { maxConcurrentRuns: 1 },
      securityConfiguration: props.securityConfiguration.reference,
      ...(warehouse ? { connections: [warehouse.connectionName] } : {}),
      defaultArguments: jobArguments({
        kind,
        pipeline: pipeline.name,
        contractUri: pipeline.contractUri,
        buckets: props.buckets,
        prefixes: props.prefixes,
        quarantinePayloadPrefix: props.quarantinePayloadPrefix,
        libraryUri: props.code.library.uri,
        pepperSecretId: props.pepperSecret.arn,
        windowSeconds: settings.windowSeconds,
        referenceRefreshMinutes: props.referenceRefreshMinutes,
        logGroupPrefix: logGroups.prefix,
        ...(kind === "streaming" ? { streamArn: this.streamArn, startingPosition: props.startingPosition } : {}),
        ...(warehouse
          ? { warehouse: { connectionName: warehouse.connectionName, database: warehouse.database, tmpDir: warehouseTmpDir, loadIntervalMinutes: props.warehouseLoadIntervalMinutes } }
          : {}),
      }),
      // The keep-alive finds the streaming jobs by this tag (keep-alive-definition.ts).
      tags: { [JOB_KIND_TAG]: kind },
      // A trigger starts the job as soon as it exists: its permissions, its log groups (Glue would
      // create unencrypted ones itself), the pepper's value (when this stack creates it; a pipeline
      // stack applies after the core that does) and the pipeline's warehouse side first.
      dependsOn: [policy, logGroups.error, logGroups.output, ...(props.pepperSecret.value ? [props.pepperSecret.value] : []), ...(pipeline.runPrerequisites ?? [])],
    });
    return { jobName: job.name, roleName, roleArn: arns.iamRole(roleName), logGroupName: logGroups.error.name, outputLogGroupName: logGroups.output.name };
  }
}
