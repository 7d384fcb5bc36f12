import { BadCase, Resources, stackOf, withChange } from "./builders";

const KEY = "${aws_kms_key.k.arn}";
/** A private warehouse that passes every RS-* and NET-* rule; each case breaks one part. */
export function compliantWarehouse(): Resources {
  return {
    aws_vpc: { v: { cidr_block: "10.0.0.0/16" } },
    aws_flow_log: { f: { vpc_id: "${aws_vpc.v.id}", traffic_type: "ALL" } },
    aws_subnet: { a: { vpc_id: "${aws_vpc.v.id}", map_public_ip_on_launch: false }, b: { vpc_id: "${aws_vpc.v.id}" } },
    aws_route_table: { private: { vpc_id: "${aws_vpc.v.id}" } },
    aws_route_table_association: { a: { subnet_id: "${aws_subnet.a.id}", route_table_id: "${aws_route_table.private.id}" } },
    aws_security_group: { rs: { name: "dp-dev-redshift", vpc_id: "${aws_vpc.v.id}" } },
    aws_vpc_security_group_ingress_rule: { rs: { security_group_id: "${aws_security_group.rs.id}", referenced_security_group_id: "${aws_security_group.glue.id}", ip_protocol: "tcp", from_port: 5439, to_port: 5439 } },
    aws_redshiftserverless_namespace: { ns: { namespace_name: "dp-dev-warehouse", kms_key_id: KEY, manage_admin_password: true } },
    aws_redshiftserverless_workgroup: {
      wg: { workgroup_name: "dp-dev-warehouse", publicly_accessible: false, enhanced_vpc_routing: true, subnet_ids: ["${aws_subnet.a.id}", "${aws_subnet.b.id}"] },
    },
    aws_redshiftserverless_usage_limit: { daily: { resource_arn: "${aws_redshiftserverless_workgroup.wg.arn}", usage_type: "serverless-compute", amount: 8, breach_action: "log" } },
    aws_glue_connection: { c: { name: "dp-dev-warehouse", connection_properties: { JDBC_CONNECTION_URL: "jdbc:redshift://h:5439/analytics", SECRET_ID: "dp-dev-etl" } } },
    aws_redshiftdata_statement: { u: { sql: "CALL \"data_platform\".\"dp_ensure_user\"('u', 'md5${md5(x)}')" } },
  };
}

const good = compliantWarehouse();
const WORKGROUP = "aws_redshiftserverless_workgroup.wg";

/** For each Query-and-warehouse and Network rule: a resource it must reject. */
export const warehouseBadCases: Record<string, BadCase> = {
  "RS-KMS": { stack: stackOf(withChange(good, "aws_redshiftserverless_namespace", "ns", "kms_key_id", undefined)), address: "aws_redshiftserverless_namespace.ns" },
  "RS-PRIV": {
    // Private on paper, but its subnet routes to an internet gateway.
    stack: stackOf({
      ...good,
      aws_route: { igw: { route_table_id: "${aws_route_table.private.id}", destination_cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.g.id}" } },
    }),
    address: WORKGROUP,
  },
  "RS-PWD": {
    stack: stackOf(withChange(good, "aws_redshiftdata_statement", "u", "sql", "CREATE USER \"u\" PASSWORD 'Hunter2Hunter2'")),
    address: "aws_redshiftdata_statement.u",
  },
  "RS-LIMIT": { stack: stackOf(withChange(good, "aws_redshiftserverless_usage_limit", "daily", "resource_arn", "${aws_redshiftserverless_workgroup.other.arn}")), address: WORKGROUP },
  "NET-NOPUBLIC": {
    stack: stackOf(withChange(good, "aws_vpc_security_group_ingress_rule", "rs", "cidr_ipv4", "0.0.0.0/0")),
    address: "aws_vpc_security_group_ingress_rule.rs",
  },
  "NET-FLOW": { stack: stackOf(withChange(good, "aws_flow_log", "f", "vpc_id", "${aws_vpc.other.id}")), address: "aws_vpc.v" },
};
