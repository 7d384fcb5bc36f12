import { PolicyDocument, allow, policyDocument, serviceTrustPolicy } from "../../lib/iam";
import type { SecretReaderKeyGrant } from "../lake/key-policy";
import { networkInterfacesArn, securityGroupArn, subnetArn } from "./arns";

/**
 * IAM documents of the BI module, as pure functions. The VPC connection's actions are the five AWS
 * lists for a QuickSight VPC connection role
 * (https://docs.aws.amazon.com/quicksight/latest/user/vpc-creating-a-connection-in-quicksight-cli.html),
 * scoped to the connection's subnets and security group where EC2 allows it.
 */
export const QUICKSIGHT_SERVICE = "quicksight.amazonaws.com";
/**
 * The role QuickSight assumes to read data-source secrets when a dashboard runs a query. QuickSight
 * creates and owns it; the platform never changes it.
 */
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

/** Both forms of the secrets role's ARN: QuickSight creates it under `service-role/`. */
export function quicksightSecretsRoleArns(accountId: string): string[] {
  return [`arn:aws:iam::${accountId}:role/${QUICKSIGHT_SECRETS_ROLE}`, `arn:aws:iam::${accountId}:role/service-role/${QUICKSIGHT_SECRETS_ROLE}`];
}

export interface ReaderSecretPolicyInput {
  readonly accountId: string;
}

/**
 * The reader secret's own resource policy: QuickSight's secrets role may read this secret, and
 * nothing else is granted. The platform owns the secret and its policy and changes nothing on the
 * role, which QuickSight creates and manages. The role is named by condition, not as principal:
 * Secrets Manager refuses a policy whose principal does not exist yet, and the role exists only
 * once an admin enables Secrets Manager access in QuickSight (docs/bi.md).
 */
export function readerSecretPolicy(input: ReaderSecretPolicyInput): PolicyDocument {
  return policyDocument({
    Sid: "QuickSightReadsReaderSecret",
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: ["secretsmanager:GetSecretValue"],
    Resource: ["*"],
    Condition: {
      StringEquals: { "aws:PrincipalAccount": input.accountId },
      ArnLike: { "aws:PrincipalArn": quicksightSecretsRoleArns(input.accountId) },
    },
  });
}

/** The platform key statement that lets the same role decrypt that secret, and only through Secrets Manager. */
export function quicksightSecretKeyGrant(input: { readonly accountId: string; readonly region: string; readonly readerSecretName: string }): SecretReaderKeyGrant {
  return {
    sid: "QuickSightDecryptsReaderSecret",
    principalArns: quicksightSecretsRoleArns(input.accountId),
    secretArnPattern: `arn:aws:secretsmanager:${input.region}:${input.accountId}:secret:${input.readerSecretName}-??????`,
  };
}
