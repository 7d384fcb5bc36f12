import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { Environment } from "../environments";
import { Arns } from "../lib/arn";
import { NAME_PREFIX, Namer, pipelineNamePattern } from "../lib/naming";
import { Bi } from "../modules/bi";
import { CatalogAutomation } from "../modules/catalog-automation";
import { ARTIFACT_PREFIXES, Lake, QUARANTINE_PAYLOAD_PREFIX } from "../modules/lake";
import { Alarms, Observability, alarmEventRuleArns } from "../modules/observability";
import { Network } from "../modules/network";
import { Query } from "../modules/query";
import { GLUE_JOBS_DIR_CONTEXT, JOB_KINDS, Streaming, jobRoleName } from "../modules/streaming";
import { Warehouse } from "../modules/warehouse";
import { biKeySecretReaders, biPropsFrom } from "./bi-wiring";
import { catalogEnvironmentSettings } from "./catalog-settings";
import { publishCoreInterface } from "./core-interface";
import { alarmTopicName, lakeBucketNames, warehouseNames, warehouseSecretNames } from "./core-names";
import { addArchiveProvider, addAwsProvider, addStateBackend } from "./providers";

export { lakeBucketNames, warehouseNamespaceName, warehouseSecretNames } from "./core-names";
export { warehousePipeline } from "./pipeline-stack";

export interface PlatformStackProps {
  /** A validated environment. */
  readonly environment: Environment;
}

/**
 * One environment's core: what every pipeline of it shares (network, key, lake buckets, warehouse,
 * catalog database, shared Glue configuration and code, keep-alive, observability, query
 * workgroup, BI data source). It knows no pipeline: each pipeline is a stack of its own
 * (`pipeline-stack.ts`) that takes what it needs from here through `core-interface.ts`, so adding
 * one leaves this stack's synthesized JSON unchanged (docs/stacks.md).
 */
export class PlatformStack extends TerraformStack {
  readonly namer: Namer;
  /**
   * The boundary every role of this stack carries. The bootstrap stack creates it and is deployed
   * separately, so this stack computes its ARN from the same name (`Namer.permissionsBoundaryName`).
   */
  readonly permissionsBoundaryArn: string;
  readonly lake: Lake;
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

    // Each module gets what it needs from the environment and from the outputs of those before it.
    this.lake = this.createLake(env);
    this.network = this.createNetwork(env);
    this.warehouse = this.createWarehouse(env);
    this.streaming = this.createStreaming(env);
    this.observability = this.createObservability(env);
    this.catalog = this.createCatalog(env);
    this.alarms = this.createAlarms(env);
    this.query = this.createQuery(env);
    if (env.bi.enabled) {
      this.bi = new Bi(this, "bi", biPropsFrom(env, this.network, this.warehouse, { kmsKeyArn: this.lake.kmsKeyArn, permissionsBoundaryArn: this.permissionsBoundaryArn }));
    }
    // What only AWS knows, for the pipeline stacks (names they compute themselves).
    publishCoreInterface(this, "core-interface", this.namer, {
      kms_key_arn: this.lake.kmsKeyArn,
      warehouse_namespace_id: this.warehouse.namespaceId,
      warehouse_admin_secret_arn: this.warehouse.adminSecretArn,
    });
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
      // Every pipeline's job roles, by pattern (they are created in the pipeline stacks, later).
      quarantinePayloadReaderArns: JOB_KINDS.map((kind) => new Arns(env.account.id, env.account.region).iamRole(pipelineNamePattern((pipeline) => jobRoleName(this.namer, pipeline, kind)))),
      quarantineOperator: env.operators.quarantine && {
        roleName: this.namer.name("iamRole", "quarantine-operator"),
        principalArnPatterns: env.operators.quarantine.principalArnPatterns,
        requireMfa: env.operators.quarantine.requireMfa,
        maxSessionSeconds: env.operators.quarantine.maxSessionHours * 3600,
        permissionsBoundaryArn: this.permissionsBoundaryArn,
      },
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

  /** Redshift Serverless inside the network, with the users and what every pipeline's migration runs through. */
  private createWarehouse(env: Environment) {
    const names = warehouseNames(this.namer);
    return new Warehouse(this, "warehouse", {
      namespaceName: names.namespace,
      workgroupName: names.workgroup,
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
      glueConnectionName: names.glueConnection,
      redshiftRoleName: this.namer.name("iamRole", "redshift"),
      permissionsBoundaryArn: this.permissionsBoundaryArn,
      secretNames: names.secrets,
      rotationFunctionName: this.namer.name("generic", "warehouse", "credential-rotation"),
      rotationRoleName: this.namer.name("iamRole", "warehouse", "rotation"),
      rotationLogGroupName: this.namer.logGroup("aws/lambda", "warehouse-credential-rotation"),
      logRetentionDays: env.retention.logDays,
      curatedBucketName: this.lake.buckets.curated.bucketName,
      tempBucketName: this.lake.buckets.artifacts.bucketName,
      tempPrefix: names.tempPrefix,
      spectrumDatabasePatterns: [`${NAME_PREFIX}_${env.name}_*`],
      // Each pipeline's migration is in its own stack.
      pipelines: [],
      preventDestroy: env.protection.preventDestroy,
      snapshotRetentionDays: env.tier === "production" ? env.warehouse.snapshotRetentionDays : undefined,
    });
  }

  /** What the streaming jobs share: the Glue security configuration, the pepper, the shipped code, the keep-alive. */
  private createStreaming(env: Environment) {
    const bucket = this.lake.buckets;
    return new Streaming(this, "streaming", {
      // Each pipeline's stream and jobs are in its own stack.
      pipelines: [],
      namer: this.namer,
      buckets: { raw: bucket.raw.bucketName, curated: bucket.curated.bucketName, quarantine: bucket.quarantine.bucketName, reference: bucket.reference.bucketName, artifacts: bucket.artifacts.bucketName },
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
      warehouseLoadIntervalMinutes: env.warehouse.loadIntervalMinutes,
    });
  }

  /** The alarm topic every failure is published to. */
  private createObservability(env: Environment) {
    return new Observability(this, "observability", {
      alarmTopicName: alarmTopicName(this.namer),
      kmsKeyArn: this.lake.kmsKeyArn,
      accountId: env.account.id,
      region: env.account.region,
      alarmEmails: env.alarms.emails,
      // The Glue failure rules are created later (they need the jobs); their names are known now.
      publishingEventRuleArns: alarmEventRuleArns(this.namer),
      budget: { name: this.namer.name("generic", "monthly-cost"), ...env.budget },
    });
  }

  /** Glue job failures of every pipeline, and metric alarms on the shared queues, the keep-alive and the warehouse, to the alarm topic. */
  private createAlarms(env: Environment) {
    return new Alarms(this, "alarms", {
      namer: this.namer,
      alarmTopicArn: this.observability.alarmTopicArn,
      kmsKeyArn: this.lake.kmsKeyArn,
      // Each pipeline's stream and workflow alarms are in its own stack.
      streams: [],
      stateMachineArns: {},
      deadLetterQueues: [...this.catalog.deadLetterQueues, ...(this.streaming.keepAlive ? [this.streaming.keepAlive.deadLetterQueue] : [])],
      streamingJobsKeptRunning: env.streaming.jobs === "always-on",
      keepAliveStateMachineArn: this.streaming.keepAlive?.stateMachineArn,
      warehouseUsage: { workgroupName: this.warehouse.workgroupName, usageLimits: env.warehouse.usageLimits, alarmPercent: env.warehouse.usageAlarmPercent },
    });
  }

  /** The catalog databases and what every pipeline's catalog workflow shares (roles, log group, dead-letter queues). */
  private createCatalog(env: Environment) {
    return new CatalogAutomation(this, "catalog", {
      namer: this.namer,
      // Each pipeline's crawler, workflow and triggers are in its own stack.
      pipelines: [],
      curatedBucketName: this.lake.buckets.curated.bucketName,
      kmsKeyArn: this.lake.kmsKeyArn,
      permissionsBoundaryArn: this.permissionsBoundaryArn,
      alarmTopicArn: this.observability.alarmTopicArn,
      glueSecurityConfigurationName: this.streaming.securityConfigurationName,
      ...catalogEnvironmentSettings(env),
      // As the ETL writer: it owns the materialized views, and only a view's owner may refresh it.
      warehouse: {
        workgroupName: this.warehouse.workgroupName,
        workgroupArn: this.warehouse.workgroupArn,
        database: this.warehouse.databaseName,
        secretArn: this.warehouse.etlSecretArn,
        // Refreshes need the views and their owner's password.
        ready: [...Object.values(this.warehouse.migrations), this.warehouse.credentials.etlWriter],
      },
    });
  }

  /** The Athena workgroup (each pipeline saves its queries from its own stack). */
  private createQuery(env: Environment) {
    return new Query(this, "query", {
      namer: this.namer,
      resultsBucketName: this.lake.buckets.athenaResults.bucketName,
      kmsKeyArn: this.lake.kmsKeyArn,
      bytesScannedCutoffPerQuery: env.athena.bytesScannedCutoffPerQuery,
      curatedDatabaseName: this.catalog.curatedDatabaseName,
      pipelines: [],
      forceDestroy: env.protection.forceDestroy,
    });
  }
}
