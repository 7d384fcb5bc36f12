import { loadEnvironments } from "../../environments";
import { Namer } from "../../lib/naming";
import {
  CatalogPipeline,
  CatalogWarehouse,
  DEFAULT_DEAD_LETTER_RETENTION_DAYS,
  DEFAULT_EVENT_RETRY,
  DEFAULT_PROJECTION_YEARS,
  DEFAULT_SCHEDULE_RETRY,
  PipelineCatalogProps,
} from "../../modules/catalog-automation";
import { loadPipelines } from "../../pipelines";
import { lakeBucketNames } from "../../stacks/platform-stack";

export const environments = loadEnvironments();
export const compiled = loadPipelines(environments.map((e) => e.name));

export const WAREHOUSE: CatalogWarehouse = {
  workgroupName: "dp-dev-warehouse",
  workgroupArn: "arn:aws:redshift-serverless:eu-west-1:111122223333:workgroup/0b1c2d3e-0000-4000-8000-000000000001",
  database: "platform",
  secretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:dp-dev-warehouse-admin-AbCdEf",
};

export function catalogPipeline(name: string): CatalogPipeline {
  const pipeline = compiled.find((p) => p.name === name);
  if (!pipeline) throw new Error(`no pipeline ${name}`);
  return { name, catalogMode: pipeline.definition.catalog?.mode ?? "crawler", contract: pipeline.contract };
}

/**
 * The props the stack gives one pipeline's catalog in an environment, built here independently of
 * the stack from the environment file and the naming rules (plus a warehouse when asked).
 */
export function stackLikeProps(environment: string, pipeline: string, warehouse?: CatalogWarehouse): PipelineCatalogProps {
  const env = environments.find((e) => e.name === environment)!;
  const namer = new Namer(env.name, env.account.id, env.account.region);
  return {
    namer,
    pipeline: catalogPipeline(pipeline),
    curatedBucketName: lakeBucketNames(namer).curated,
    curatedDatabase: `dp_${env.name}_curated`,
    kmsKeyArn: "${aws_kms_key.lake_platform-key_key.arn}",
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
    deadLetterRetentionDays: DEFAULT_DEAD_LETTER_RETENTION_DAYS,
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
