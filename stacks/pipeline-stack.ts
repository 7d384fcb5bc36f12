import { RedshiftdataStatement } from "@cdktf/provider-aws/lib/redshiftdata-statement";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { Environment } from "../environments";
import { PipelineBiInput, createPipelineBi } from "../modules/bi";
import { DEFAULT_EVENT_RETRY, DEFAULT_PROJECTION_YEARS, DEFAULT_SCHEDULE_RETRY, PipelineCatalog } from "../modules/catalog-automation";
import { ARTIFACT_PREFIXES, QUARANTINE_PAYLOAD_PREFIX } from "../modules/lake";
import { DEFAULT_ITERATOR_AGE_THRESHOLD_MINUTES, alarmDefinitions, createMetricAlarms } from "../modules/observability";
import { PipelineAssets } from "../modules/pipeline-assets";
import { createNamedQueries } from "../modules/query";
import { DEFAULT_BATCH_TIMEOUT_MINUTES, DEFAULT_GLUE_VERSION, GLUE_JOBS_DIR_CONTEXT, PipelineStream, SENSITIVE_DATA_METRIC_NAMESPACE, UNEXPECTED_DETECTIONS_METRIC, pipelineSettingsProblems } from "../modules/streaming";
import { WarehousePipelineInput, pipelineMigrationStatement } from "../modules/warehouse";
import { CompiledPipeline, PipelineSettings, resolvePipelineSettings } from "../pipelines";
import { SAMPLE_DASHBOARD, biDataSetInput } from "./bi-wiring";
import { catalogEnvironmentSettings } from "./catalog-settings";
import { CoreInterface } from "./core-interface";
import { addAwsProvider, addStateBackend, pipelineStateKey } from "./providers";

/**
 * The most resources a pipeline stack should hold: its plan refreshes these and nothing of other
 * pipelines (docs/stacks.md: what counts, and what a pipeline adds per reference file and view).
 */
export const PIPELINE_STACK_RESOURCE_BUDGET = 30;

export interface PipelineStackProps {
  /** A validated environment. */
  readonly environment: Environment;
  /** One compiled pipeline, enabled in this environment. */
  readonly pipeline: CompiledPipeline;
}

/**
 * One pipeline in one environment, in a stack and a state of its own (`data-platform-<env>-<pipeline>`,
 * docs/stacks.md): its stream and jobs, its contract and reference data, its warehouse migration,
 * its catalog crawler (or table), workflow and triggers, its alarms, saved queries and QuickSight
 * data set. What the pipelines share is the core's, taken through {@link CoreInterface}; the core
 * is applied first.
 *
 * Each part is built at the construct path it had when the environment was one stack
 * (`streaming/<pipeline>/…`, `catalog/<pipeline>/…`), so every resource keeps its Terraform address:
 * moving a deployed pipeline here imports each resource at the address it had
 * (`tools/migrate-pipeline`).
 */
export class PipelineStack extends TerraformStack {
  readonly core: CoreInterface;
  readonly settings: PipelineSettings;
  readonly stream: PipelineStream;
  readonly catalog: PipelineCatalog;
  /** Absent for a lake-only pipeline. */
  readonly migration?: RedshiftdataStatement;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id);
    const { environment: env, pipeline } = props;
    addAwsProvider(this, env);
    addStateBackend(this, env, pipelineStateKey(env, pipeline.name));
    this.settings = resolvePipelineSettings(pipeline.definition, env);
    if (!this.settings.enabled) throw new Error(`PipelineStack: pipeline "${pipeline.name}" is not enabled in environment "${env.name}"; build no stack for it`);
    // The streaming module's own check of a pipeline's settings, as it makes it for the pipelines it builds.
    const problems = pipelineSettingsProblems({ name: pipeline.name, settings: this.settings });
    if (problems.length > 0) throw new Error(`PipelineStack ${id}: ${problems.length} problem(s)\n  - ${problems.join("\n  - ")}`);
    const glueJobsDir = this.node.tryGetContext(GLUE_JOBS_DIR_CONTEXT) as string | undefined;
    const core = (this.core = new CoreInterface(this, "core", env, glueJobsDir));
    const { namer } = core;
    const scopeOf = (id: string) => new Construct(this, id);

    const assets = new PipelineAssets(this, "pipeline-assets", {
      pipelines: [pipeline],
      artifactsBucketName: core.buckets.artifacts,
      referenceBucketName: core.buckets.reference,
      kmsKeyArn: core.kmsKeyArn,
      contractPrefix: ARTIFACT_PREFIXES.contracts,
    });

    this.migration = pipelineMigrationStatement(scopeOf("warehouse"), warehousePipeline(pipeline), core.warehouse);
    const migrated = this.migration ? [this.migration] : [];

    const { buckets, warehouse } = core;
    this.stream = new PipelineStream(scopeOf("streaming"), pipeline.name, {
      pipeline: {
        name: pipeline.name,
        contractUri: assets.contracts[pipeline.name].uri,
        hasWarehouseTable: pipeline.contract.warehouse !== null,
        externalReferenceUris: pipeline.contract.references.flatMap((r) => (r.location.kind === "s3" ? [r.location.uri] : [])),
        settings: this.settings,
        // Its table exists before its jobs first run; the writer's password was set by the core.
        runPrerequisites: migrated,
      },
      namer,
      buckets: { raw: buckets.raw, curated: buckets.curated, quarantine: buckets.quarantine, reference: buckets.reference, artifacts: buckets.artifacts },
      prefixes: ARTIFACT_PREFIXES,
      quarantinePayloadPrefix: QUARANTINE_PAYLOAD_PREFIX,
      kmsKeyArn: core.kmsKeyArn,
      permissionsBoundaryArn: core.permissionsBoundaryArn,
      code: core.streaming.code,
      securityConfiguration: { name: core.streaming.securityConfigurationName, reference: core.streaming.securityConfigurationName },
      // GetSecretValue takes the name; the core wrote the pepper's value before this stack exists.
      pepperSecret: { name: core.streaming.pepperSecretName, arn: core.streaming.pepperSecretName },
      logRetentionDays: env.retention.logDays,
      preventDestroy: env.protection.preventDestroy,
      referenceRefreshMinutes: env.streaming.referenceRefreshMinutes,
      batchSchedule: env.streaming.batchSchedule,
      batchScheduleEnabled: env.streaming.jobs !== "off",
      startingPosition: "trim_horizon",
      glueVersion: DEFAULT_GLUE_VERSION,
      batchTimeoutMinutes: DEFAULT_BATCH_TIMEOUT_MINUTES,
      warehouseLoadIntervalMinutes: env.warehouse.loadIntervalMinutes,
      warehouse: {
        connectionName: warehouse.glueConnectionName,
        database: warehouse.database,
        connectionSecretArn: warehouse.etlSecretArnPattern,
        tempDir: warehouse.tempDir,
      },
    });

    this.catalog = new PipelineCatalog(scopeOf("catalog"), pipeline.name, {
      namer,
      pipeline: { name: pipeline.name, catalogMode: pipeline.definition.catalog?.mode ?? "crawler", contract: pipeline.contract },
      curatedBucketName: buckets.curated,
      curatedDatabase: core.catalog.curatedDatabaseName,
      kmsKeyArn: core.kmsKeyArn,
      permissionsBoundaryArn: core.permissionsBoundaryArn,
      alarmTopicArn: core.alarmTopicArn,
      glueSecurityConfigurationName: core.streaming.securityConfigurationName,
      ...catalogEnvironmentSettings(env),
      // As the ETL writer (the views' owner); the Data API takes the secret's name.
      warehouse: { workgroupName: warehouse.workgroupName, database: warehouse.database, secretArn: warehouse.etlSecretName, ready: migrated },
      shared: core.catalog.shared,
      projectionYears: DEFAULT_PROJECTION_YEARS,
      eventRetry: DEFAULT_EVENT_RETRY,
      scheduleRetry: DEFAULT_SCHEDULE_RETRY,
    });

    createMetricAlarms(
      scopeOf("alarms"),
      alarmDefinitions({
        namer,
        streams: [{ pipeline: pipeline.name, streamName: this.stream.streamName, provisioned: this.settings.capacityMode === "PROVISIONED" }],
        stateMachineArns: { [pipeline.name]: this.catalog.stateMachineArn },
        deadLetterQueues: [],
        iteratorAgeThresholdMinutes: DEFAULT_ITERATOR_AGE_THRESHOLD_MINUTES,
        streamingJobsKeptRunning: env.streaming.jobs === "always-on",
        sensitiveData: { namespace: SENSITIVE_DATA_METRIC_NAMESPACE, metricName: UNEXPECTED_DETECTIONS_METRIC, pipelines: [pipeline.name] },
      }),
      core.alarmTopicArn,
    );

    createNamedQueries(scopeOf("query"), namer, { name: pipeline.name, contract: pipeline.contract }, { databaseName: core.catalog.curatedDatabaseName, workgroupName: core.query.workgroupName });

    const dataSet = core.bi && biDataSetInput(pipeline, namer);
    if (core.bi && dataSet) {
      const sample: PipelineBiInput["sample"] =
        pipeline.name === SAMPLE_DASHBOARD.dataSet ? { dashboard: SAMPLE_DASHBOARD, analysisId: core.bi.sampleAnalysisId, dashboardId: core.bi.sampleDashboardId } : undefined;
      createPipelineBi(scopeOf("bi"), { audience: core.bi.audience, dataSourceArn: core.bi.dataSourceArn, dataSet, sample, dependsOn: migrated });
    }
  }
}

/** A pipeline as the warehouse takes it: its contract and the relation BI publishes, if any. */
export function warehousePipeline(pipeline: CompiledPipeline): WarehousePipelineInput {
  return {
    name: pipeline.name,
    contract: pipeline.contract,
    biSource: pipeline.definition.bi?.publish ? (pipeline.definition.bi.source ?? "table") : undefined,
  };
}
