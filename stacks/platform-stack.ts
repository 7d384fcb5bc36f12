import { GlueSecurityConfiguration } from "@cdktf/provider-aws/lib/glue-security-configuration";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { Environment } from "../environments";
import { Namer } from "../lib/naming";
import { CatalogAutomation } from "../modules/catalog-automation";
import { ARTIFACT_PREFIXES, LAKE_ZONES, Lake, LakeZone } from "../modules/lake";
import { Observability } from "../modules/observability";
import { PipelineAssets } from "../modules/pipeline-assets";
import { Query } from "../modules/query";
import { CompiledPipeline, PipelineSettings, resolvePipelineSettings } from "../pipelines";
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
  readonly lake: Lake;
  /** Pipelines enabled in this environment, with their effective settings. */
  readonly deployed: readonly DeployedPipeline[];
  readonly assets: PipelineAssets;
  readonly observability: Observability;
  readonly catalog: CatalogAutomation;
  readonly query: Query;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    const env = props.environment;
    addAwsProvider(this, env);
    addArchiveProvider(this);
    addStateBackend(this, env);
    this.namer = new Namer(env.name, env.account.id, env.account.region);

    this.lake = new Lake(this, "lake", {
      bucketNames: lakeBucketNames(this.namer),
      keyAlias: this.namer.name("kmsAlias", "platform"),
      accountId: env.account.id,
      region: env.account.region,
      retention: env.retention,
      forceDestroy: env.protection.forceDestroy,
      preventDestroy: env.protection.preventDestroy,
      kmsDeletionWindowDays: env.protection.kmsDeletionWindowDays,
    });

    this.deployed = props.pipelines
      .map((pipeline) => ({ pipeline, settings: resolvePipelineSettings(pipeline.definition, env) }))
      .filter((d) => d.settings.enabled);

    this.assets = new PipelineAssets(this, "pipeline-assets", {
      pipelines: this.deployed.map((d) => d.pipeline),
      artifactsBucketName: this.lake.buckets.artifacts.bucketName,
      referenceBucketName: this.lake.buckets.reference.bucketName,
      kmsKeyArn: this.lake.kmsKeyArn,
      contractPrefix: ARTIFACT_PREFIXES.contracts,
    });

    // Catalog automation, Athena and the alarm topic.
    this.observability = new Observability(this, "observability", {
      alarmTopicName: this.namer.name("snsTopic", "alarms"),
      kmsKeyArn: this.lake.kmsKeyArn,
      accountId: env.account.id,
      region: env.account.region,
      alarmEmails: env.alarms.emails,
    });
    // TEMPORARY (for the lead): replace with the streaming module's security configuration name
    // when it is merged, and delete this resource. Crawlers must have one (GLUE-SEC).
    const crawlerSecurityConfiguration = new GlueSecurityConfiguration(this, "catalog-temporary-security-configuration", {
      name: this.namer.name("glueSecurityConfiguration", "crawlers"),
      encryptionConfiguration: {
        s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: this.lake.kmsKeyArn },
        cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: this.lake.kmsKeyArn },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: this.lake.kmsKeyArn },
      },
    });
    this.catalog = new CatalogAutomation(this, "catalog", {
      namer: this.namer,
      pipelines: this.deployed.map(({ pipeline }) => ({
        name: pipeline.name,
        catalogMode: pipeline.definition.catalog?.mode ?? "crawler",
        contract: pipeline.contract,
      })),
      curatedBucketName: this.lake.buckets.curated.bucketName,
      kmsKeyArn: this.lake.kmsKeyArn,
      alarmTopicArn: this.observability.alarmTopicArn,
      glueSecurityConfigurationName: crawlerSecurityConfiguration.name,
      crawlerPollSeconds: env.catalog.crawlerPollSeconds,
      crawlerMaxPolls: env.catalog.crawlerMaxPolls,
      catchUpSchedule: env.catalog.catchUpSchedule,
      logRetentionDays: env.retention.logDays,
      includeExecutionData: env.observability.stepFunctionsIncludeExecutionData,
      // The lead wires the warehouse module's outputs here: { workgroupName, workgroupArn, database, secretArn? }.
      warehouse: undefined,
      preventDestroy: env.protection.preventDestroy,
    });
    this.query = new Query(this, "query", {
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

export function lakeBucketNames(namer: Namer): Record<LakeZone, string> {
  return Object.fromEntries(LAKE_ZONES.map((zone) => [zone, namer.bucket(ZONE_BUCKET_PURPOSE[zone])])) as Record<LakeZone, string>;
}
