/** Everything the network module needs; the stack maps `env.network` and the lake's key here. */
export interface NetworkProps {
  /** Name of the VPC and prefix of its parts, e.g. `dp-dev` (see `Namer`). Required. */
  readonly vpcName: string;
  /** Security group names, one per purpose (see `Namer`, kind `securityGroup`). Required. */
  readonly securityGroupNames: Readonly<Record<SecurityGroupPurpose, string>>;
  /** IPv4 CIDR of the VPC, /16 to /24. Required. */
  readonly cidr: string;
  /** Region; availability zone names and endpoint service names derive from it. Required. */
  readonly region: string;
  /** Owning account; scopes the flow-log role's trust. Required. */
  readonly accountId: string;
  /** Private subnets, one per availability zone; Redshift Serverless needs at least 3. Required. */
  readonly availabilityZoneCount: number;
  /**
   * Adds a public subnet, an internet gateway and one NAT gateway for jobs that must reach the
   * internet. Billed every hour, so off unless asked. @default false
   */
  readonly natGateway?: boolean;
  /** Platform key: encrypts the flow-log group. Required. */
  readonly kmsKeyArn: string;
  /** Name of the flow-log group (see `Namer.logGroup`). Required. */
  readonly flowLogGroupName: string;
  /** Retention of the flow-log group, in days. Required. */
  readonly logRetentionDays: number;
  /** Name of the role VPC Flow Logs assumes (see `Namer`, kind `iamRole`). Required. */
  readonly flowLogRoleName: string;
  /** Permissions boundary of every role the module creates (bootstrap's; see `ServiceRole`). Required. */
  readonly permissionsBoundaryArn: string;
  /** Interface endpoints to create, by service suffix. @default {@link DEFAULT_INTERFACE_ENDPOINTS} */
  readonly interfaceEndpoints?: readonly InterfaceEndpointService[];
  /**
   * Zones the interface endpoints sit in: the first n private subnets. An endpoint bills per zone
   * and hour; one zone serves the whole VPC (other zones reach it across zones), and the Glue
   * connection, the endpoints' main client, uses the first subnet. @default every zone
   */
  readonly interfaceEndpointZoneCount?: number;
}

export type SecurityGroupPurpose = "glue" | "redshift" | "quicksight" | "endpoints";

/** Interface endpoint services (the part after `com.amazonaws.<region>.`). */
export type InterfaceEndpointService = "secretsmanager" | "kms" | "logs" | "monitoring" | "glue" | "sts" | "kinesis-streams" | "redshift-data";

/**
 * Why each default endpoint exists: without a NAT gateway, every AWS API the VPC's ENIs call needs
 * one (see README.md). `redshift-data` is not a default: nothing inside the VPC calls the Data API.
 */
export const DEFAULT_INTERFACE_ENDPOINTS: Readonly<Record<Exclude<InterfaceEndpointService, "redshift-data">, string>> = {
  secretsmanager: "Glue reads the connection's SECRET_ID and the masking pepper",
  kms: "Glue decrypts bookmarks, the secrets and SSE-KMS data keys; Redshift uses the platform key",
  logs: "Glue continuous logging to CloudWatch Logs",
  monitoring: "Glue job metrics to CloudWatch",
  glue: "Glue jobs call the Glue API (connections, catalog); Redshift Spectrum reads the catalog",
  sts: "Glue's Redshift connector and the jobs obtain temporary credentials",
  "kinesis-streams": "the streaming job reads its Kinesis stream from inside the VPC once it has a connection",
};

/** The Redshift port; the warehouse module uses the same constant. */
export const REDSHIFT_PORT = 5439;
export const HTTPS_PORT = 443;
