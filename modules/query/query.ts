import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { Construct } from "constructs";
import { pipelineNamedQueries } from "./named-queries";
import { QueryProps } from "./query-props";

export const ATHENA_ENGINE_VERSION = "Athena engine version 3";
export const MIN_BYTES_SCANNED_CUTOFF = 10_485_760;

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
    const workgroupName = namer.name("athenaWorkgroup", "analytics");
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
      names[pipeline.name] = pipelineNamedQueries(props.curatedDatabaseName, pipeline).map((query) => {
        const name = namer.name("generic", pipeline.name, query.name);
        new AthenaNamedQuery(this, `${pipeline.name}-${query.name}`, {
          name,
          description: query.description,
          database: props.curatedDatabaseName,
          workgroup: workgroup.name,
          query: query.sql,
        });
        return name;
      });
    }
    this.namedQueryNames = names;
  }
}
