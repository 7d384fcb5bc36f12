import { runPolicies } from "../../policies";
import type { TerraformJson } from "../../policies";
import { trustSourceRules } from "../../policies/rules/trust-source";
import { assumeProblems, crawlerTargetProblems, glueVpcJobProblems } from "../helpers/service-access";
import { stacksUnderTest, synthAll, synthEnvironment } from "../helpers/synth";

/**
 * What the services do with the platform's roles on a first deploy and every run after, simulated on
 * every synthesized stack: each trusted service can assume its role with the context it sends, a
 * crawler can locate its bucket, a Glue job in the VPC can check its VPC. Each check is then shown
 * failing on the real prod stack broken the way the docs warn about.
 */

type Config = Record<string, any>;
const prod = synthEnvironment("prod");
const allStacks = synthAll().flatMap(({ environment, platform, bootstrap }) => [
  [`${environment.name} platform`, platform],
  [`${environment.name} bootstrap`, bootstrap],
]) as [string, TerraformJson][];

/** A copy of the prod platform stack with one role's trust or inline policy rewritten. */
function withRole(roleName: RegExp, change: { trust?: (t: Config) => void; policy?: (p: Config) => void }): TerraformJson {
  const json = structuredClone(prod.platform) as { resource: Record<string, Record<string, Config>> };
  const [resourceName, role] = Object.entries(json.resource.aws_iam_role).find(([, r]) => roleName.test(String(r.name))) ?? [];
  if (!role) throw new Error(`prod has no role matching ${roleName}`);
  if (change.trust) {
    const trust = JSON.parse(role.assume_role_policy);
    change.trust(trust);
    role.assume_role_policy = JSON.stringify(trust);
  }
  if (change.policy) {
    const policy = Object.values(json.resource.aws_iam_role_policy).find((p) => String(p.role).includes(`aws_iam_role.${resourceName}.`))!;
    const document = JSON.parse(policy.policy);
    change.policy(document);
    policy.policy = JSON.stringify(document);
  }
  return json as TerraformJson;
}

const dropStatement = (sid: string) => (document: Config) => {
  const before = document.Statement.length;
  document.Statement = document.Statement.filter((s: Config) => s.Sid !== sid);
  if (document.Statement.length !== before - 1) throw new Error(`no statement ${sid}`);
};

describe("services can use the platform's roles (simulated on every stack)", () => {
  it.each(allStacks)("%s: every trusted service can assume its role, and only for this account where it says which", async (_name, json) => {
    expect(await assumeProblems(json)).toEqual([]);
  });

  it.each(allStacks)("%s: every crawler can locate, list and read its targets", async (_name, json) => {
    expect(await crawlerTargetProblems(json)).toEqual([]);
  });

  it.each(allStacks)("%s: every Glue job in a VPC connection can check its VPC", async (_name, json) => {
    expect(await glueVpcJobProblems(json)).toEqual([]);
  });

  it("the checks read what the stacks have", () => {
    const count = (type: string) => Object.keys(prod.platform.resource?.[type] ?? {}).length;
    expect(count("aws_iam_role")).toBeGreaterThan(10);
    expect(count("aws_glue_crawler")).toBeGreaterThan(0);
    expect(Object.values(prod.platform.resource?.aws_glue_job ?? {}).some((j) => (j as Config).connections)).toBe(true);
  });

  it("IAM-TRUST-SOURCE holds on every stack", () => {
    const report = runPolicies(stacksUnderTest(), trustSourceRules);
    expect(report.violations).toEqual([]);
    expect(report.evaluations).toBeGreaterThan(30);
  });
});

describe("each, broken on purpose in the real prod stack, is reported", () => {
  it("a Glue role requiring aws:SourceAccount, which Glue does not send: Glue can no longer assume it", async () => {
    const json = withRole(/-attendees-batch$/, {
      trust: (t) => {
        t.Statement[0].Condition = { StringEquals: t.Statement[0].Condition.StringEqualsIfExists };
      },
    });
    expect(await assumeProblems(json)).toEqual([expect.stringMatching(/-attendees-batch: glue\.amazonaws\.com cannot assume it with the context it sends/)]);
    const report = runPolicies([{ stackName: "data-platform-prod", environment: "prod", production: true, json }], trustSourceRules);
    expect(report.violations.map((v) => v.message).join("\n")).toMatch(/glue\.amazonaws\.com does not document sending it/);
  });

  it("a QuickSight VPC connection role requiring it: the first data source could not be created", async () => {
    const json = withRole(/-quicksight-vpc$/, {
      trust: (t) => {
        t.Statement[0].Condition = { StringEquals: t.Statement[0].Condition.StringEqualsIfExists };
      },
    });
    expect(await assumeProblems(json)).toEqual([expect.stringMatching(/quicksight\.amazonaws\.com cannot assume it/)]);
  });

  it("a Step Functions role without the condition Step Functions documents: another account's workflow could use it", async () => {
    const json = withRole(/-catalog-sfn$/, {
      trust: (t) => {
        delete t.Statement[0].Condition;
      },
    });
    expect(await assumeProblems(json)).toEqual([expect.stringMatching(/states\.amazonaws\.com acting for account 999999999999 can assume it/)]);
    const report = runPolicies([{ stackName: "data-platform-prod", environment: "prod", production: true, json }], trustSourceRules);
    expect(report.violations.map((v) => v.message).join("\n")).toMatch(/without requiring aws:SourceAccount or aws:SourceArn/);
  });

  it("a service nobody recorded: the trust is refused until its request context is looked up", async () => {
    const json = withRole(/-catalog-sfn$/, {
      trust: (t) => {
        t.Statement[0].Principal.Service = "pipes.amazonaws.com";
      },
    });
    expect(await assumeProblems(json)).toEqual([expect.stringMatching(/trusts pipes\.amazonaws\.com, whose request context lib\/service-principals\.ts does not record/)]);
  });

  it("a crawler role without s3:GetBucketLocation", async () => {
    const json = withRole(/-attendees-crawler$/, { policy: dropStatement("LocateCuratedBucket") });
    expect(await crawlerTargetProblems(json)).toEqual([expect.stringMatching(/-attendees-curated: its role is refused s3:GetBucketLocation on arn:aws:s3:::dp-prod-/)]);
  });

  it("a Glue job role without ec2:DescribeVpcAttribute", async () => {
    const json = withRole(/-attendees-batch$/, { policy: dropStatement("DescribeConnectionVpc") });
    expect(await glueVpcJobProblems(json)).toEqual([expect.stringMatching(/-attendees-batch: its role is refused ec2:DescribeVpcAttribute/)]);
  });
});
