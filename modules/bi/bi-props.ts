import type { ITerraformDependable } from "cdktf";
import type { BiDataSetInput } from "./data-set-model";
import type { SampleDashboardInput } from "./sample-dashboard";

/** Names of the BI resources, all made by `Namer` in the stack. */
export interface BiNames {
  /** QuickSight VPC connection id (also its display name). Required. */
  readonly vpcConnectionId: string;
  /** IAM role QuickSight assumes to manage the connection's network interfaces. Required. */
  readonly vpcConnectionRoleName: string;
  /** QuickSight data source id (also its display name). Required. */
  readonly dataSourceId: string;
  /** Sample analysis id. Required. */
  readonly sampleAnalysisId: string;
  /** Sample dashboard id. Required. */
  readonly sampleDashboardId: string;
  /** QuickSight account name, used only when the module creates the subscription. Required. */
  readonly accountName: string;
}

export interface BiProps {
  /** Owning account (12 digits). Required. */
  readonly accountId: string;
  /** Region of QuickSight and the warehouse. Required. */
  readonly region: string;
  /** Resource names. Required. */
  readonly names: BiNames;
  /** Permissions boundary of every role the module creates (bootstrap's; see `ServiceRole`). Required. */
  readonly permissionsBoundaryArn: string;
  /** Private subnets for the VPC connection's network interfaces; QuickSight needs at least two, in different AZs. Required. */
  readonly subnetIds: readonly string[];
  /** QuickSight's security group (the warehouse admits it on the Redshift port only). Required. */
  readonly securityGroupId: string;
  /** Redshift Serverless workgroup endpoint host. Required. */
  readonly workgroupEndpoint: string;
  /** Redshift port. @default 5439 */
  readonly port?: number;
  /** Database of the platform's tables and views. Required. */
  readonly database: string;
  /** Secrets Manager secret of a read-only database user, `{"username","password"}`. Required. */
  readonly readerSecretArn: string;
  /** Platform key: the reader secret is encrypted with it. Required. */
  readonly kmsKeyArn: string;
  /** One Direct Query data set per published pipeline. Required (may be empty). */
  readonly datasets: readonly BiDataSetInput[];
  /** QuickSight group of authors: owners of every BI resource. Required. */
  readonly authorGroup: string;
  /** QuickSight group of readers: viewers of data sets and dashboards. Required. */
  readonly readerGroup: string;
  /** Create the account-wide QuickSight subscription (billed per user; protected from destroy). @default false */
  readonly createAccountSubscription?: boolean;
  /** QuickSight notifications; used by the subscription. Required. */
  readonly notificationEmail: string;
  /** The sample analysis and dashboard. @default none */
  readonly sampleDashboard?: SampleDashboardInput;
  /**
   * What must exist before QuickSight connects: for the data source, the reader with its password;
   * per data set key, the migration that creates and grants its relation. @default nothing
   */
  readonly prerequisites?: BiPrerequisites;
}

export interface BiPrerequisites {
  readonly dataSource?: readonly ITerraformDependable[];
  readonly dataSets?: Readonly<Record<string, readonly ITerraformDependable[]>>;
}
