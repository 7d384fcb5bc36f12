/**
 * The whole deployment identity chain, per environment, simulated: the GitHub workflows' jobs, the
 * claims of their OIDC tokens, the trust of the CI roles the bootstrap stack creates, and the
 * permissions of those roles against every call the provider makes for the platform stack
 * (terraform-calls.ts derives them from the synthesized resources). Then the same checks on
 * fixtures broken on purpose, to show each can fail.
 */
import { loadEnvironments } from "../../environments";
import { GITHUB_OIDC_HOST } from "../../modules/ci-identity";
import { synthAll } from "../helpers/synth";
import { identitiesOf, type Identities } from "./ci-roles";
import { chainProblems, readWorkflows, uncoveredCalls, workflowHops } from "./chain";
import { stackModel } from "./terraform-model";

const environments = loadEnvironments();
const workflows = readWorkflows();
const all = synthAll().map((s) => ({ env: s.environment, ids: identitiesOf(s) }));
const dev = all.find((e) => e.env.name === "dev")!;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));
/** Simulating every call of a stack takes seconds. */
const SIMULATION_TIMEOUT = 120_000;

describe.each(all.map((e) => [e.env.name, e] as const))("%s", (_name, { env, ids }) => {
  it("the workflows reach the plan role from pull requests and the apply role only from main, in the right GitHub environments", () => {
    const hops = workflowHops(env, workflows).map((h) => [h.trigger, h.githubEnvironment, h.roleArn]);
    expect(hops.sort()).toEqual(
      [
        // Each affected stack's plan (one matrix job per stack)…
        ["pull_request", `${env.name}-plan`, `arn:aws:iam::${env.account.id}:role/dp-${env.name}-ci-plan`],
        // …and on main the core's apply, then the pipeline stacks'.
        ["push", env.name, `arn:aws:iam::${env.account.id}:role/dp-${env.name}-ci-apply`],
        ["push", env.name, `arn:aws:iam::${env.account.id}:role/dp-${env.name}-ci-apply`],
      ].sort(),
    );
  });

  it("has no broken or over-wide link: trust admits exactly those jobs, the provider assumes nothing further", () => {
    expect(chainProblems(env, environments, workflows, ids)).toEqual([]);
  });

  it("simulates the core and every pipeline stack, each with its own state object", () => {
    expect(ids.stacks.map((s) => s.name)).toEqual([`data-platform-${env.name}`, ...ids.stacks.slice(1).map((s) => s.name)]);
    expect(ids.stacks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ids.stacks.map((s) => s.model.state!.key)).size).toBe(ids.stacks.length);
    // Together they are the environment: every block in exactly one stack.
    const counted = ids.stacks.reduce((n, s) => n + s.model.only!.size, 0);
    const resources = Object.values(ids.platform.json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(counted).toBeGreaterThan(resources);
  });

  it.each(["apply", "plan"] as const)("the %s role makes every call each stack needs (the plan role its reads), its state's included", async (purpose) => {
    for (const stack of ids.stacks) expect([stack.name, await uncoveredCalls(purpose, ids[purpose], stack.model, undefined, ids.stateKey)]).toEqual([stack.name, []]);
  }, SIMULATION_TIMEOUT);

  it("neither role reaches another state object of the bucket: not the bootstrap stack's, not another environment's", async () => {
    const { bucket } = ids.stacks[0].model.state!;
    for (const key of [`bootstrap/${env.name}.tfstate`, "data-platform/other.tfstate", `${env.state.key}.backup`]) {
      const other = stackModel(ids.platform.json, { state: { bucket, key } });
      for (const purpose of ["plan", "apply"] as const) {
        const missing = await uncoveredCalls(purpose, ids[purpose], { ...other, only: new Set() }, undefined, ids.stateKey);
        expect([purpose, key, missing.some((m) => m.includes(" s3:GetObject "))]).toEqual([purpose, key, true]);
      }
    }
  }, SIMULATION_TIMEOUT);
});

describe("the chain check can fail", () => {
  const withRole = (ids: Identities, purpose: "plan" | "apply", change: (role: any) => void): Identities => {
    const copy = clone(ids);
    change(copy[purpose]);
    return copy;
  };

  it("a trust without the environment `sub` condition admits pull requests and other environments", () => {
    const broken = withRole(dev.ids, "apply", (role) => {
      role.trust.Statement[0].Condition = { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com" } };
    });
    const problems = chainProblems(dev.env, environments, workflows, broken);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining("dp-dev-ci-apply: its trust admits repo:acme-data/data-platform:pull_request")]));
  });

  it("a `sub` pattern on the repository admits every branch", () => {
    const broken = withRole(dev.ids, "plan", (role) => {
      role.trust.Statement[0].Condition = { StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: "repo:acme-data/data-platform:*" }, StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com" } };
    });
    expect(chainProblems(dev.env, environments, workflows, broken)).toEqual(expect.arrayContaining([expect.stringContaining("admits repo:acme-data/data-platform:ref:refs/heads/feature")]));
  });

  it("a plan job outside the <env>-plan environment cannot assume the plan role", () => {
    const broken = clone(workflows);
    broken["pull-request.yml"].jobs.plan.environment = "${{ matrix.env }}";
    expect(chainProblems(dev.env, environments, broken, dev.ids)).toEqual([expect.stringContaining('runs in GitHub environment "dev", which the trust of dp-dev-ci-plan refuses')]);
  });

  it("a pull-request job that asks for the apply role is reported", () => {
    const broken = clone(workflows);
    const step = broken["pull-request.yml"].jobs.plan.steps.find((s: any) => String(s.uses).startsWith("aws-actions/"));
    step.with["role-to-assume"] = step.with["role-to-assume"].replace("-ci-plan", "-ci-apply");
    expect(chainProblems(dev.env, environments, broken, dev.ids)).toEqual([expect.stringContaining("a pull_request job must use the plan role")]);
  });

  it("a provider that assumes a deployer role again is reported", () => {
    const broken = clone(dev.ids);
    (broken.platform.json.provider as any).aws[0].assume_role = [{ role_arn: "arn:aws:iam::111122223333:role/dp-dev-deployer" }];
    expect(chainProblems(dev.env, environments, workflows, broken)).toEqual([expect.stringContaining("assumes")]);
  });

  // The plan role reads no secret value, so no resource may need one to refresh: a secret version
  // (even one written through a write-only argument) would make every plan fail.
  it("a secret version in the stack could not be refreshed by the plan role", async () => {
    const json = clone(dev.ids.platform.json) as any;
    const [secretId] = Object.entries(json.resource.aws_secretsmanager_secret).find(([, s]: [string, any]) => String(s.name).endsWith("-pepper"))!;
    json.resource.aws_secretsmanager_secret_version = { pepper: { secret_id: `\${aws_secretsmanager_secret.${secretId}.id}`, secret_string_wo: "x", secret_string_wo_version: 1 } };
    const missing = await uncoveredCalls("plan", dev.ids.plan, stackModel(json), ["aws_secretsmanager_secret_version"]);
    expect(missing).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_secretsmanager_secret_version\.pepper secretsmanager:GetSecretValue \S+:secret:dp-dev-pepper-\S+ → ExplicitlyDenied$/)]));
  }, SIMULATION_TIMEOUT);

  // The apply role may change only roles that carry the boundary: a policy on a role the platform
  // does not own (QuickSight's secrets role, as the BI module once did) would fail to apply.
  it("a policy on a role the platform does not own could not be applied", async () => {
    const json = clone(dev.ids.platform.json) as any;
    json.resource.aws_iam_role_policy = { ...json.resource.aws_iam_role_policy, foreign: { role: "aws-quicksight-secretsmanager-role-v0", name: "read-reader-secret", policy: "{}" } };
    const missing = await uncoveredCalls("apply", dev.ids.apply, stackModel(json), ["aws_iam_role_policy"]);
    expect(missing.filter((m) => m.startsWith("aws_iam_role_policy.foreign "))).toEqual([
      expect.stringMatching(/iam:PutRolePolicy arn:aws:iam::111122223333:role\/aws-quicksight-secretsmanager-role-v0 → \w*Denied$/),
      expect.stringMatching(/iam:GetRolePolicy arn:aws:iam::111122223333:role\/aws-quicksight-secretsmanager-role-v0 → \w*Denied$/),
      expect.stringMatching(/iam:DeleteRolePolicy arn:aws:iam::111122223333:role\/aws-quicksight-secretsmanager-role-v0 → \w*Denied$/),
    ]);
  }, SIMULATION_TIMEOUT);

  it("an apply role missing a statement no longer covers the stack", async () => {
    const broken = withRole(dev.ids, "apply", (role) => {
      for (const policy of role.policies) policy.Statement = policy.Statement.filter((s: any) => s.Sid !== "ManageGlueByName");
    });
    const missing = await uncoveredCalls("apply", broken.apply, dev.ids.platform, ["aws_glue_job"]);
    expect(missing).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_glue_job\.\S+ glue:CreateJob arn:aws:glue:eu-west-1:111122223333:job\/dp-dev-attendees-streaming → ImplicitlyDenied$/)]));
  }, SIMULATION_TIMEOUT);
});
