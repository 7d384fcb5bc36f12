import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { GlueDataCatalogEncryptionSettings } from "@cdktf/provider-aws/lib/glue-data-catalog-encryption-settings";
import { Construct } from "constructs";
import { DEFAULT_DEAD_LETTER_RETENTION_DAYS, DeadLetterQueueOutput, deadLetterRetentionProblems, targetRetryProblems } from "../../lib/dead-letter-queue";
import { CatalogAutomationProps } from "./catalog-automation-props";
import { PipelineCatalog } from "./pipeline-catalog";
import { PipelineCatalogProps } from "./pipeline-catalog-props";

export const DEFAULT_PROJECTION_YEARS = { from: 2024, to: 2099 } as const;
export const DEFAULT_EVENT_RETRY = { maximumEventAgeSeconds: 6 * 3600, maximumRetryAttempts: 8 } as const;
export const DEFAULT_SCHEDULE_RETRY = { maximumEventAgeSeconds: 3600, maximumRetryAttempts: 3 } as const;
export { DEFAULT_DEAD_LETTER_RETENTION_DAYS };

/**
 * The Glue Data Catalog of the platform and what keeps it current: the `raw` and `curated`
 * databases, catalog encryption, and per pipeline a crawler (or a projected table), a workflow,
 * its new-object trigger and a nightly catch-up.
 */
export class CatalogAutomation extends Construct {
  readonly rawDatabaseName: string;
  readonly curatedDatabaseName: string;
  /** Per pipeline: the catalog workflow's state machine ARN. */
  readonly stateMachineArns: Readonly<Record<string, string>>;
  /** Per pipeline: its table in the curated database. */
  readonly tableNames: Readonly<Record<string, string>>;
  /** Per crawler pipeline: its crawler's name. */
  readonly crawlerNames: Readonly<Record<string, string>>;
  /** Every dead-letter queue (for alarms on their depth). */
  readonly deadLetterQueues: readonly DeadLetterQueueOutput[];
  readonly pipelines: Readonly<Record<string, PipelineCatalog>>;

  constructor(scope: Construct, id: string, props: CatalogAutomationProps) {
    super(scope, id);
    validateCatalogProps(props);
    const preventDestroy = props.preventDestroy ?? true;

    const encryption = new GlueDataCatalogEncryptionSettings(this, "catalog-encryption", {
      dataCatalogEncryptionSettings: {
        encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: props.kmsKeyArn },
        connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: props.kmsKeyArn },
      },
    });
    const database = (dbId: string, name: string, description: string) =>
      new GlueCatalogDatabase(this, dbId, { name, description, lifecycle: { preventDestroy }, dependsOn: [encryption] });
    const raw = database("raw-database", props.namer.name("glueDatabase", "raw"), "Raw zone: files as dropped, for the batch jobs");
    const curated = database("curated-database", props.namer.name("glueDatabase", "curated"), "Curated zone: validated, masked Parquet per pipeline");
    this.rawDatabaseName = raw.name;
    this.curatedDatabaseName = curated.name;

    const pipelines: Record<string, PipelineCatalog> = {};
    for (const pipeline of props.pipelines) {
      const pipelineProps: PipelineCatalogProps = {
        ...props,
        pipeline,
        curatedDatabase: this.curatedDatabaseName,
        preventDestroy,
        projectionYears: props.projectionYears ?? DEFAULT_PROJECTION_YEARS,
        eventRetry: props.eventRetry ?? DEFAULT_EVENT_RETRY,
        scheduleRetry: props.scheduleRetry ?? DEFAULT_SCHEDULE_RETRY,
        deadLetterRetentionDays: props.deadLetterRetentionDays ?? DEFAULT_DEAD_LETTER_RETENTION_DAYS,
      };
      const catalog = new PipelineCatalog(this, pipeline.name, pipelineProps);
      pipelines[pipeline.name] = catalog;
    }
    this.pipelines = pipelines;
    const entries = Object.entries(pipelines);
    this.stateMachineArns = Object.fromEntries(entries.map(([name, p]) => [name, p.stateMachineArn]));
    this.tableNames = Object.fromEntries(entries.map(([name, p]) => [name, p.tableName]));
    this.crawlerNames = Object.fromEntries(entries.flatMap(([name, p]) => (p.crawlerName ? [[name, p.crawlerName]] : [])));
    this.deadLetterQueues = entries.flatMap(([, p]) => p.deadLetterQueues);
  }
}

/** Refuses props that would deploy something that cannot work, naming field, value and what is valid. */
export function validateCatalogProps(props: CatalogAutomationProps): void {
  const problems: string[] = [];
  const names = props.pipelines.map((p) => p.name);
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicates.length > 0) problems.push(`pipelines: ${JSON.stringify(duplicates)} appear more than once; each pipeline once`);
  for (const p of props.pipelines) {
    if (p.catalogMode !== "crawler" && p.catalogMode !== "projection") {
      problems.push(`pipelines.${p.name}.catalogMode is ${JSON.stringify(p.catalogMode)}: valid are "crawler" and "projection"`);
    }
  }
  if (!props.glueSecurityConfigurationName) {
    problems.push(`glueSecurityConfigurationName is ${JSON.stringify(props.glueSecurityConfigurationName)}: every crawler needs a security configuration (GLUE-SEC)`);
  }
  problems.push(...targetRetryProblems("eventRetry", props.eventRetry), ...targetRetryProblems("scheduleRetry", props.scheduleRetry));
  problems.push(...deadLetterRetentionProblems("deadLetterRetentionDays", props.deadLetterRetentionDays));
  if (problems.length > 0) throw new Error(`CatalogAutomation: ${problems.join("; ")}`);
}
