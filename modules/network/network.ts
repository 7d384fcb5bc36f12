import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { ServiceRole } from "../../lib/service-role";
import { availabilityZoneNames, subnetCidrs } from "./addressing";
import { flowLogDeliveryPolicy } from "./flow-log-policy";
import { DEFAULT_INTERFACE_ENDPOINTS, HTTPS_PORT, InterfaceEndpointService, NetworkProps, REDSHIFT_PORT, SecurityGroupPurpose } from "./network-props";

/** One allowed flow between security groups, CIDRs or prefix lists. */
interface SecurityGroupRule {
  readonly id: string;
  readonly description: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly peer: { securityGroupId: string } | { cidr: string } | { prefixListId: string };
}

/**
 * A private network for the warehouse and the Glue jobs: private subnets in distinct zones, no
 * internet path unless a NAT gateway is asked for, the endpoints the jobs and Redshift need, one
 * security group per role with the narrowest rules that work, and flow logs.
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** One per zone, in the order of {@link subnetAvailabilityZones}. */
  readonly privateSubnetIds: readonly string[];
  readonly subnetAvailabilityZones: readonly string[];
  readonly glueSecurityGroupId: string;
  readonly redshiftSecurityGroupId: string;
  readonly quicksightSecurityGroupId: string;
  readonly endpointSecurityGroupId: string;
  /** Interface endpoint ids by service. */
  readonly interfaceEndpointIds: Readonly<Partial<Record<InterfaceEndpointService, string>>>;
  readonly s3GatewayEndpointId: string;
  readonly flowLogGroupName: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const zones = availabilityZoneNames(props.region, props.availabilityZoneCount);
    const cidrs = subnetCidrs(props.cidr, zones.length);

    const vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      // Interface endpoints with private DNS need both.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.vpcName },
    });
    // The default group would let anything in the VPC talk to anything else: emptied.
    new DefaultSecurityGroup(this, "default-security-group", { vpcId: vpc.id });

    const subnets = zones.map(
      (zone, index) =>
        new Subnet(this, `private-${zone}`, {
          vpcId: vpc.id,
          cidrBlock: cidrs.private[index],
          availabilityZone: zone,
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.vpcName}-private-${zone}` },
        }),
    );
    const routeTables = subnets.map((subnet, index) => {
      const table = new RouteTable(this, `private-routes-${zones[index]}`, { vpcId: vpc.id, tags: { Name: `${props.vpcName}-private-${zones[index]}` } });
      new RouteTableAssociation(this, `private-routes-${zones[index]}-association`, { subnetId: subnet.id, routeTableId: table.id });
      return table;
    });
    if (props.natGateway) this.addNatGateway(props, vpc, cidrs.public, zones[0], routeTables);

    const s3 = new VpcEndpoint(this, "s3-gateway-endpoint", {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: routeTables.map((t) => t.id),
      tags: { Name: `${props.vpcName}-s3` },
    });

    const groups = this.securityGroups(props, vpc.id);
    const services = props.interfaceEndpoints ?? (Object.keys(DEFAULT_INTERFACE_ENDPOINTS) as InterfaceEndpointService[]);
    const endpointIds: Partial<Record<InterfaceEndpointService, string>> = {};
    const endpointZones = props.interfaceEndpointZoneCount ?? subnets.length;
    if (!Number.isInteger(endpointZones) || endpointZones < 1 || endpointZones > subnets.length) {
      throw new Error(`Network: interfaceEndpointZoneCount ${endpointZones} must be an integer from 1 to the ${subnets.length} zones`);
    }
    for (const service of services) {
      endpointIds[service] = new VpcEndpoint(this, `${service}-endpoint`, {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: subnets.slice(0, endpointZones).map((s) => s.id),
        securityGroupIds: [groups.endpoints.id],
        tags: { Name: `${props.vpcName}-${service}` },
      }).id;
    }

    const rules = securityGroupRules({
      vpcCidr: props.cidr,
      natGateway: props.natGateway ?? false,
      s3PrefixListId: s3.prefixListId,
      groupIds: { glue: groups.glue.id, redshift: groups.redshift.id, quicksight: groups.quicksight.id, endpoints: groups.endpoints.id },
    });
    for (const purpose of Object.keys(rules) as SecurityGroupPurpose[]) {
      for (const rule of rules[purpose].ingress) new VpcSecurityGroupIngressRule(this, `${purpose}-in-${rule.id}`, ruleConfig(groups[purpose].id, rule));
      for (const rule of rules[purpose].egress) new VpcSecurityGroupEgressRule(this, `${purpose}-out-${rule.id}`, ruleConfig(groups[purpose].id, rule));
    }

    this.addFlowLogs(props, vpc.id);

    this.vpcId = vpc.id;
    this.vpcCidr = props.cidr;
    this.privateSubnetIds = subnets.map((s) => s.id);
    this.subnetAvailabilityZones = zones;
    this.glueSecurityGroupId = groups.glue.id;
    this.redshiftSecurityGroupId = groups.redshift.id;
    this.quicksightSecurityGroupId = groups.quicksight.id;
    this.endpointSecurityGroupId = groups.endpoints.id;
    this.interfaceEndpointIds = endpointIds;
    this.s3GatewayEndpointId = s3.id;
    this.flowLogGroupName = props.flowLogGroupName;
  }

  private securityGroups(props: NetworkProps, vpcId: string): Record<SecurityGroupPurpose, SecurityGroup> {
    const descriptions: Record<SecurityGroupPurpose, string> = {
      glue: "Glue job ENIs: self-referencing, as Glue connections require",
      redshift: "Redshift Serverless workgroup: its port from Glue and QuickSight only",
      quicksight: "QuickSight VPC connection ENIs (used by the BI module)",
      endpoints: "Interface endpoints: HTTPS from inside the VPC only",
    };
    // Rules live in their own resources: inline blocks and rule resources must never be mixed.
    return Object.fromEntries(
      (Object.keys(descriptions) as SecurityGroupPurpose[]).map((purpose) => [
        purpose,
        new SecurityGroup(this, `${purpose}-security-group`, {
          name: props.securityGroupNames[purpose],
          description: descriptions[purpose],
          vpcId,
          tags: { Name: props.securityGroupNames[purpose] },
        }),
      ]),
    ) as Record<SecurityGroupPurpose, SecurityGroup>;
  }

  private addNatGateway(props: NetworkProps, vpc: Vpc, publicCidr: string, zone: string, privateTables: RouteTable[]): void {
    const gateway = new InternetGateway(this, "internet-gateway", { vpcId: vpc.id, tags: { Name: props.vpcName } });
    const publicSubnet = new Subnet(this, "public-nat", {
      vpcId: vpc.id,
      cidrBlock: publicCidr,
      availabilityZone: zone,
      // Only the NAT gateway lives here; nothing gets a public address by accident.
      mapPublicIpOnLaunch: false,
      tags: { Name: `${props.vpcName}-public-nat` },
    });
    const publicTable = new RouteTable(this, "public-routes", { vpcId: vpc.id, tags: { Name: `${props.vpcName}-public` } });
    new RouteTableAssociation(this, "public-routes-association", { subnetId: publicSubnet.id, routeTableId: publicTable.id });
    new Route(this, "public-default-route", { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: gateway.id });
    const address = new Eip(this, "nat-address", { domain: "vpc", tags: { Name: `${props.vpcName}-nat` } });
    const nat = new NatGateway(this, "nat-gateway", { allocationId: address.id, subnetId: publicSubnet.id, tags: { Name: props.vpcName }, dependsOn: [gateway] });
    privateTables.forEach((table, index) => new Route(this, `private-default-route-${index}`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }));
  }

  private addFlowLogs(props: NetworkProps, vpcId: string): void {
    const group = new CloudwatchLogGroup(this, "flow-logs", {
      name: props.flowLogGroupName,
      kmsKeyId: props.kmsKeyArn,
      retentionInDays: props.logRetentionDays,
    });
    const { role, policy } = new ServiceRole(this, "flow-logs-role", {
      roleName: props.flowLogRoleName,
      description: "VPC Flow Logs delivery into the platform's flow-log group",
      service: "vpc-flow-logs.amazonaws.com",
      accountId: props.accountId,
      region: props.region,
      policyName: "deliver-flow-logs",
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      permissions: flowLogDeliveryPolicy({ accountId: props.accountId, region: props.region, logGroupName: props.flowLogGroupName }),
    });
    new FlowLog(this, "flow-log", {
      vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      dependsOn: [policy],
    });
  }
}

function ruleConfig(securityGroupId: string, rule: SecurityGroupRule) {
  const peer =
    "securityGroupId" in rule.peer
      ? { referencedSecurityGroupId: rule.peer.securityGroupId }
      : "cidr" in rule.peer
        ? { cidrIpv4: rule.peer.cidr }
        : { prefixListId: rule.peer.prefixListId };
  return { securityGroupId, description: rule.description, ipProtocol: "tcp", fromPort: rule.fromPort, toPort: rule.toPort, ...peer };
}

export interface SecurityGroupRuleInput {
  readonly vpcCidr: string;
  readonly natGateway: boolean;
  readonly s3PrefixListId: string;
  readonly groupIds: Readonly<Record<SecurityGroupPurpose, string>>;
}

/**
 * Every allowed flow, as data. Nothing is open to 0.0.0.0/0 inbound; outbound to the internet
 * exists only for Glue and only with a NAT gateway.
 */
export function securityGroupRules(input: SecurityGroupRuleInput): Record<SecurityGroupPurpose, { ingress: SecurityGroupRule[]; egress: SecurityGroupRule[] }> {
  const { glue, redshift, quicksight, endpoints } = input.groupIds;
  const https = (id: string, description: string, peer: SecurityGroupRule["peer"]): SecurityGroupRule => ({ id, description, fromPort: HTTPS_PORT, toPort: HTTPS_PORT, peer });
  const allTcp = (id: string, description: string, peer: SecurityGroupRule["peer"]): SecurityGroupRule => ({ id, description, fromPort: 0, toPort: 65535, peer });
  const redshiftPort = (id: string, description: string, peer: SecurityGroupRule["peer"]): SecurityGroupRule => ({ id, description, fromPort: REDSHIFT_PORT, toPort: REDSHIFT_PORT, peer });
  return {
    glue: {
      ingress: [allTcp("self", "Glue connections require all TCP between the job's own ENIs", { securityGroupId: glue })],
      egress: [
        allTcp("self", "Spark driver and executors talk to each other", { securityGroupId: glue }),
        https("endpoints", "AWS APIs through the interface endpoints", { securityGroupId: endpoints }),
        https("s3", "S3 through the gateway endpoint", { prefixListId: input.s3PrefixListId }),
        redshiftPort("redshift", "JDBC writes to the warehouse", { securityGroupId: redshift }),
        ...(input.natGateway ? [https("internet", "HTTPS to the internet through the NAT gateway", { cidr: "0.0.0.0/0" })] : []),
      ],
    },
    redshift: {
      ingress: [
        redshiftPort("glue", "Glue jobs load the warehouse", { securityGroupId: glue }),
        redshiftPort("quicksight", "QuickSight direct queries", { securityGroupId: quicksight }),
      ],
      egress: [
        https("s3", "COPY/UNLOAD and Spectrum to S3 through the gateway endpoint (enhanced VPC routing)", { prefixListId: input.s3PrefixListId }),
        https("endpoints", "Glue catalog, KMS and STS through the interface endpoints", { securityGroupId: endpoints }),
      ],
    },
    quicksight: {
      // QuickSight's ENIs are not stateful: the warehouse's replies arrive as new inbound traffic.
      ingress: [allTcp("redshift-replies", "Return traffic from the warehouse (QuickSight ENIs are not stateful)", { securityGroupId: redshift })],
      egress: [redshiftPort("redshift", "Direct queries to the warehouse", { securityGroupId: redshift })],
    },
    endpoints: {
      ingress: [https("vpc", "HTTPS from inside the VPC", { cidr: input.vpcCidr })],
      egress: [],
    },
  };
}
