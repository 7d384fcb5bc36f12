import { QuicksightAccountSubscription } from "@cdktf/provider-aws/lib/quicksight-account-subscription";
import { QuicksightAnalysis } from "@cdktf/provider-aws/lib/quicksight-analysis";
import { QuicksightDashboard } from "@cdktf/provider-aws/lib/quicksight-dashboard";
import { QuicksightDataSet } from "@cdktf/provider-aws/lib/quicksight-data-set";
import { QuicksightDataSource } from "@cdktf/provider-aws/lib/quicksight-data-source";
import { QuicksightVpcConnection } from "@cdktf/provider-aws/lib/quicksight-vpc-connection";
import { SecretsmanagerSecretPolicy } from "@cdktf/provider-aws/lib/secretsmanager-secret-policy";
import { ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { policyJson } from "../../lib/iam";
import { ServiceRole } from "../../lib/service-role";
import { quicksightGroupArn } from "./arns";
import { BiProps } from "./bi-props";
import { BiDataSetInput, BiDefinitionError, DataSetModel, dataSetModel, logicalTableMap, physicalTableMap } from "./data-set-model";
import { QUICKSIGHT_SERVICE, readerSecretPolicy, vpcConnectionRolePolicy } from "./policies";
import { QUICKSIGHT_ACTIONS } from "./quicksight-actions";
import { SampleDashboardInput, sampleDashboardDefinition } from "./sample-dashboard";

export const DEFAULT_REDSHIFT_PORT = 5439;
/** QuickSight refuses a VPC connection with fewer subnets. */
export const MIN_VPC_CONNECTION_SUBNETS = 2;

/**
 * QuickSight on the warehouse in Direct Query mode: a VPC connection into the private subnets, a
 * Redshift data source (SSL on, credentials from the reader secret), one DIRECT_QUERY data set
 * per published pipeline, and a sample analysis and dashboard. QuickSight never keeps a copy. The
 * platform builds each pipeline's data set (and the sample over it) in the pipeline's own stack
 * with {@link createPipelineBi}, and passes none here.
 */
export class Bi extends Construct {
  readonly vpcConnectionArn: string;
  readonly vpcConnectionRoleArn: string;
  readonly dataSourceArn: string;
  /** Data set ARN per data set key (pipeline name). */
  readonly dataSetArns: Readonly<Record<string, string>>;
  /** The data sets as modelled (columns, friendly names, types): the Q topic is generated from them. */
  readonly dataSets: readonly DataSetModel[];
  readonly sampleAnalysisArn?: string;
  readonly sampleDashboardArn?: string;

  constructor(scope: Construct, id: string, props: BiProps) {
    super(scope, id);
    validateBiProps(props);
    const models = props.datasets.map(dataSetModel);
    const audience = { region: props.region, accountId: props.accountId, authorGroup: props.authorGroup, readerGroup: props.readerGroup };

    if (props.createAccountSubscription ?? false) {
      new QuicksightAccountSubscription(this, "account-subscription", {
        accountName: props.names.accountName,
        edition: "ENTERPRISE",
        authenticationMethod: "IAM_AND_QUICKSIGHT",
        notificationEmail: props.notificationEmail,
        // Deleting the subscription deletes every QuickSight user and asset of the account.
        lifecycle: { preventDestroy: true },
      });
    }

    const { role, policy } = new ServiceRole(this, "vpc-connection-role", {
      roleName: props.names.vpcConnectionRoleName,
      description: "QuickSight manages the network interfaces of its VPC connection to the warehouse",
      service: QUICKSIGHT_SERVICE,
      accountId: props.accountId,
      region: props.region,
      policyName: `${props.names.vpcConnectionRoleName}-enis`,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      permissions: vpcConnectionRolePolicy(props),
    });
    this.vpcConnectionRoleArn = role.arn;

    const vpcConnection = new QuicksightVpcConnection(this, "vpc-connection", {
      vpcConnectionId: props.names.vpcConnectionId,
      name: props.names.vpcConnectionId,
      roleArn: role.arn,
      subnetIds: [...props.subnetIds],
      securityGroupIds: [props.securityGroupId],
      dependsOn: [policy],
    });
    this.vpcConnectionArn = vpcConnection.arn;

    // QuickSight reads the secret with its own role when a dashboard queries; the grant lives on
    // the secret (and the platform key), which the platform owns, never on QuickSight's role.
    const secretGrant = new SecretsmanagerSecretPolicy(this, "reader-secret-policy", {
      secretArn: props.readerSecretArn,
      policy: policyJson(readerSecretPolicy({ accountId: props.accountId })),
      blockPublicPolicy: true,
    });

    const dataSource = new QuicksightDataSource(this, "data-source", {
      dataSourceId: props.names.dataSourceId,
      name: props.names.dataSourceId,
      type: "REDSHIFT",
      parameters: { redshift: { host: props.workgroupEndpoint, port: props.port ?? DEFAULT_REDSHIFT_PORT, database: props.database } },
      credentials: { secretArn: props.readerSecretArn },
      sslProperties: { disableSsl: false },
      vpcConnectionProperties: { vpcConnectionArn: vpcConnection.arn },
      permission: ownedAndViewed(audience, QUICKSIGHT_ACTIONS.dataSource.owner, QUICKSIGHT_ACTIONS.dataSource.viewer),
      // The reader must exist with its password (its secret's first rotation) before QuickSight connects.
      dependsOn: [secretGrant, ...(props.prerequisites?.dataSource ?? [])],
    });
    this.dataSourceArn = dataSource.arn;

    const sample = props.sampleDashboard;
    if (sample && !models.some((model) => model.key === sample.dataSet)) {
      throw new BiDefinitionError(
        `sampleDashboard.dataSet: "${sample.dataSet}" is not among the data sets (${models.map((m) => m.key).join(", ") || "none"}); publish it or drop the sample`,
      );
    }
    const built = props.datasets.map((dataSet) =>
      createPipelineBi(this, {
        audience,
        dataSourceArn: dataSource.arn,
        dataSet,
        sample: sample?.dataSet === dataSet.key ? { dashboard: sample, analysisId: props.names.sampleAnalysisId, dashboardId: props.names.sampleDashboardId } : undefined,
        dependsOn: props.prerequisites?.dataSets?.[dataSet.key] ?? [],
      }),
    );
    this.dataSets = models;
    this.dataSetArns = Object.fromEntries(built.map((b) => [b.key, b.dataSetArn]));
    const withSample = built.find((b) => b.sampleDashboardArn);
    this.sampleAnalysisArn = withSample?.sampleAnalysisArn;
    this.sampleDashboardArn = withSample?.sampleDashboardArn;
  }
}

/** Who owns and who views BI resources: the environment's QuickSight groups. */
export interface BiAudience {
  readonly region: string;
  readonly accountId: string;
  readonly authorGroup: string;
  readonly readerGroup: string;
}

/** Owner permissions for the authors, viewer permissions for the readers. */
function ownedAndViewed(audience: BiAudience, owner: readonly string[], viewer: readonly string[]) {
  const group = (name: string) => quicksightGroupArn({ region: audience.region, accountId: audience.accountId, group: name });
  return [
    { principal: group(audience.authorGroup), actions: [...owner] },
    { principal: group(audience.readerGroup), actions: [...viewer] },
  ];
}

/** What one pipeline publishes in QuickSight. */
export interface PipelineBiInput {
  readonly audience: BiAudience;
  /** The environment's warehouse data source. */
  readonly dataSourceArn: string;
  readonly dataSet: BiDataSetInput;
  /** The sample analysis and dashboard, built over this data set. @default none */
  readonly sample?: { readonly dashboard: SampleDashboardInput; readonly analysisId: string; readonly dashboardId: string };
  /** What must exist before QuickSight reads the relation's columns (its migration). @default nothing */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * One pipeline's Direct Query data set and, where it is the sample's, the sample analysis and
 * dashboard, in `scope` (ids `data-set-<key>`, `sample-analysis`, `sample-dashboard`): the BI
 * module builds them beside the data source, a pipeline's own stack builds them for itself.
 */
export function createPipelineBi(scope: Construct, input: PipelineBiInput): { key: string; dataSetArn: string; sampleAnalysisArn?: string; sampleDashboardArn?: string } {
  const model = dataSetModel(input.dataSet);
  const dataSet = new QuicksightDataSet(scope, `data-set-${model.key}`, {
    dataSetId: model.dataSetId,
    name: model.displayName,
    // Direct Query: every visual queries Redshift; QuickSight keeps no copy (no SPICE).
    importMode: "DIRECT_QUERY",
    physicalTableMap: physicalTableMap(model, input.dataSourceArn),
    logicalTableMap: logicalTableMap(model),
    permissions: ownedAndViewed(input.audience, QUICKSIGHT_ACTIONS.dataSet.owner, QUICKSIGHT_ACTIONS.dataSet.viewer),
    // QuickSight reads the relation's columns when it creates the data set: its migration first.
    dependsOn: [...(input.dependsOn ?? [])],
  });
  if (!input.sample) return { key: model.key, dataSetArn: dataSet.arn };
  const { dashboard: sample, analysisId, dashboardId } = input.sample;
  const definition = sampleDashboardDefinition(model, dataSet.arn, sample);
  const authors = ownedAndViewed(input.audience, QUICKSIGHT_ACTIONS.analysis.owner, [])[0];
  // Readers cannot open analyses in QuickSight: the analysis is shared with authors only.
  const analysis = new QuicksightAnalysis(scope, "sample-analysis", { analysisId, name: sample.title, definition, permissions: [authors] });
  const shown = new QuicksightDashboard(scope, "sample-dashboard", {
    dashboardId,
    name: sample.title,
    versionDescription: "Defined in code (modules/bi/sample-dashboard.ts)",
    definition,
    permissions: ownedAndViewed(input.audience, QUICKSIGHT_ACTIONS.dashboard.owner, QUICKSIGHT_ACTIONS.dashboard.viewer),
  });
  return { key: model.key, dataSetArn: dataSet.arn, sampleAnalysisArn: analysis.arn, sampleDashboardArn: shown.arn };
}

/** The ARN of a QuickSight data source, from its id (pipeline stacks name the environment's this way). */
export function dataSourceArn(region: string, accountId: string, dataSourceId: string): string {
  return `arn:aws:quicksight:${region}:${accountId}:datasource/${dataSourceId}`;
}

/** Fails synthesis on props AWS would refuse; values only known at apply time (tokens) pass. */
export function validateBiProps(props: BiProps): void {
  const known = (value: string) => !Token.isUnresolved(value);
  const problems: string[] = [];
  if (!/^\d{12}$/.test(props.accountId)) problems.push(`accountId: ${JSON.stringify(props.accountId)} must be a 12-digit AWS account id`);
  // A list only known at apply time arrives as one encoded token: its length is not known yet.
  const subnetListIsToken = props.subnetIds.length === 1 && Token.isUnresolved(props.subnetIds[0]);
  if (!subnetListIsToken && props.subnetIds.length < MIN_VPC_CONNECTION_SUBNETS) {
    problems.push(`subnetIds: ${props.subnetIds.length} given; a QuickSight VPC connection needs at least ${MIN_VPC_CONNECTION_SUBNETS} subnets in different AZs`);
  }
  const port = props.port ?? DEFAULT_REDSHIFT_PORT;
  if (!isRedshiftServerlessPort(port)) problems.push(`port: ${port} is outside Redshift Serverless's range 5431-5455 or 8191-8215 (default 5439)`);
  if (known(props.readerSecretArn) && !props.readerSecretArn.startsWith("arn:aws:secretsmanager:")) {
    problems.push(`readerSecretArn: ${JSON.stringify(props.readerSecretArn)} must be a Secrets Manager secret ARN`);
  }
  if (known(props.kmsKeyArn) && !props.kmsKeyArn.startsWith("arn:aws:kms:")) problems.push(`kmsKeyArn: ${JSON.stringify(props.kmsKeyArn)} must be a KMS key ARN`);
  if (props.authorGroup === props.readerGroup) problems.push(`readerGroup: ${JSON.stringify(props.readerGroup)} equals authorGroup; readers must not get owner permissions`);
  const keys = props.datasets.map((d) => d.key);
  const duplicate = keys.find((k, i) => keys.indexOf(k) !== i);
  if (duplicate) problems.push(`datasets: key ${JSON.stringify(duplicate)} appears twice; one data set per pipeline`);
  if (problems.length > 0) throw new BiDefinitionError(`Bi: ${problems.length} problem(s)\n  - ${problems.join("\n  - ")}`);
}

/** Redshift Serverless accepts ports 5431-5455 and 8191-8215. */
export function isRedshiftServerlessPort(port: number): boolean {
  return Number.isInteger(port) && ((port >= 5431 && port <= 5455) || (port >= 8191 && port <= 8215));
}
