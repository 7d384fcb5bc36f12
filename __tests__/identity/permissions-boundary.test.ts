/**
 * The permissions boundary bootstrap creates: every role the platform stacks create carries it, it
 * takes nothing away from any of those roles' own policies, and it caps what any role created under
 * it could ever do, whatever its policy says. Shown able to fail with a role created without it.
 */
import { expandIamActions } from "@cloud-copilot/iam-expand";
import { simulate } from "../helpers/iam";
import { synthAll } from "../helpers/synth";
import { decide, identitiesOf, tagContext } from "./ci-roles";
import { callsOf } from "./terraform-calls";
import { StackModel, arnOf, resolvedJson, resourcesIn } from "./terraform-model";

const SIMULATION_TIMEOUT = 120_000;
const all = synthAll().map((s) => ({ name: s.environment.name, ids: identitiesOf(s) }));

/** Roles of a stack that do not carry exactly the given boundary, by address. */
export function rolesWithoutBoundary(m: StackModel, boundaryArn: string): string[] {
  return resourcesIn(m)
    .filter(([type, , c]) => type === "aws_iam_role" && c.permissions_boundary !== boundaryArn)
    .map(([type, name]) => `${type}.${name}`);
}

/** A concrete instance of an ARN pattern (the simulator takes one resource). */
const concrete = (pattern: string): string => pattern.replace(/\*/g, "example").replace(/\?/g, "a");

describe.each(all.map((e) => [e.name, e.ids] as const))("%s", (_name, ids) => {
  const roles = resourcesIn(ids.platform).filter(([type]) => type === "aws_iam_role");
  const boundary = [ids.boundary.policy];
  const keyPolicyOf = (arn: string) => {
    const key = resourcesIn(ids.platform).find(([type, name]) => type === "aws_kms_key" && arnOf(ids.platform, type, name) === arn);
    return key ? resolvedJson(ids.platform, key[2].policy) : undefined;
  };

  it("every role of the platform stack carries bootstrap's boundary (the ARN the platform computes is the policy bootstrap creates)", () => {
    expect(roles.length).toBeGreaterThanOrEqual(10);
    expect(rolesWithoutBoundary(ids.platform, ids.boundary.arn)).toEqual([]);
  });

  it("takes nothing away from any role's own policy: every action on every resource it grants stays allowed", async () => {
    const cut: string[] = [];
    let checked = 0;
    for (const [, name] of roles) {
      const policies = Object.values((ids.platform.json.resource as any).aws_iam_role_policy ?? {}).filter((p: any) => String(p.role).includes(`aws_iam_role.${name}.`));
      for (const statement of policies.flatMap((p: any) => resolvedJson(ids.platform, p.policy).Statement).filter((st: any) => st.Effect === "Allow")) {
        for (const action of await expandIamActions([statement.Action].flat())) {
          for (const pattern of [statement.Resource].flat() as string[]) {
            const resource = pattern === "*" ? "*" : concrete(pattern);
            const keyPolicy = keyPolicyOf(pattern);
            const decision = await simulate(boundary, action, resource, {
              accountId: ids.platform.accountId,
              context: tagContext(ids.platform.tags, {}),
              ...(keyPolicy ? { resourcePolicy: keyPolicy } : {}),
            }).catch((error: Error) => {
              // A statement lists several actions and resources; not every action applies to every resource.
              if (error.message.includes("no.resource.types")) return "not applicable";
              throw error;
            });
            if (decision === "not applicable") continue;
            checked += 1;
            if (decision !== "Allowed") cut.push(`${name}: ${action} on ${resource} → ${decision}`);
          }
        }
      }
    }
    expect(cut).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  }, SIMULATION_TIMEOUT);
});

describe("what the boundary caps", () => {
  const { ids } = all.find((e) => e.name === "dev")!;
  const { accountId, region, tags } = ids.platform;
  const everything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
  const asAdmin = (action: string, resource: string, context: Record<string, string | string[]> = tagContext(tags, {})) =>
    simulate([everything], action, resource, { accountId, context, boundaries: [ids.boundary.policy] });

  it.each([
    ["iam:CreateRole", `arn:aws:iam::${accountId}:role/dp-dev-escalated`],
    ["iam:PassRole", `arn:aws:iam::${accountId}:role/dp-dev-attendees-streaming`],
    ["iam:PutRolePolicy", `arn:aws:iam::${accountId}:role/dp-dev-attendees-streaming`],
    ["sts:AssumeRole", `arn:aws:iam::${accountId}:role/dp-dev-ci-apply`],
    ["s3:GetObject", `arn:aws:s3:::dp-prod-curated-777788889999-eu-west-1/attendees/x.parquet`],
    ["s3:GetObject", `arn:aws:s3:::dp-terraform-state-${accountId}/data-platform/dev.tfstate`],
    ["s3:PutObject", "arn:aws:s3:::some-external-bucket/exfiltrated.csv"],
    ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${region}:${accountId}:secret:other-team-db-AbCdEf`],
    ["kinesis:GetRecords", `arn:aws:kinesis:${region}:${accountId}:stream/dp-stage-attendees`],
    ["ec2:RunInstances", `arn:aws:ec2:${region}:${accountId}:instance/*`],
    ["lambda:CreateFunction", `arn:aws:lambda:${region}:${accountId}:function:dp-dev-backdoor`],
    ["organizations:LeaveOrganization", "*"],
  ])("refuses %s on %s to a role whose own policy allows everything", async (action, resource) => {
    expect(await asAdmin(action, resource)).not.toBe("Allowed");
  });

  it("refuses a key of another environment (by its tags)", async () => {
    const key = `arn:aws:kms:${region}:${accountId}:key/00000000-0000-0000-0000-000000000000`;
    const keyPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }] };
    const decrypt = (environment: string) =>
      simulate([everything], "kms:Decrypt", key, { accountId, resourcePolicy: keyPolicy, context: { ...tagContext({ ...tags, environment }, {}) }, boundaries: [ids.boundary.policy] });
    expect(await decrypt("dev")).toBe("Allowed");
    expect(await decrypt("prod")).not.toBe("Allowed");
  });

  it.each([
    ["s3:GetObject", `arn:aws:s3:::dp-dev-curated-${accountId}-${region}/attendees/x.parquet`],
    ["glue:StartCrawler", `arn:aws:glue:${region}:${accountId}:crawler/dp-dev-attendees-curated`],
    ["cloudwatch:PutMetricData", "*"],
  ])("allows %s on %s within the environment (control)", async (action, resource) => {
    expect(await asAdmin(action, resource)).toBe("Allowed");
  });
});

describe("the boundary check can fail", () => {
  const { ids } = all.find((e) => e.name === "dev")!;
  const broken: StackModel = JSON.parse(JSON.stringify(ids.platform));
  const [victim] = Object.entries((broken.json.resource as any).aws_iam_role as Record<string, any>)[0]!;
  delete (broken.json.resource as any).aws_iam_role[victim].permissions_boundary;

  it("a role created without the boundary is reported", () => {
    expect(rolesWithoutBoundary(broken, ids.boundary.arn)).toEqual([`aws_iam_role.${victim}`]);
  });

  it("and the apply role could not create it", async () => {
    const create = callsOf(broken).find((r) => r.address === `aws_iam_role.${victim}`)!.calls.find((c) => c.action === "iam:CreateRole")!;
    expect(await decide(ids.apply, create, broken.tags)).toBe("ExplicitlyDenied");
  });
});
