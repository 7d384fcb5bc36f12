/**
 * What one environment's IAM is scoped to: its names (`dp-<env>-…`), its tags and its account.
 * The CI roles and the permissions boundary are built from these tables, so a service added to the
 * platform is scoped in one place. Pure data and functions: tests read, validate and simulate them.
 */

export interface PlatformScope {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  /** `dp-<env>`: every kebab-case name of the environment starts with it followed by `-`. */
  readonly prefix: string;
  /** `dp_<env>`: the same for snake_case names (Glue databases). */
  readonly snakePrefix: string;
  /**
   * Tags the provider puts on every resource (its default tags) that identify the environment;
   * resources whose ARNs carry generated ids (keys, VPC parts, Redshift Serverless) are scoped by them.
   */
  readonly tags: Readonly<Record<string, string>>;
}

/** Services whose resources the platform names itself: scoped by ARN patterns on the prefix. */
export type NamedService =
  | "s3"
  | "kinesis"
  | "glue"
  | "states"
  | "events"
  | "scheduler"
  | "sqs"
  | "sns"
  | "logs"
  | "cloudwatch"
  | "secretsmanager"
  | "athena"
  | "quicksight"
  | "kms"
  | "budgets"
  | "lambda"
  | "ssm";

/** Services whose resources have generated ids: scoped by the environment's tags. */
export type TaggedService = "kms" | "ec2" | "redshift-serverless";

const regional = (scope: PlatformScope, service: string, resource: string): string =>
  `arn:${scope.partition}:${service}:${scope.region}:${scope.accountId}:${resource}`;

/**
 * ARN patterns of every resource of the environment, per service. A pattern ends in `-*` after the
 * prefix, so `dp-dev-*` never matches `dp-dev2-…` nor another environment's names.
 */
export function namedResourceArns(scope: PlatformScope): Readonly<Record<NamedService, readonly string[]>> {
  const { prefix, snakePrefix } = scope;
  const arn = (service: string, resource: string) => regional(scope, service, resource);
  return {
    s3: [`arn:${scope.partition}:s3:::${prefix}-*`, `arn:${scope.partition}:s3:::${prefix}-*/*`],
    kinesis: [arn("kinesis", `stream/${prefix}-*`)],
    glue: [
      // Database, table and connection calls also authorize against the account's catalog.
      arn("glue", "catalog"),
      arn("glue", `database/${snakePrefix}_*`),
      arn("glue", `table/${snakePrefix}_*/*`),
      arn("glue", `userDefinedFunction/${snakePrefix}_*/*`),
      arn("glue", `job/${prefix}-*`),
      arn("glue", `crawler/${prefix}-*`),
      arn("glue", `trigger/${prefix}-*`),
      arn("glue", `connection/${prefix}-*`),
    ],
    states: [arn("states", `stateMachine:${prefix}-*`), arn("states", `execution:${prefix}-*:*`)],
    events: [arn("events", `rule/${prefix}-*`)],
    scheduler: [arn("scheduler", `schedule/default/${prefix}-*`)],
    sqs: [arn("sqs", `${prefix}-*`)],
    sns: [arn("sns", `${prefix}-*`)],
    // `Namer.logGroup`: /<service>/dp-<env>/<parts>; the pattern also covers the groups' streams.
    logs: [arn("logs", `log-group:/*/${prefix}/*`)],
    cloudwatch: [arn("cloudwatch", `alarm:${prefix}-*`)],
    // Redshift names the admin secret it manages `redshift!<namespace>-<admin user>`.
    secretsmanager: [arn("secretsmanager", `secret:${prefix}-*`), arn("secretsmanager", `secret:redshift!${prefix}-*`)],
    athena: [arn("athena", `workgroup/${prefix}-*`)],
    quicksight: ["datasource", "dataset", "analysis", "dashboard", "vpcConnection"].map((type) => arn("quicksight", `${type}/${prefix}-*`)),
    kms: [arn("kms", `alias/${prefix}-*`)],
    // AWS Budgets is global: its ARNs have no region.
    budgets: [`arn:${scope.partition}:budgets::${scope.accountId}:budget/${prefix}-*`],
    // The warehouse's rotation function; `*` also covers its versions (`function:<name>:<qualifier>`).
    lambda: [arn("lambda", `function:${prefix}-*`)],
    // The core's interface parameter, which every pipeline stack reads (stacks/core-interface.ts).
    ssm: [arn("ssm", `parameter/${prefix}-*`)],
  };
}

/** Resource types (of the tag-scoped services) the platform creates, as ARN patterns of the account. */
export function taggedResourceArns(scope: PlatformScope): Readonly<Record<TaggedService, readonly string[]>> {
  const arn = (service: string, resource: string) => regional(scope, service, resource);
  return {
    kms: [arn("kms", "key/*")],
    ec2: ["vpc", "subnet", "route-table", "security-group", "security-group-rule", "vpc-endpoint", "vpc-flow-log"].map((type) => arn("ec2", `${type}/*`)),
    "redshift-serverless": ["namespace", "workgroup"].map((type) => arn("redshift-serverless", `${type}/*`)),
  };
}

/**
 * Resources with generated ids that the provider cannot tag either: scoped to the account and
 * region only. The warehouse's baseline snapshot (aws_redshiftserverless_snapshot has no `tags`).
 */
export function untaggableResourceArns(scope: PlatformScope): Readonly<Record<string, readonly string[]>> {
  return { "redshift-serverless": [regional(scope, "redshift-serverless", "snapshot/*")] };
}

/** `StringEquals` on every scoping tag, as a resource tag (existing resources) or request tag (creation). */
export function tagCondition(scope: PlatformScope, kind: "ResourceTag" | "RequestTag"): Record<string, string> {
  return Object.fromEntries(Object.entries(scope.tags).map(([key, value]) => [`aws:${kind}/${key}`, value]));
}

/**
 * Creations in the tag-scoped services: the new resource has no tags yet, so the request must carry
 * the environment's tags (the provider sends its default tags with the create call).
 */
export const TAGGED_CREATIONS: Readonly<Record<string, string>> = {
  "kms:CreateKey": "the platform key; KMS generates the key id",
  "kms:TagResource": "KMS requires it to pass tags to CreateKey",
  "ec2:CreateVpc": "the platform VPC",
  "ec2:CreateSubnet": "its private subnets",
  "ec2:CreateRouteTable": "their route tables",
  "ec2:CreateSecurityGroup": "the security groups of Glue, Redshift, QuickSight and the endpoints",
  "ec2:AuthorizeSecurityGroupIngress": "the security group rules (tagged resources of their own)",
  "ec2:AuthorizeSecurityGroupEgress": "the security group rules (tagged resources of their own)",
  "ec2:CreateVpcEndpoint": "the interface and gateway endpoints",
  "ec2:CreateFlowLogs": "the VPC flow log",
  "redshift-serverless:CreateNamespace": "the warehouse namespace",
  "redshift-serverless:CreateWorkgroup": "the warehouse workgroup",
  "redshift-serverless:TagResource": "tags passed with the namespace and workgroup",
  "glue:CreateCrawler": "the pipelines' crawlers (IAM knows no crawler ARN before it exists)",
  "quicksight:CreateDataSource": "the warehouse data source (IAM knows no data source ARN before it exists)",
  "quicksight:CreateVPCConnection": "the VPC connection (IAM knows no connection ARN before it exists)",
};

/** Tag-scoped creations that AWS cannot scope to a resource ARN either (wildcard-only). */
export const UNSCOPED_CREATIONS: readonly string[] = ["kms:CreateKey", "glue:CreateCrawler", "quicksight:CreateDataSource", "quicksight:CreateVPCConnection"];

/** EC2 creations that may tag what they create (`ec2:CreateTags` with `ec2:CreateAction`). */
export const EC2_TAG_ON_CREATE = Object.keys(TAGGED_CREATIONS)
  .filter((action) => action.startsWith("ec2:"))
  .map((action) => action.slice("ec2:".length));

/**
 * Calls Terraform makes that AWS cannot scope to a resource (wildcard-only in the IAM service
 * reference), each with what needs it. Reads and writes apart: the plan role gets only the reads.
 * A test checks every entry is real and wildcard-only, so none hides a scopable action.
 */
export const UNSCOPED_READS: Readonly<Record<string, string>> = {
  "sts:GetCallerIdentity": "the provider checks `allowed_account_ids` at start",
  "ec2:DescribeVpcs": "aws_vpc",
  "ec2:DescribeSubnets": "aws_subnet",
  "ec2:DescribeRouteTables": "aws_route_table and aws_vpc (main route table)",
  "ec2:DescribeSecurityGroups": "aws_security_group, aws_default_security_group",
  "ec2:DescribeSecurityGroupRules": "aws_vpc_security_group_*_rule",
  "ec2:DescribeNetworkAcls": "aws_vpc (default network ACL)",
  "ec2:DescribeVpcEndpoints": "aws_vpc_endpoint",
  "ec2:DescribeVpcEndpointServices": "aws_vpc_endpoint (service name lookup)",
  "ec2:DescribePrefixLists": "aws_vpc_endpoint (gateway endpoint prefix list)",
  "ec2:DescribeFlowLogs": "aws_flow_log",
  "ec2:DescribeNetworkInterfaces": "deleting security groups and endpoints waits for their interfaces",
  "ec2:DescribeAvailabilityZones": "aws_subnet (zone names)",
  "kms:ListAliases": "aws_kms_alias",
  "logs:DescribeLogGroups": "aws_cloudwatch_log_group",
  "glue:GetSecurityConfiguration": "aws_glue_security_configuration",
  "redshift-data:DescribeStatement": "aws_redshiftdata_statement waits for its statement (own statements only, see condition)",
  "redshift-serverless:GetUsageLimit": "aws_redshiftserverless_usage_limit",
  "redshift-serverless:ListUsageLimits": "aws_redshiftserverless_usage_limit",
  "secretsmanager:GetRandomPassword": "aws_redshiftserverless_namespace: Redshift generates the admin password it manages with the caller's rights",
  "ssm:DescribeParameters": "aws_ssm_parameter (the provider reads a parameter's description and tier)",
};

export const UNSCOPED_WRITES: Readonly<Record<string, string>> = {
  "kinesis:UpdateShardCount": "aws_kinesis_stream (provisioned shards in prod)",
  "kinesis:UpdateStreamMode": "aws_kinesis_stream (on-demand or provisioned)",
  "glue:CreateSecurityConfiguration": "aws_glue_security_configuration",
  "glue:DeleteSecurityConfiguration": "aws_glue_security_configuration",
  "redshift-serverless:CreateUsageLimit": "aws_redshiftserverless_usage_limit",
  "redshift-serverless:UpdateUsageLimit": "aws_redshiftserverless_usage_limit",
  "redshift-serverless:DeleteUsageLimit": "aws_redshiftserverless_usage_limit",
};

/**
 * Writes IAM authorizes only against the account's Glue catalog, which every environment in an
 * account shares: they can be scoped to neither a name nor a tag.
 */
export const CATALOG_ONLY_WRITES: Readonly<Record<string, string>> = {
  "glue:CreateConnection": "aws_glue_connection: IAM checks the catalog, not the new connection's name",
  "glue:PutDataCatalogEncryptionSettings": "aws_glue_data_catalog_encryption_settings: one setting per account and region",
};

/**
 * What the platform's own roles (Glue jobs and crawlers, workflows, event rules, schedules, flow
 * logs, Redshift, QuickSight's VPC connection, the functions) call that AWS cannot scope, with who
 * calls it.
 */
export const WORKLOAD_UNSCOPED_ACTIONS: Readonly<Record<string, string>> = {
  "cloudwatch:PutMetricData": "Glue job metrics (the job roles restrict the namespace)",
  "ec2:DescribeNetworkInterfaces": "Glue and QuickSight place their interfaces in the VPC",
  "ec2:DescribeRouteTables": "Glue connection network checks",
  "ec2:DescribeSecurityGroups": "Glue connection and QuickSight VPC connection",
  "ec2:DescribeSubnets": "Glue connection and QuickSight VPC connection",
  "ec2:DescribeVpcEndpoints": "Glue connection network checks",
  "ec2:DescribeVpcs": "Glue connection network checks",
  "logs:CreateLogDelivery": "Step Functions execution logs",
  "logs:GetLogDelivery": "Step Functions execution logs",
  "logs:UpdateLogDelivery": "Step Functions execution logs",
  "logs:DeleteLogDelivery": "Step Functions execution logs",
  "logs:ListLogDeliveries": "Step Functions execution logs",
  "logs:PutResourcePolicy": "Step Functions execution logs",
  "logs:DescribeResourcePolicies": "Step Functions execution logs",
  "logs:DescribeLogGroups": "Step Functions execution logs",
  "redshift-data:DescribeStatement": "the catalog workflows and the rotation function wait for their statements",
  "secretsmanager:GetRandomPassword": "the rotation function generates the users' passwords, the pepper's initializer the pepper",
  "glue:ListJobs": "the streaming keep-alive finds the environment's streaming jobs by their tags",
  "xray:PutTraceSegments": "Step Functions tracing",
  "xray:PutTelemetryRecords": "Step Functions tracing",
  "xray:GetSamplingRules": "Step Functions tracing",
  "xray:GetSamplingTargets": "Step Functions tracing",
};
/**
 * Service-linked roles the apply role may create, by the service that uses each (`iam:AWSServiceName`).
 * One per account, shared by every environment in it: the first deploy that needs it creates it.
 */
export const SERVICE_LINKED_ROLES: Readonly<Record<string, { readonly path: string; readonly why: string }>> = {
  "redshift.amazonaws.com": {
    path: "aws-service-role/redshift.amazonaws.com/AWSServiceRoleForRedshift",
    why: "the first Redshift Serverless workgroup of an account places its endpoint through it (AmazonRedshiftFullAccess grants exactly this)",
  },
};

/**
 * Named services the CI roles manage but no platform role calls: left out of the permissions
 * boundary, so that no workload can change what a function runs (the rotation function acts as
 * the warehouse's admin) or what the pipeline stacks read from the core (its SSM parameter).
 */
export const MANAGED_ONLY_BY_CI: readonly NamedService[] = ["lambda", "ssm"];

/** How the pipelines' producer policies end (modules/streaming names them `<prefix>-<pipeline>-producer`). */
export const PRODUCER_POLICY_SUFFIX = "-producer";
