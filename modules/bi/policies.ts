import { PolicyDocument, allow, policyDocument, serviceTrustPolicy } from "../../lib/iam";
import { networkInterfacesArn, securityGroupArn, subnetArn } from "./arns";

/**
 * IAM documents of the BI module, as pure functions. The VPC connection's actions are the five AWS
 * lists for a QuickSight VPC connection role
 * (https://docs.aws.amazon.com/quicksight/latest/user/vpc-creating-a-connection-in-quicksight-cli.html),
 * scoped to the connection's subnets and security group where EC2 allows it.
 */
export const QUICKSIGHT_SERVICE = "quicksight.amazonaws.com";
/** The role QuickSight assumes to read data-source secrets when a dashboard runs a query. */
export const QUICKSIGHT_SECRETS_ROLE = "aws-quicksight-secretsmanager-role-v0";

export interface VpcConnectionPolicyInput {
  readonly accountId: string;
  readonly region: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
}

export function vpcConnectionTrustPolicy(accountId: string): PolicyDocument {
  return serviceTrustPolicy(QUICKSIGHT_SERVICE, accountId);
}

export function vpcConnectionRolePolicy(input: VpcConnectionPolicyInput): PolicyDocument {
  const subnets = input.subnetIds.map((id) => subnetArn(input.region, input.accountId, id));
  const securityGroup = securityGroupArn(input.region, input.accountId, input.securityGroupId);
  const enis = networkInterfacesArn(input.region, input.accountId);
  return policyDocument(
    allow("CreateEnisInConnectionSubnets", ["ec2:CreateNetworkInterface"], [enis, ...subnets, securityGroup]),
    // Only ENIs in the connection's subnets: never any other interface of the account.
    allow("ManageConnectionEnis", ["ec2:DeleteNetworkInterface", "ec2:ModifyNetworkInterfaceAttribute"], [enis], {
      ArnEquals: { "ec2:Subnet": subnets },
    }),
    // The security-group side of an ENI change carries no subnet key: scoped by ARN instead.
    allow("AttachConnectionSecurityGroup", ["ec2:ModifyNetworkInterfaceAttribute"], [securityGroup]),
    // EC2 Describe* actions support no resource-level scoping (IAM service reference).
    allow("DescribeNetworkPlacement", ["ec2:DescribeSecurityGroups", "ec2:DescribeSubnets"], ["*"]),
  );
}

export interface SecretReadPolicyInput {
  readonly region: string;
  readonly readerSecretArn: string;
  readonly kmsKeyArn: string;
}

/**
 * What QuickSight's secrets role needs for this platform's data source: the reader secret only,
 * and the platform key only when Secrets Manager decrypts with it. The key policy delegates to IAM
 * (account root statement), so this identity policy is enough; the key policy needs no change.
 */
export function secretReadPolicy(input: SecretReadPolicyInput): PolicyDocument {
  return policyDocument(
    allow("ReadBiReaderSecret", ["secretsmanager:GetSecretValue"], [input.readerSecretArn]),
    allow("DecryptBiReaderSecret", ["kms:Decrypt"], [input.kmsKeyArn], {
      StringEquals: { "kms:ViaService": `secretsmanager.${input.region}.amazonaws.com` },
    }),
  );
}
