import { QuicksightAccountSubscription } from "@cdktf/provider-aws/lib/quicksight-account-subscription";
import { QuicksightAnalysis } from "@cdktf/provider-aws/lib/quicksight-analysis";
import { QuicksightDashboard } from "@cdktf/provider-aws/lib/quicksight-dashboard";
import { QuicksightDataSet } from "@cdktf/provider-aws/lib/quicksight-data-set";
import { QuicksightDataSource } from "@cdktf/provider-aws/lib/quicksight-data-source";
import { QuicksightVpcConnection } from "@cdktf/provider-aws/lib/quicksight-vpc-connection";
import { SecretsmanagerSecretPolicy } from "@cdktf/provider-aws/lib/secretsmanager-secret-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { policyJson } from "../../lib/iam";
import { ServiceRole } from "../../lib/service-role";
import { quicksightGroupArn } from "./arns";
import { BiProps } from "./bi-props";
import { BiDefinitionError, DataSetModel, dataSetModel, logicalTableMap, physicalTableMap } from "./data-set-model";
import { QUICKSIGHT_SERVICE, readerSecretPolicy, vpcConnectionRolePolicy } from "./policies";
import { QUICKSIGHT_ACTIONS } from "./quicksight-actions";
import { sampleDashboardDefinition } from "./sample-dashboard";

export const DEFAULT_REDSHIFT_PORT = 5439;
/** QuickSight refuses a VPC connection with fewer subnets. */
export const MIN_VPC_CONNECTION_SUBNETS = 2;

/**
 * QuickSight on the warehouse in Direct Query mode: a VPC connection into the private subnets, a
 * Redshift data source (SSL on, credentials from the reader secret), one DIRECT_QUERY data set
 * per published pipeline, and a sample analysis and dashboard. QuickSight never keeps a copy.
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
    const group = (name: string) => quicksightGroupArn({ region: props.region, accountId: props.accountId, group: name });
    const authors = group(props.authorGroup);
    const readers = group(props.readerGroup);
    const ownedAndViewed = (owner: readonly string[], viewer: readonly string[]) => [
      { principal: authors, actions: [...owner] },
      { principal: readers, actions: [...viewer] },
    ];

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
      permission: ownedAndViewed(QUICKSIGHT_ACTIONS.dataSource.owner, QUICKSIGHT_ACTIONS.dataSource.viewer),
      // The reader must exist with its password (its secret's first rotation) before QuickSight connects.
      dependsOn: [secretGrant, ...(props.prerequisites?.dataSource ?? [])],
    });
    this.dataSourceArn = dataSource.arn;

    const dataSets = models.map(
      (model) =>
        [
          model,
          new QuicksightDataSet(this, `data-set-${model.key}`, {
            dataSetId: model.dataSetId,
            name: model.displayName,
            // Direct Query: every visual queries Redshift; QuickSight keeps no copy (no SPICE).
            importMode: "DIRECT_QUERY",
            physicalTableMap: physicalTableMap(model, dataSource.arn),
            logicalTableMap: logicalTableMap(model),
            permissions: ownedAndViewed(QUICKSIGHT_ACTIONS.dataSet.owner, QUICKSIGHT_ACTIONS.dataSet.viewer),
            // QuickSight reads the relation's columns when it creates the data set: its migration first.
            dependsOn: [...(props.prerequisites?.dataSets?.[model.key] ?? [])],
          }),
        ] as const,
    );
    this.dataSets = models;
    this.dataSetArns = Object.fromEntries(dataSets.map(([model, dataSet]) => [model.key, dataSet.arn]));

    const sample = props.sampleDashboard;
    if (sample) {
      const found = dataSets.find(([model]) => model.key === sample.dataSet);
      if (!found) {
        throw new BiDefinitionError(
          `sampleDashboard.dataSet: "${sample.dataSet}" is not among the data sets (${models.map((m) => m.key).join(", ") || "none"}); publish it or drop the sample`,
        );
      }
      const [model, dataSet] = found;
      const definition = sampleDashboardDefinition(model, dataSet.arn, sample);
      // Readers cannot open analyses in QuickSight: the analysis is shared with authors only.
      this.sampleAnalysisArn = new QuicksightAnalysis(this, "sample-analysis", {
        analysisId: props.names.sampleAnalysisId,
        name: sample.title,
        definition,
        permissions: [{ principal: authors, actions: [...QUICKSIGHT_ACTIONS.analysis.owner] }],
      }).arn;
      this.sampleDashboardArn = new QuicksightDashboard(this, "sample-dashboard", {
        dashboardId: props.names.sampleDashboardId,
        name: sample.title,
        versionDescription: "Defined in code (modules/bi/sample-dashboard.ts)",
        definition,
        permissions: ownedAndViewed(QUICKSIGHT_ACTIONS.dashboard.owner, QUICKSIGHT_ACTIONS.dashboard.viewer),
      }).arn;
    }
  }
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
