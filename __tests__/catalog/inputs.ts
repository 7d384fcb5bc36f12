import { Testing, TerraformStack } from "cdktf";
import { loadEnvironments } from "../../environments";
import { Namer } from "../../lib/naming";
import {
  CatalogAutomation,
  CatalogPipeline,
  CatalogWarehouse,
  DEFAULT_EVENT_RETRY,
  DEFAULT_PROJECTION_YEARS,
  DEFAULT_SCHEDULE_RETRY,
  PipelineCatalogProps,
  SharedCatalogResources,
  sharedCatalogNames,
} from "../../modules/catalog-automation";
import { Arns } from "../../lib/arn";
import { CompiledPipeline, PIPELINE_DEFINITIONS, loadPipelines, resolvePipelineSettings } from "../../pipelines";
import { compilePipelines } from "../../pipelines/compile";
import { sessionCheckins } from "../../pipelines/session-checkins";
import type { TerraformJson } from "../../policies";
import { lakeBucketNames } from "../../stacks/platform-stack";
import { resourcesOf } from "../helpers/synth";

export const environments = loadEnvironments();
export const compiled = loadPipelines(environments.map((e) => e.name));

/** The sample pipelines: deployed in every environment, both in crawler mode. */
export const SAMPLE_PIPELINES = ["attendees", "session_checkins"] as const;

function toCatalogPipeline(pipeline: CompiledPipeline): CatalogPipeline {
  return { name: pipeline.name, catalogMode: pipeline.definition.catalog?.mode ?? "crawler", contract: pipeline.contract };
}

export const WAREHOUSE: CatalogWarehouse = {
  workgroupName: "dp-dev-warehouse",
  workgroupArn: "arn:aws:redshift-serverless:eu-west-1:111122223333:workgroup/0b1c2d3e-0000-4000-8000-000000000001",
  database: "platform",
  secretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:dp-dev-warehouse-admin-AbCdEf",
};

export function catalogPipeline(name: string): CatalogPipeline {
  const pipeline = compiled.find((p) => p.name === name);
  if (!pipeline) throw new Error(`no pipeline ${name}`);
  return toCatalogPipeline(pipeline);
}

/**
 * session_checkins in projection mode (validated and compiled like a real definition): no sample
 * uses projection, so the tests build this variant to cover the projected table and its workflow.
 */
export const projectionPipeline: CatalogPipeline = toCatalogPipeline(
  compilePipelines([{ ...sessionCheckins, catalog: { mode: "projection" } }], environments.map((e) => e.name))[0],
);

/** The pipelines the stack deploys in an environment (those enabled there), in definition order. */
export function deployedPipelines(environment: string): string[] {
  const env = environments.find((e) => e.name === environment)!;
  return PIPELINE_DEFINITIONS.filter((d) => resolvePipelineSettings(d, env).enabled).map((d) => d.name);
}

/** The catalog module alone in a test stack, with these pipelines and the stack's dev settings. */
export function synthCatalog(pipelines: readonly CatalogPipeline[], warehouse?: CatalogWarehouse): TerraformJson {
  const stack = new TerraformStack(Testing.app(), "catalog");
  new CatalogAutomation(stack, "catalog", { ...stackLikeProps("dev", pipelines[0]), pipelines, warehouse });
  return JSON.parse(Testing.synth(stack));
}

/** The one resource of a type with this `name` (throws, listing the names found, if not exactly one). */
/** Resources of one type that the catalog module made (the stack has others, e.g. the alarms' rules). */
export function catalogResourcesOf(json: TerraformJson, type: string): [string, Record<string, any>][] {
  return resourcesOf(json, type).filter(([, r]) => String(r["//"]?.metadata?.path ?? "").includes("/catalog/"));
}

export function named(json: TerraformJson, type: string, name: string): [string, Record<string, any>] {
  const all = resourcesOf(json, type);
  const found = all.filter(([, r]) => r.name === name);
  if (found.length !== 1) throw new Error(`${found.length} ${type} named ${name}; names: ${JSON.stringify(all.map(([, r]) => r.name))}`);
  return found[0];
}

/** The environment's namer, built from its file. */
export function namerOf(environment: string): Namer {
  const env = environments.find((e) => e.name === environment)!;
  return new Namer(env.name, env.account.id, env.account.region);
}

/** The core's shared catalog resources as a pipeline stack names them: literal ARNs from the naming rules. */
export function sharedAsNamed(environment: string): SharedCatalogResources {
  const env = environments.find((e) => e.name === environment)!;
  const names = sharedCatalogNames(namerOf(environment));
  const arns = new Arns(env.account.id, env.account.region);
  return {
    workflowRoleArn: arns.iamRole(names.workflowRole),
    workflowLogGroupName: names.workflowLogGroup,
    ruleRoleArn: arns.iamRole(names.ruleRole),
    ruleDeadLetterQueueArn: arns.sqsQueue(names.ruleDeadLetterQueue),
    scheduleRoleArn: arns.iamRole(names.scheduleRole),
    scheduleDeadLetterQueueArn: arns.sqsQueue(names.scheduleDeadLetterQueue),
  };
}

/**
 * The props the stack gives one pipeline's catalog in an environment, built here independently of
 * the stack from the environment file and the naming rules (plus a warehouse when asked).
 */
export function stackLikeProps(environment: string, pipeline: string | CatalogPipeline, warehouse?: CatalogWarehouse): PipelineCatalogProps & { warehouse?: CatalogWarehouse } {
  const env = environments.find((e) => e.name === environment)!;
  const namer = namerOf(environment);
  return {
    namer,
    pipeline: typeof pipeline === "string" ? catalogPipeline(pipeline) : pipeline,
    curatedBucketName: lakeBucketNames(namer).curated,
    curatedDatabase: `dp_${env.name}_curated`,
    kmsKeyArn: "${aws_kms_key.lake_platform-key_key.arn}",
    permissionsBoundaryArn: `arn:aws:iam::${env.account.id}:policy/${namer.permissionsBoundaryName()}`,
    alarmTopicArn: `arn:aws:sns:${env.account.region}:${env.account.id}:dp-${env.name}-alarms`,
    glueSecurityConfigurationName: `dp-${env.name}-crawlers`,
    crawlerPollSeconds: env.catalog.crawlerPollSeconds,
    crawlerMaxPolls: env.catalog.crawlerMaxPolls,
    catchUpSchedule: env.catalog.catchUpSchedule,
    logRetentionDays: env.retention.logDays,
    includeExecutionData: env.observability.stepFunctionsIncludeExecutionData,
    warehouse,
    preventDestroy: env.protection.preventDestroy,
    projectionYears: DEFAULT_PROJECTION_YEARS,
    eventRetry: DEFAULT_EVENT_RETRY,
    scheduleRetry: DEFAULT_SCHEDULE_RETRY,
    shared: sharedAsNamed(environment),
  };
}

/** An S3 key the streaming job writes for a partition. */
export function dataFileKey(pipeline: string, [year, month, day, hour]: readonly string[], file = "part-00000-5f1c.c000.snappy.parquet"): string {
  return `${pipeline}/year=${year}/month=${month}/day=${day}/hour=${hour}/${file}`;
}

/** The execution input the new-object rule's input transformer produces. */
export function objectEventInput(pipeline: string, bucket: string, key: string) {
  return { pipeline, bucket, key, catchUp: false };
}
