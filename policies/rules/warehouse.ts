import { block, blocks, refersTo } from "../harness";
import { PolicyContext, PolicyRule, ResourceBlock } from "../types";

/** A KMS key reference: an interpolated key of this stack or a literal customer key ARN. */
const CUSTOMER_KEY = /^\$\{aws_kms_key\.[^}]+\.(arn|key_id|id)\}$|^arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\/[\w-]+$/;
/**
 * `PASSWORD '<literal>'`: a password (or its md5 hash, which is as good as the password) in SQL
 * text, which Terraform keeps in state and the Data API and the user activity log keep too. Users
 * are created `PASSWORD DISABLE`; their passwords are set by Secrets Manager rotation. A literal
 * starting with whitespace is the end of a quoted fragment (`' PASSWORD ' || …`), not a password.
 */
const PASSWORD_IN_SQL = /PASSWORD\s+'+[^'\s][^']*'/i;
const PUBLIC_IPV4 = "0.0.0.0/0";
const PUBLIC_IPV6 = "::/0";

/** The aws_subnet blocks a list of subnet ids refers to (by interpolation). */
function referencedSubnets(ids: unknown, context: PolicyContext): { id: unknown; subnet?: ResourceBlock }[] {
  const list = Array.isArray(ids) ? ids : [];
  return list.map((id) => ({ id, subnet: context.resourcesOfType("aws_subnet").find((s) => refersTo(id, s)) }));
}

/** Route tables associated with a subnet, and whether any of them routes to an internet gateway. */
function routesToInternetGateway(subnet: ResourceBlock, context: PolicyContext): boolean {
  const tables = context
    .companions(subnet, "aws_route_table_association", "subnet_id")
    .map((a) => context.resourcesOfType("aws_route_table").find((t) => refersTo(a.config.route_table_id, t)))
    .filter((t): t is ResourceBlock => t !== undefined);
  return tables.some((table) => {
    const inline = blocks(table.config.route).some((r) => String(r.gateway_id ?? "").includes("aws_internet_gateway."));
    const separate = context.companions(table, "aws_route", "route_table_id").some((r) => String(r.config.gateway_id ?? "").includes("aws_internet_gateway."));
    return inline || separate;
  });
}

function isPublicCidr(value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => v === PUBLIC_IPV4 || v === PUBLIC_IPV6);
}

export const warehouseRules: PolicyRule[] = [
  {
    id: "RS-KMS",
    description: "Redshift Serverless namespace encrypted with the platform key",
    references: ["CKV_AWS_282"],
    resourceTypes: ["aws_redshiftserverless_namespace"],
    check: (namespace) => {
      const key = namespace!.config.kms_key_id;
      if (typeof key !== "string" || key === "") return ["kms_key_id is not set: the namespace would use an AWS-owned key"];
      return CUSTOMER_KEY.test(key) ? [] : [`kms_key_id ${JSON.stringify(key)} is not a customer-managed key of the platform`];
    },
  },
  {
    id: "RS-PRIV",
    description: "Workgroup not publicly accessible, in private subnets, enhanced VPC routing on",
    references: ["CKV_AWS_321 (Redshift in a VPC)", "AVD-AWS-0127"],
    resourceTypes: ["aws_redshiftserverless_workgroup"],
    check: (workgroup, context) => {
      const config = workgroup!.config;
      const problems: string[] = [];
      if (config.publicly_accessible !== false) problems.push("publicly_accessible is not false");
      if (config.enhanced_vpc_routing !== true) problems.push("enhanced_vpc_routing is not true: COPY/UNLOAD would bypass the VPC");
      const subnets = referencedSubnets(config.subnet_ids, context);
      if (subnets.length === 0) problems.push("subnet_ids is empty: the workgroup would land in the default VPC");
      for (const { id, subnet } of subnets) {
        if (!subnet) problems.push(`subnet ${JSON.stringify(id)} is not a subnet of this stack, so its privacy cannot be checked`);
        else if (subnet.config.map_public_ip_on_launch === true) problems.push(`${subnet.address} assigns public IPs`);
        else if (routesToInternetGateway(subnet, context)) problems.push(`${subnet.address} routes to an internet gateway: it is a public subnet`);
      }
      return problems;
    },
  },
  {
    id: "RS-PWD",
    description: "Admin password managed by Secrets Manager; no password literal anywhere in the output",
    references: ["CKV_AWS_282", "AwsSolutions-RS (Secrets Manager credentials)"],
    resourceTypes: ["aws_redshiftserverless_namespace", "aws_glue_connection", "aws_redshiftdata_statement"],
    check: (resource) => {
      const config = resource!.config;
      switch (resource!.type) {
        case "aws_redshiftserverless_namespace": {
          const problems: string[] = [];
          if (config.manage_admin_password !== true) problems.push("manage_admin_password is not true: the admin password would live in the configuration");
          if (config.admin_user_password !== undefined) problems.push("admin_user_password is set");
          return problems;
        }
        case "aws_glue_connection": {
          const properties = (block(config.connection_properties) ?? {}) as Record<string, unknown>;
          const problems: string[] = [];
          if (properties.PASSWORD !== undefined) problems.push("connection_properties.PASSWORD is set: use SECRET_ID");
          if (String(properties.JDBC_CONNECTION_URL ?? "").startsWith("jdbc:redshift") && properties.SECRET_ID === undefined) {
            problems.push("the Redshift connection has no SECRET_ID: its credentials would have to be inline");
          }
          return problems;
        }
        default:
          return PASSWORD_IN_SQL.test(String(config.sql ?? "")) ? ["sql sets a PASSWORD: it (or its hash) would be in the state, the Data API's history and the query log"] : [];
      }
    },
  },
  {
    id: "RS-LIMIT",
    description: "Usage limits on every workgroup, with a breach action",
    references: ["cost control: Redshift Serverless usage limits"],
    resourceTypes: ["aws_redshiftserverless_workgroup"],
    check: (workgroup, context) => {
      const limits = context.companions(workgroup!, "aws_redshiftserverless_usage_limit", "resource_arn");
      if (limits.length === 0) return ["no aws_redshiftserverless_usage_limit refers to this workgroup: nothing caps its RPU-hours"];
      return limits.filter((l) => typeof l.config.breach_action !== "string" || l.config.breach_action === "").map((l) => `${l.address} has no breach_action`);
    },
  },
  {
    id: "NET-NOPUBLIC",
    description: "No security group ingress from 0.0.0.0/0 or ::/0",
    references: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "AVD-AWS-0107"],
    resourceTypes: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"],
    check: (resource) => {
      const config = resource!.config;
      switch (resource!.type) {
        case "aws_security_group":
          return blocks(config.ingress).some((i) => isPublicCidr(i.cidr_blocks) || isPublicCidr(i.ipv6_cidr_blocks)) ? ["an inline ingress rule admits the whole internet"] : [];
        case "aws_security_group_rule":
          return config.type === "ingress" && (isPublicCidr(config.cidr_blocks) || isPublicCidr(config.ipv6_cidr_blocks)) ? ["ingress from the whole internet"] : [];
        default:
          return isPublicCidr(config.cidr_ipv4) || isPublicCidr(config.cidr_ipv6) ? ["ingress from the whole internet"] : [];
      }
    },
  },
  {
    id: "NET-FLOW",
    description: "Every VPC has flow logs",
    references: ["CKV2_AWS_11", "AwsSolutions-VPC7"],
    resourceTypes: ["aws_vpc"],
    check: (vpc, context) => (context.companions(vpc!, "aws_flow_log", "vpc_id").length > 0 ? [] : ["no aws_flow_log records this VPC's traffic"]),
  },
];
