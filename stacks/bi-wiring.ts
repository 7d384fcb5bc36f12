import type { ITerraformDependable } from "cdktf";
import type { Environment } from "../environments";
import { Namer } from "../lib/naming";
import { BiDataSetInput, BiDefinitionError, BiNames, BiProps, GeographicRole, SampleDashboardInput, quicksightSecretKeyGrant } from "../modules/bi";
import type { SecretReaderKeyGrant } from "../modules/lake";
import type { CompiledPipeline } from "../pipelines";

/**
 * Maps an environment and the network and warehouse outputs to the BI module's props. Typed
 * against the small interfaces below (not the network and warehouse modules), so that BI builds on
 * its own; the core stack constructs BI with
 * `new Bi(this, "bi", biPropsFrom(env, this.network, this.warehouse, { kmsKeyArn, permissionsBoundaryArn }))`,
 * and each pipeline's stack its data set (and the sample over it) with `createPipelineBi`.
 */
export interface BiNetworkOutputs {
  readonly privateSubnetIds: readonly string[];
  readonly quicksightSecurityGroupId: string;
}

export interface BiWarehouseOutputs {
  readonly endpointAddress: string;
  readonly port: number;
  readonly databaseName: string;
  readonly biReaderSecretArn: string;
  /** Creates the users (without passwords). */
  readonly foundation: ITerraformDependable;
  /** The reader's first rotation sets its password. */
  readonly credentials: { readonly biReader: ITerraformDependable };
}

export interface BiPlatformOutputs {
  /** The platform key: the reader secret is encrypted with it. */
  readonly kmsKeyArn: string;
  /** Permissions boundary of the VPC connection role. */
  readonly permissionsBoundaryArn: string;
}

export type BiPipeline = Pick<CompiledPipeline, "name" | "definition" | "contract">;

/** The sample dashboard: attendees by country, as the seed example asks. */
export const SAMPLE_DASHBOARD: SampleDashboardInput = {
  dataSet: "attendees",
  category: "country_name",
  measure: "attendee_count",
  geography: "country_name",
  filter: "ticket_type",
  title: "Attendees by country",
};

export function biNames(namer: Namer): BiNames {
  return {
    vpcConnectionId: namer.name("quicksightId", "warehouse-vpc"),
    vpcConnectionRoleName: namer.name("iamRole", "quicksight-vpc"),
    dataSourceId: namer.name("quicksightId", "warehouse"),
    sampleAnalysisId: namer.name("quicksightId", "sample-analysis"),
    sampleDashboardId: namer.name("quicksightId", "sample-dashboard"),
    accountName: namer.name("generic", "quicksight", namer.accountId),
  };
}

/**
 * The platform key statements BI needs: QuickSight's secrets role decrypts the reader secret (only
 * where BI is enabled). The lake is created before BI, so the stack passes this to the lake.
 */
export function biKeySecretReaders(env: Environment, readerSecretName: string): SecretReaderKeyGrant[] {
  return env.bi.enabled ? [quicksightSecretKeyGrant({ accountId: env.account.id, region: env.account.region, readerSecretName })] : [];
}

/** The QuickSight Q topic id of an environment (the topic is created by hand, see docs/bi.md). */
export function qTopicId(namer: Namer): string {
  return namer.name("quicksightId", "q-topic");
}

/**
 * A pipeline's data set, from its contract: the warehouse table, or the materialized view named by
 * `bi.source`, with that relation's columns as the contract declares them. Undefined when the
 * pipeline does not publish. Throws when the definition asks for something the contract lacks.
 */
export function biDataSetInput(pipeline: BiPipeline, namer: Namer): BiDataSetInput | undefined {
  const bi = pipeline.definition.bi;
  if (!bi?.publish) return undefined;
  const where = `pipeline "${pipeline.name}"`;
  const warehouse = pipeline.contract.warehouse;
  if (!warehouse) throw new BiDefinitionError(`${where}: bi.publish is true but the contract has no warehouse table; QuickSight reads Redshift in Direct Query mode`);
  const source = bi.source ?? "table";
  const view = warehouse.materialized_views.find((v) => v.name === source);
  if (source !== "table" && !view) {
    const options = ["table", ...warehouse.materialized_views.map((v) => v.name)];
    throw new BiDefinitionError(`${where}: bi.source ${JSON.stringify(source)} is neither "table" nor a materialized view; choose one of ${options.join(", ")}`);
  }
  const relation = view ? view.name : warehouse.table;
  const contractColumns = view ? view.columns : warehouse.columns;
  const names = contractColumns.map((c) => c.name);
  const roles = new Map<string, GeographicRole>();
  (bi.geographic ?? []).forEach((g, i) => {
    if (!names.includes(g.column)) {
      throw new BiDefinitionError(`${where}: bi.geographic[${i}].column "${g.column}" is not a column of ${warehouse.schema}.${relation}; its columns: ${names.join(", ")}`);
    }
    roles.set(g.column, g.role);
  });
  Object.keys(bi.synonyms ?? {}).forEach((column) => {
    if (!names.includes(column)) throw new BiDefinitionError(`${where}: bi.synonyms.${column} names no column of ${warehouse.schema}.${relation}; its columns: ${names.join(", ")}`);
  });
  return {
    key: pipeline.name,
    dataSetId: namer.name("quicksightId", pipeline.name),
    displayName: bi.friendlyName ?? pipeline.definition.description,
    schema: warehouse.schema,
    relation,
    relationKind: view ? "materialized_view" : "table",
    columns: contractColumns.map((c) => ({
      name: c.name,
      type: c.type,
      description: c.description,
      ...(roles.has(c.name) ? { geographicRole: roles.get(c.name) } : {}),
      synonyms: [...(bi.synonyms?.[c.name] ?? [])],
    })),
  };
}

export function biDataSetInputs(pipelines: readonly BiPipeline[], namer: Namer): BiDataSetInput[] {
  return pipelines.flatMap((p) => biDataSetInput(p, namer) ?? []);
}

/** The BI module's props for one environment's core (no data set: each is in its pipeline's stack); call only when `env.bi.enabled`. */
export function biPropsFrom(env: Environment, network: BiNetworkOutputs, warehouse: BiWarehouseOutputs, platform: BiPlatformOutputs): BiProps {
  const namer = new Namer(env.name, env.account.id, env.account.region);
  return {
    accountId: env.account.id,
    region: env.account.region,
    names: biNames(namer),
    permissionsBoundaryArn: platform.permissionsBoundaryArn,
    subnetIds: network.privateSubnetIds,
    securityGroupId: network.quicksightSecurityGroupId,
    workgroupEndpoint: warehouse.endpointAddress,
    port: warehouse.port,
    database: warehouse.databaseName,
    readerSecretArn: warehouse.biReaderSecretArn,
    prerequisites: { dataSource: [warehouse.foundation, warehouse.credentials.biReader] },
    kmsKeyArn: platform.kmsKeyArn,
    datasets: [],
    authorGroup: env.bi.authorGroup,
    readerGroup: env.bi.readerGroup,
    createAccountSubscription: env.bi.createAccountSubscription,
    notificationEmail: env.bi.notificationEmail,
  };
}
