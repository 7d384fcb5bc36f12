import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { Construct } from "constructs";
import type { Namer } from "../../lib/naming";
import { QueryPipeline, pipelineNamedQueries } from "./named-queries";
import { QueryProps } from "./query-props";

export const ATHENA_ENGINE_VERSION = "Athena engine version 3";
export const MIN_BYTES_SCANNED_CUTOFF = 10_485_760;

/** The environment's Athena workgroup (pipeline stacks save their queries in it by this name). */
export const athenaWorkgroupName = (namer: Namer): string => namer.name("athenaWorkgroup", "analytics");

/**
 * One pipeline's saved queries, created in `scope` (ids `<pipeline>-<query>`); returns their names.
 * The workgroup and database arrive as references where they are in the same stack, as names where
 * they are the environment's core stack's.
 */
export function createNamedQueries(scope: Construct, namer: Namer, pipeline: QueryPipeline, where: { readonly databaseName: string; readonly workgroupName: string }): string[] {
  return pipelineNamedQueries(where.databaseName, pipeline).map((query) => {
    const name = namer.name("generic", pipeline.name, query.name);
    new AthenaNamedQuery(scope, `${pipeline.name}-${query.name}`, {
      name,
      description: query.description,
      database: where.databaseName,
      workgroup: where.workgroupName,
      query: query.sql,
    });
    return name;
  });
}

/** Ad-hoc SQL over the lake: one enforced, encrypted, capped workgroup and the platform's saved queries. */
export class Query extends Construct {
  readonly workgroupName: string;
  readonly workgroupArn: string;
  /** Saved query names, per pipeline. */
  readonly namedQueryNames: Readonly<Record<string, readonly string[]>>;

  constructor(scope: Construct, id: string, props: QueryProps) {
    super(scope, id);
    if (!Number.isInteger(props.bytesScannedCutoffPerQuery) || props.bytesScannedCutoffPerQuery < MIN_BYTES_SCANNED_CUTOFF) {
      throw new Error(`Query: bytesScannedCutoffPerQuery is ${props.bytesScannedCutoffPerQuery}: must be a whole number of bytes >= ${MIN_BYTES_SCANNED_CUTOFF} (Athena's minimum)`);
    }
    const { namer } = props;
    const workgroupName = athenaWorkgroupName(namer);
    const workgroup = new AthenaWorkgroup(this, "workgroup", {
      name: workgroupName,
      description: "Ad-hoc SQL over the curated lake",
      state: "ENABLED",
      forceDestroy: props.forceDestroy ?? false,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucketName}/${workgroupName}/`,
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: props.kmsKeyArn },
        },
      },
    });
    this.workgroupName = workgroup.name;
    this.workgroupArn = workgroup.arn;
    const names: Record<string, string[]> = {};
    for (const pipeline of props.pipelines) {
      names[pipeline.name] = createNamedQueries(this, namer, pipeline, { databaseName: props.curatedDatabaseName, workgroupName: workgroup.name });
    }
    this.namedQueryNames = names;
  }
}
