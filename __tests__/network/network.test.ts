import { Testing, TerraformStack } from "cdktf";
import { DEFAULT_INTERFACE_ENDPOINTS, Network, NetworkProps, availabilityZoneNames, flowLogDeliveryPolicy, subnetCidrs } from "../../modules/network";
import { ALL_RULES, runPolicies } from "../../policies";
import { actionsIn, roleResourceName, rolePolicies, simulate, unknownActions } from "../helpers/iam";
import { resourcesOf, synthAll, synthEnvironment } from "../helpers/synth";

type Json = Parameters<typeof resourcesOf>[0];
const ref = (json: Json, type: string, predicate: (r: Record<string, any>) => boolean, attribute = "id") => {
  const found = resourcesOf(json, type).find(([, r]) => predicate(r));
  if (!found) throw new Error(`no ${type} matches`);
  return `\${${type}.${found[0]}.${attribute}}`;
};
const groupRef = (json: Json, name: string) => ref(json, "aws_security_group", (g) => g.name === name);

describe("addressing", () => {
  it("names distinct zones of the region, skipping letters a region lacks", () => {
    expect(availabilityZoneNames("eu-west-1", 3)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    expect(availabilityZoneNames("ap-northeast-1", 3)).toEqual(["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]);
    expect(availabilityZoneNames("us-east-1", 5)).toHaveLength(5);
  });

  it("refuses more zones than the region has, naming the field, the value and the zones", () => {
    expect(() => availabilityZoneNames("us-west-1", 3)).toThrow(/network\.availabilityZones: 3: must be between 1 and 2: region us-west-1 offers the zones us-west-1b, us-west-1c/);
  });

  it("splits the VPC into /+4 blocks, the public one last, and never overlaps", () => {
    expect(subnetCidrs("10.10.0.0/16", 3)).toEqual({ private: ["10.10.0.0/20", "10.10.16.0/20", "10.10.32.0/20"], public: "10.10.240.0/20" });
    expect(subnetCidrs("192.168.4.0/24", 3)).toEqual({ private: ["192.168.4.0/28", "192.168.4.16/28", "192.168.4.32/28"], public: "192.168.4.240/28" });
  });

  it("refuses a CIDR that is not one", () => {
    expect(() => subnetCidrs("10.10.0.300/16", 3)).toThrow(/network\.cidr: "10\.10\.0\.300\/16": must be an IPv4 CIDR block/);
  });
});

describe("network in every environment", () => {
  it.each(synthAll().map((s) => [s.environment.name, s] as const))("%s: private subnets in distinct zones, no internet path", (_name, { environment, platform }) => {
    const subnets = resourcesOf(platform, "aws_subnet").map(([, s]) => s);
    expect(subnets).toHaveLength(environment.network.availabilityZones);
    expect(new Set(subnets.map((s) => s.availability_zone)).size).toBe(environment.network.availabilityZones);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    expect(resourcesOf(platform, "aws_vpc")[0][1].cidr_block).toBe(environment.network.cidr);
    if (!environment.network.natGateway) {
      expect(resourcesOf(platform, "aws_internet_gateway")).toHaveLength(0);
      expect(resourcesOf(platform, "aws_nat_gateway")).toHaveLength(0);
    }
  });

  it("has no ingress from the internet anywhere", () => {
    for (const { platform } of synthAll()) {
      const ingress = resourcesOf(platform, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);
      expect(ingress.length).toBeGreaterThan(0);
      for (const rule of ingress) {
        expect(rule.cidr_ipv4).not.toBe("0.0.0.0/0");
        expect(rule.cidr_ipv6).toBeUndefined();
      }
    }
  });

  it("creates the S3 gateway and every interface endpoint in one zone, the Glue connection's, with private DNS, behind the endpoint group", () => {
    const { platform } = synthEnvironment("stage");
    const endpoints = resourcesOf(platform, "aws_vpc_endpoint").map(([, e]) => e);
    const services = endpoints.map((e) => e.service_name).sort();
    expect(services).toEqual(["s3", ...Object.keys(DEFAULT_INTERFACE_ENDPOINTS)].map((s) => `com.amazonaws.eu-west-1.${s}`).sort());
    expect(services).toContain("com.amazonaws.eu-west-1.kinesis-streams");
    const endpointGroup = groupRef(platform, "dp-stage-endpoints");
    const [, connection] = resourcesOf(platform, "aws_glue_connection")[0];
    for (const endpoint of endpoints.filter((e) => e.vpc_endpoint_type === "Interface")) {
      expect(endpoint.private_dns_enabled).toBe(true);
      expect(endpoint.security_group_ids).toEqual([endpointGroup]);
      // Each zone of each endpoint bills every hour: one zone, the subnet the Glue jobs' ENIs use.
      expect(endpoint.subnet_ids).toEqual([connection.physical_connection_requirements.subnet_id]);
    }
    const gateway = endpoints.find((e) => e.vpc_endpoint_type === "Gateway")!;
    expect(gateway.route_table_ids).toHaveLength(3);
  });

  it("creates no interface endpoint where streaming.jobs is off (dev): nothing in the VPC may run", () => {
    const { platform, environment } = synthEnvironment("dev");
    expect(environment.streaming.jobs).toBe("off");
    expect(resourcesOf(platform, "aws_vpc_endpoint").map(([, e]) => e.vpc_endpoint_type)).toEqual(["Gateway"]);
  });

  it("refuses an endpoint zone count the VPC does not have", () => {
    const stack = new TerraformStack(Testing.app(), "zones");
    const props = { vpcName: "dp-t", securityGroupNames: { glue: "g", redshift: "r", quicksight: "q", endpoints: "e" }, cidr: "10.1.0.0/16", region: "eu-west-1", accountId: "111122223333", availabilityZoneCount: 3, kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/x", flowLogGroupName: "/vpc/t", logRetentionDays: 7, flowLogRoleName: "t", permissionsBoundaryArn: "arn:aws:iam::111122223333:policy/dp-t-permissions-boundary" };
    expect(() => new Network(stack, "n", { ...props, interfaceEndpointZoneCount: 4 })).toThrow(/interfaceEndpointZoneCount 4 must be an integer from 1 to the 3 zones/);
  });

  it("admits HTTPS to the endpoints from the VPC CIDR only", () => {
    const { platform, environment } = synthEnvironment("stage");
    const endpointGroup = groupRef(platform, "dp-stage-endpoints");
    const rules = resourcesOf(platform, "aws_vpc_security_group_ingress_rule").map(([, r]) => r).filter((r) => r.security_group_id === endpointGroup);
    expect(rules.map((r) => [r.from_port, r.to_port, r.cidr_ipv4])).toEqual([[443, 443, environment.network.cidr]]);
  });

  it("opens the Redshift port only to the Glue and QuickSight groups", () => {
    const { platform } = synthEnvironment("prod");
    const [glue, redshift, quicksight] = ["glue", "redshift", "quicksight"].map((p) => groupRef(platform, `dp-prod-${p}`));
    const ingress = resourcesOf(platform, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);
    const intoRedshift = ingress.filter((r) => r.security_group_id === redshift);
    expect(intoRedshift.map((r) => [r.from_port, r.to_port, r.referenced_security_group_id]).sort()).toEqual([[5439, 5439, glue], [5439, 5439, quicksight]].sort());
    expect(intoRedshift.every((r) => r.cidr_ipv4 === undefined && r.prefix_list_id === undefined)).toBe(true);
    // Glue connections require a self-referencing rule; QuickSight's ENIs need the replies let in.
    expect(ingress.filter((r) => r.security_group_id === glue).map((r) => [r.from_port, r.to_port, r.referenced_security_group_id])).toEqual([[0, 65535, glue]]);
    expect(ingress.filter((r) => r.security_group_id === quicksight).map((r) => r.referenced_security_group_id)).toEqual([redshift]);
    // The workgroup actually uses that group.
    expect(resourcesOf(platform, "aws_redshiftserverless_workgroup")[0][1].security_group_ids).toEqual([redshift]);
  });

  it("empties the default security group", () => {
    const [, group] = resourcesOf(synthEnvironment("dev").platform, "aws_default_security_group")[0];
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
  });

  it("logs all traffic to a KMS-encrypted group with the environment's retention", () => {
    for (const { platform, environment } of synthAll()) {
      const [, flowLog] = resourcesOf(platform, "aws_flow_log")[0];
      expect(flowLog.traffic_type).toBe("ALL");
      const groupArn = ref(platform, "aws_cloudwatch_log_group", (g) => g.name === `/vpc/dp-${environment.name}/flow-logs`, "arn");
      expect(flowLog.log_destination).toBe(groupArn);
      const [, group] = resourcesOf(platform, "aws_cloudwatch_log_group").find(([, g]) => g.name === `/vpc/dp-${environment.name}/flow-logs`)!;
      expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
      expect(group.retention_in_days).toBe(environment.retention.logDays);
    }
  });
});

describe("flow-log role", () => {
  const { platform } = synthEnvironment("dev");
  const policies = rolePolicies(platform, roleResourceName(platform, "dp-dev-vpc-flow-logs"));
  const group = "arn:aws:logs:eu-west-1:111122223333:log-group:/vpc/dp-dev/flow-logs";

  it("names only real actions and trusts VPC Flow Logs only", async () => {
    expect(await unknownActions(policies.flatMap(actionsIn))).toEqual([]);
    expect(await unknownActions(actionsIn(flowLogDeliveryPolicy({ accountId: "1", region: "r", logGroupName: "/g" }) as never))).toEqual([]);
    const [, role] = resourcesOf(platform, "aws_iam_role").find(([, r]) => r.name === "dp-dev-vpc-flow-logs")!;
    expect(JSON.parse(role.assume_role_policy).Statement.map((s: { Principal: unknown }) => s.Principal)).toEqual([{ Service: "vpc-flow-logs.amazonaws.com" }]);
  });

  it.each([
    ["logs:PutLogEvents", `${group}:log-stream:eni-123-all`, "Allowed"],
    ["logs:CreateLogStream", `${group}:log-stream:eni-123-all`, "Allowed"],
    ["logs:DescribeLogStreams", group, "Allowed"],
    ["logs:PutLogEvents", "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/glue/other:log-stream:x", "ImplicitlyDenied"],
    ["logs:DeleteLogGroup", group, "ImplicitlyDenied"],
  ])("%s on %s is %s", async (action, resource, expected) => {
    expect(await simulate(policies, action, resource)).toBe(expected);
  });
});

describe("network with a NAT gateway", () => {
  const props: NetworkProps = {
    vpcName: "dp-test",
    securityGroupNames: { glue: "dp-test-glue", redshift: "dp-test-redshift", quicksight: "dp-test-quicksight", endpoints: "dp-test-endpoints" },
    cidr: "10.50.0.0/16",
    region: "eu-west-1",
    accountId: "111122223333",
    availabilityZoneCount: 3,
    natGateway: true,
    kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k",
    permissionsBoundaryArn: "arn:aws:iam::111122223333:policy/dp-test-permissions-boundary",
    flowLogGroupName: "/vpc/dp-test/flow-logs",
    logRetentionDays: 14,
    flowLogRoleName: "dp-test-vpc-flow-logs",
  };
  const stack = new TerraformStack(Testing.app(), "nat");
  new Network(stack, "network", props);
  const json = JSON.parse(Testing.synth(stack));

  it("routes the private subnets through one NAT gateway in a public subnet", () => {
    expect(resourcesOf(json, "aws_nat_gateway")).toHaveLength(1);
    expect(resourcesOf(json, "aws_internet_gateway")).toHaveLength(1);
    const routes = resourcesOf(json, "aws_route").map(([, r]) => r);
    expect(routes.filter((r) => r.nat_gateway_id)).toHaveLength(3);
    expect(routes.filter((r) => r.gateway_id)).toHaveLength(1);
    const publicSubnet = resourcesOf(json, "aws_subnet").find(([id]) => id.includes("public"))![1];
    expect(publicSubnet.cidr_block).toBe("10.50.240.0/20");
  });

  it("still keeps the private subnets private and the ingress closed", () => {
    const rules = ALL_RULES.filter((r) => r.id.startsWith("NET-"));
    const report = runPolicies([{ stackName: "nat", environment: "test", production: false, json }], rules);
    expect(report.violations).toEqual([]);
    const glueEgress = resourcesOf(json, "aws_vpc_security_group_egress_rule").map(([, r]) => r).filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
    expect(glueEgress.map((r) => r.from_port)).toEqual([443]);
  });
});
