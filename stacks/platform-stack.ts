import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { Environment } from "../environments";
import { Arns } from "../lib/arn";
import { NAME_PREFIX, Namer } from "../lib/naming";
import { Bi } from "../modules/bi";
import { CatalogAutomation } from "../modules/catalog-automation";
import { ARTIFACT_PREFIXES, LAKE_ZONES, Lake, LakeZone, QUARANTINE_PAYLOAD_PREFIX } from "../modules/lake";
import { Alarms, Observability, alarmEventRuleArns } from "../modules/observability";
import { PipelineAssets } from "../modules/pipeline-assets";
import { Network } from "../modules/network";
import { Query } from "../modules/query";
import { GLUE_JOBS_DIR_CONTEXT, JOB_KINDS, SENSITIVE_DATA_METRIC_NAMESPACE, Streaming, UNEXPECTED_DETECTIONS_METRIC, jobRoleName } from "../modules/streaming";
import { Warehouse, WarehousePipelineInput } from "../modules/warehouse";
import { CompiledPipeline, PipelineSettings, resolvePipelineSettings } from "../pipelines";
import { biKeySecretReaders, biPropsFrom } from "./bi-wiring";
import { addArchiveProvider, addAwsProvider, addStateBackend } from "./providers";

export interface PlatformStackProps {
  /** A validated environment. */
  readonly environment: Environment;
  /** Every compiled pipeline; the stack deploys those enabled in this environment. */
  readonly pipelines: readonly CompiledPipeline[];
}

/** A pipeline as deployed in one environment. */
export interface DeployedPipeline {
  readonly pipeline: CompiledPipeline;
  readonly settings: PipelineSettings;
}

/** One environment of the platform: composes the modules and maps configuration to their props. */
export class PlatformStack extends TerraformStack {
  readonly namer: Namer;
  /**
   * The boundary every role of this stack carries. The bootstrap stack creates it and is deployed
   * separately, so this stack computes its ARN from the same name (`Namer.permissionsBoundaryName`).
   */
  readonly permissionsBoundaryArn: string;
  readonly lake: Lake;
  /** Pipelines enabled in this environment, with their effective settings. */
  readonly deployed: readonly DeployedPipeline[];
  readonly assets: PipelineAssets;
  readonly network: Network;
  readonly warehouse: Warehouse;
  readonly streaming: Streaming;
  /** QuickSight, only where the environment enables BI. */
  readonly bi?: Bi;
  readonly observability: Observability;
  readonly catalog: CatalogAutomation;
  /** Glue job failure rules and metric alarms: they need the streaming and catalog outputs. */
  readonly alarms: Alarms;
  readonly query: Query;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    const env = props.environment;
    addAwsProvider(this, env);
    addArchiveProvider(this);
    addStateBackend(this, env);
    this.namer = new Namer(env.name, env.account.id, env.account.region);
    this.permissionsBoundaryArn = new Arns(env.account.id, env.account.region).iamPolicy(this.namer.permissionsBoundaryName());
    this.deployed = props.pipelines
      .map((pipeline) => ({ pipeline, settings: resolvePipelineSettings(pipeline.definition, env) }))
      .filter((d) => d.settings.enabled);

    // Each module gets what it needs from the environment and from the outputs of those before it.
    this.lake = this.createLake(env);
    this.assets = this.createAssets();
    this.network = this.createNetwork(env);
    this.warehouse = this.createWarehouse(env);
    this.streaming = this.createStreaming(env);
    this.observability = this.createObservability(env);
    this.catalog = this.createCatalog(env);
    this.alarms = this.createAlarms(env);
    this.query = this.createQuery(env);
    if (env.bi.enabled) {
      this.bi = new Bi(this, "bi", biPropsFrom(env, this.deployed, this.network, this.warehouse, { kmsKeyArn: this.lake.kmsKeyArn, permissionsBoundaryArn: this.permissionsBoundaryArn }));
    }
  }

  /** The platform key and one secure bucket per zone. */
  private createLake(env: Environment) {
    return new Lake(this, "lake", {
      bucketNames: lakeBucketNames(this.namer),
      keyAlias: this.namer.name("kmsAlias", "platform"),
      accountId: env.account.id,
      region: env.account.region,
      retention: env.retention,
      forceDestroy: env.protection.forceDestroy,
      preventDestroy: env.protection.preventDestroy,
      kmsDeletionWindowDays: env.protection.kmsDeletionWindowDays,
      keySecretReaders: biKeySecretReaders(env, warehouseSecretNames(this.namer).biReader),
      // The jobs' roles are created later (streaming); their names are known now.
      quarantinePayloadReaderArns: this.deployed.flatMap(({ pipeline }) => JOB_KINDS.map((kind) => new Arns(env.account.id, env.account.region).iamRole(jobRoleName(this.namer, pipeline.name, kind)))),
      quarantineOperator: env.operators.quarantine && {
        roleName: this.namer.name("iamRole", "quarantine-operator"),
        principalArnPatterns: env.operators.quarantine.principalArnPatterns,
        requireMfa: env.operators.quarantine.requireMfa,
        maxSessionSeconds: env.operators.quarantine.maxSessionHours * 3600,
        permissionsBoundaryArn: this.permissionsBoundaryArn,
      },
    });
  }

  /** Each enabled pipeline's contract and reference data, shipped. */
  private createAssets() {
    return new PipelineAssets(this, "pipeline-assets", {
      pipelines: this.deployed.map((d) => d.pipeline),
      artifactsBucketName: this.lake.buckets.artifacts.bucketName,
      referenceBucketName: this.lake.buckets.reference.bucketName,
      kmsKeyArn: this.lake.kmsKeyArn,
      contractPrefix: ARTIFACT_PREFIXES.contracts,
    });
  }

  /** A private network with the endpoints the jobs, Redshift and QuickSight need. */
  private createNetwork(env: Environment) {
    return new Network(this, "network", {
      vpcName: this.namer.name("vpc"),
      securityGroupNames: {
        glue: this.namer.name("securityGroup", "glue"),
        redshift: this.namer.name("securityGroup", "redshift"),
        quicksight: this.namer.name("securityGroup", "quicksight"),
        endpoints: this.namer.name("securityGroup", "endpoints"),
      },
      cidr: env.network.cidr,
      region: env.account.region,
      accountId: env.account.id,
      availabilityZoneCount: env.network.availabilityZones,
      natGateway: env.network.natGateway,
      kmsKeyArn: this.lake.kmsKeyArn,
      flowLogGroupName: this.namer.logGroup("vpc", "flow-logs"),
      logRetentionDays: env.retention.logDays,
      flowLogRoleName: this.namer.name("iamRole", "vpc-flow-logs"),
      // Endpoints serve the Glue jobs: none where no job may run; else one zone, the Glue connection's.
      ...(env.streaming.jobs === "off" ? { interfaceEndpoints: [] } : {}),
      interfaceEndpointZoneCount: 1,
      permissionsBoundaryArn: this.permissionsBoundaryArn,
    });
  }

  /** Redshift Serverless inside the network, with the tables and views the contracts describe. */
  private createWarehouse(env: Environment) {
    return new Warehouse(this, "warehouse", {
      namespaceName: warehouseNamespaceName(this.namer),
      workgroupName: this.namer.name("redshiftWorkgroup", "warehouse"),
      accountId: env.account.id,
      region: env.account.region,
      kmsKeyArn: this.lake.kmsKeyArn,
      baseCapacityRpu: env.warehouse.baseCapacityRpu,
      maxCapacityRpu: env.warehouse.maxCapacityRpu,
      usageLimits: env.warehouse.usageLimits,
      subnetIds: this.network.privateSubnetIds,
      subnetAvailabilityZones: this.network.subnetAvailabilityZones,
      redshiftSecurityGroupId: this.network.redshiftSecurityGroupId,
      glueSecurityGroupId: this.network.glueSecurityGroupId,
      glueConnectionName: this.namer.name("glueConnection", "warehouse"),
      redshiftRoleName: this.namer.name("iamRole", "redshift"),
      permissionsBoundaryArn: this.permissionsBoundaryArn,
      secretNames: warehouseSecretNames(this.namer),
      rotationFunctionName: this.namer.name("generic", "warehouse", "credential-rotation"),
      rotationRoleName: this.namer.name("iamRole", "warehouse", "rotation"),
      rotationLogGroupName: this.namer.logGroup("aws/lambda", "warehouse-credential-rotation"),
      logRetentionDays: env.retention.logDays,
      curatedBucketName: this.lake.buckets.curated.bucketName,
      tempBucketName: this.lake.buckets.artifacts.bucketName,
      tempPrefix: `${ARTIFACT_PREFIXES.temp}redshift/`,
      spectrumDatabasePatterns: [`${NAME_PREFIX}_${env.name}_*`],
      pipelines: this.deployed.map(({ pipeline }) => warehousePipeline(pipeline)),
      preventDestroy: env.protection.preventDestroy,
      snapshotRetentionDays: env.tier === "production" ? env.warehouse.snapshotRetentionDays : undefined,
    });
  }

  /** Per pipeline: the stream, the Glue streaming and batch jobs, and the code they run. */
  private createStreaming(env: Environment) {
    const bucketName = (zone: LakeZone): string => this.lake.buckets[zone].bucketName;
    return new Streaming(this, "streaming", {
      pipelines: this.deployed.map(({ pipeline, settings }) => ({
        name: pipeline.name,
        contractUri: this.assets.contracts[pipeline.name].uri,
        hasWarehouseTable: pipeline.contract.warehouse !== null,
        externalReferenceUris: pipeline.contract.references.flatMap((r) => (r.location.kind === "s3" ? [r.location.uri] : [])),
        settings,
        runPrerequisites: pipeline.contract.warehouse ? this.warehouse.pipelineReady(pipeline.name) : [],
      })),
      namer: this.namer,
      buckets: { raw: bucketName("raw"), curated: bucketName("curated"), quarantine: bucketName("quarantine"), reference: bucketName("reference"), artifacts: bucketName("artifacts") },
      artifactPrefixes: ARTIFACT_PREFIXES,
      quarantinePayloadPrefix: QUARANTINE_PAYLOAD_PREFIX,
      kmsKeyArn: this.lake.kmsKeyArn,
      permissionsBoundaryArn: this.permissionsBoundaryArn,
      logRetentionDays: env.retention.logDays,
      preventDestroy: env.protection.preventDestroy,
      // The same waiting period the environment gives its key: both guard against a hasty delete.
      secretRecoveryWindowDays: env.protection.kmsDeletionWindowDays,
      referenceRefreshMinutes: env.streaming.referenceRefreshMinutes,
      batchSchedule: env.streaming.batchSchedule,
      // streaming.jobs: who starts the jobs (docs/cost.md). Off: no endpoints, so nothing may run.
      batchSchedulesEnabled: env.streaming.jobs !== "off",
      keepStreamingJobsRunning: env.streaming.jobs === "always-on",
      keepAliveIncludeExecutionData: env.observability.stepFunctionsIncludeExecutionData,
      glueJobsDir: this.node.tryGetContext(GLUE_JOBS_DIR_CONTEXT) as string | undefined,
      warehouse: this.warehouse.jobConnection,
    });
  }

  /** The alarm topic every failure is published to. */
  private createObservability(env: Environment) {
    return new Observability(this, "observability", {
      alarmTopicName: this.namer.name("snsTopic", "alarms"),
      kmsKeyArn: this.lake.kmsKeyArn,
      accountId: env.account.id,
      region: env.account.region,
      alarmEmails: env.alarms.emails,
      // The Glue failure rules are created later (they need the jobs); their names are known now.
      publishingEventRuleArns: alarmEventRuleArns(this.namer),
      budget: { name: this.namer.name("generic", "monthly-cost"), ...env.budget },
    });
  }

  /** Glue job failures and metric alarms on streams, catalog workflows and dead-letter queues, to the alarm topic. */
  private createAlarms(env: Environment) {
    const pipelines = this.deployed.map(({ pipeline, settings }) => ({ stream: this.streaming.pipelines[pipeline.name], settings, name: pipeline.name }));
    return new Alarms(this, "alarms", {
      namer: this.namer,
      alarmTopicArn: this.observability.alarmTopicArn,
      kmsKeyArn: this.lake.kmsKeyArn,
      glueJobs: {
        streaming: pipelines.map((p) => p.stream.jobs.streaming.jobName),
        batch: pipelines.map((p) => p.stream.jobs.batch.jobName),
      },
      streams: pipelines.map((p) => ({ pipeline: p.name, streamName: p.stream.streamName, provisioned: p.settings.capacityMode === "PROVISIONED" })),
      stateMachineArns: this.catalog.stateMachineArns,
      deadLetterQueues: [...this.catalog.deadLetterQueues, ...(this.streaming.keepAlive ? [this.streaming.keepAlive.deadLetterQueue] : [])],
      streamingJobsKeptRunning: env.streaming.jobs === "always-on",
      keepAliveStateMachineArn: this.streaming.keepAlive?.stateMachineArn,
      warehouseUsage: { workgroupName: this.warehouse.workgroupName, usageLimits: env.warehouse.usageLimits, alarmPercent: env.warehouse.usageAlarmPercent },
      sensitiveData: { namespace: SENSITIVE_DATA_METRIC_NAMESPACE, metricName: UNEXPECTED_DETECTIONS_METRIC, pipelines: pipelines.map((p) => p.name) },
    });
  }

  /** Crawlers or projected tables, and the workflows that keep the catalog and views current. */
  private createCatalog(env: Environment) {
    return new CatalogAutomation(this, "catalog", {
      namer: this.namer,
      pipelines: this.deployed.map(({ pipeline }) => ({
        name: pipeline.name,
        catalogMode: pipeline.definition.catalog?.mode ?? "crawler",
        contract: pipeline.contract,
      })),
      curatedBucketName: this.lake.buckets.curated.bucketName,
      kmsKeyArn: this.lake.kmsKeyArn,
      permissionsBoundaryArn: this.permissionsBoundaryArn,
      alarmTopicArn: this.observability.alarmTopicArn,
      glueSecurityConfigurationName: this.streaming.securityConfigurationName,
      crawlerPollSeconds: env.catalog.crawlerPollSeconds,
      crawlerMaxPolls: env.catalog.crawlerMaxPolls,
      catchUpSchedule: env.catalog.catchUpSchedule,
      // Only always-on jobs write every night; elsewhere `npm run jobs -- stop` runs the catch-up.
      catchUpEnabled: env.streaming.jobs === "always-on",
      logRetentionDays: env.retention.logDays,
      includeExecutionData: env.observability.stepFunctionsIncludeExecutionData,
      // As the ETL writer: it owns the materialized views, and only a view's owner may refresh it.
      warehouse: {
        workgroupName: this.warehouse.workgroupName,
        workgroupArn: this.warehouse.workgroupArn,
        database: this.warehouse.databaseName,
        secretArn: this.warehouse.etlSecretArn,
        // Refreshes need the views and their owner's password.
        ready: [...Object.values(this.warehouse.migrations), this.warehouse.credentials.etlWriter],
      },
      preventDestroy: env.protection.preventDestroy,
    });
  }

  /** The Athena workgroup and its saved queries. */
  private createQuery(env: Environment) {
    return new Query(this, "query", {
      namer: this.namer,
      resultsBucketName: this.lake.buckets.athenaResults.bucketName,
      kmsKeyArn: this.lake.kmsKeyArn,
      bytesScannedCutoffPerQuery: env.athena.bytesScannedCutoffPerQuery,
      curatedDatabaseName: this.catalog.curatedDatabaseName,
      pipelines: this.deployed.map(({ pipeline }) => ({ name: pipeline.name, contract: pipeline.contract })),
      forceDestroy: env.protection.forceDestroy,
    });
  }
}

const ZONE_BUCKET_PURPOSE: Record<LakeZone, string> = {
  raw: "raw",
  curated: "curated",
  reference: "reference",
  quarantine: "quarantine",
  artifacts: "artifacts",
  athenaResults: "athena-results",
  accessLogs: "access-logs",
};

export const warehouseNamespaceName = (namer: Namer): string => namer.name("redshiftNamespace", "warehouse");

/** The database users' secrets (their values come from the rotation function, never from Terraform). */
export function warehouseSecretNames(namer: Namer): { etlWriter: string; biReader: string } {
  return { etlWriter: namer.name("secret", "warehouse", "etl-writer"), biReader: namer.name("secret", "warehouse", "bi-reader") };
}

export function lakeBucketNames(namer: Namer): Record<LakeZone, string> {
  return Object.fromEntries(LAKE_ZONES.map((zone) => [zone, namer.bucket(ZONE_BUCKET_PURPOSE[zone])])) as Record<LakeZone, string>;
}

/** A pipeline as the warehouse takes it: its contract and the relation BI publishes, if any. */
export function warehousePipeline(pipeline: CompiledPipeline): WarehousePipelineInput {
  return {
    name: pipeline.name,
    contract: pipeline.contract,
    biSource: pipeline.definition.bi?.publish ? (pipeline.definition.bi.source ?? "table") : undefined,
  };
}
