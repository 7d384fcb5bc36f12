/**
 * What the CI apply role must NOT be able to do, simulated: escalate its privileges, read the
 * platform's data, touch another environment's resources in the same account, or change what
 * bootstrap owns. (What it must do is in identity-chain.test.ts.)
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironments, type Environment } from "../../environments";
import { buildApp } from "../../main";
import { CATALOG_ONLY_WRITES, SERVICE_LINKED_ROLES, UNSCOPED_READS, UNSCOPED_WRITES } from "../../modules/ci-identity";
import { loadPipelines } from "../../pipelines";
import type { TerraformJson } from "../../policies";
import { readStackFile, synthesizedStacks } from "../../tools/stacks/synthesized";
import { mergedEnvironment } from "../helpers/environment-view";
import { synthEnvironment } from "../helpers/synth";
import { decide, identitiesOf } from "./ci-roles";
import { dataReadCalls, secretsOf, secretsTerraformReads } from "./data-reads";
import { callsOf, type Call } from "./terraform-calls";
import { stackModel } from "./terraform-model";

const dev = synthEnvironment("dev");
const ids = identitiesOf(dev);
const { accountId, region, tags } = ids.platform;
const role = (name: string) => `arn:aws:iam::${accountId}:role/${name}`;
const policy = (name: string) => `arn:aws:iam::${accountId}:policy/${name}`;
const OURS = ids.boundary.arn;
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const SIMULATION_TIMEOUT = 120_000;

const call = (action: string, resource: string, context: Record<string, string | string[]> = {}, extra: Partial<Call> = {}): Call => ({ action, resource, phase: "update", context, ...extra });
const decisionOf = (c: Call) => decide(ids.apply, c, tags);

describe("escalation", () => {
  it.each<[string, Call, "Allowed" | "refused"]>([
    ["create a platform role with the boundary (control)", call("iam:CreateRole", role("dp-dev-new"), { "iam:PermissionsBoundary": OURS }), "Allowed"],
    ["create a role without the boundary", call("iam:CreateRole", role("dp-dev-new")), "refused"],
    ["create a role with another boundary", call("iam:CreateRole", role("dp-dev-new"), { "iam:PermissionsBoundary": ADMIN }), "refused"],
    ["create a role outside the prefix", call("iam:CreateRole", role("admin"), { "iam:PermissionsBoundary": OURS }), "refused"],
    ["attach AdministratorAccess to a bounded role", call("iam:AttachRolePolicy", role("dp-dev-new"), { "iam:PermissionsBoundary": OURS, "iam:PolicyARN": ADMIN }), "refused"],
    ["attach a producer policy to a bounded role (control)", call("iam:AttachRolePolicy", role("dp-dev-new"), { "iam:PermissionsBoundary": OURS, "iam:PolicyARN": policy("dp-dev-attendees-producer") }), "Allowed"],
    ["put an inline policy on a role without the boundary", call("iam:PutRolePolicy", role("dp-dev-legacy")), "refused"],
    ["remove the boundary from a platform role", call("iam:DeleteRolePermissionsBoundary", role("dp-dev-new"), { "iam:PermissionsBoundary": OURS }), "refused"],
    ["replace the boundary with another", call("iam:PutRolePermissionsBoundary", role("dp-dev-new"), { "iam:PermissionsBoundary": ADMIN }), "refused"],
    ["edit the boundary policy", call("iam:CreatePolicyVersion", OURS), "refused"],
    ["make another version of the boundary the default", call("iam:SetDefaultPolicyVersion", OURS), "refused"],
    ["delete the boundary policy", call("iam:DeletePolicy", OURS), "refused"],
    ["edit its own permissions", call("iam:CreatePolicyVersion", policy("dp-dev-ci-apply-guardrails")), "refused"],
    ["detach its own guardrails", call("iam:DetachRolePolicy", ids.apply.arn, { "iam:PolicyARN": policy("dp-dev-ci-apply-guardrails") }), "refused"],
    ["rewrite its own trust", call("iam:UpdateAssumeRolePolicy", ids.apply.arn), "refused"],
    ["add an inline policy to itself", call("iam:PutRolePolicy", ids.apply.arn, { "iam:PermissionsBoundary": OURS }), "refused"],
    ["change the plan role", call("iam:AttachRolePolicy", ids.plan.arn, { "iam:PolicyARN": ADMIN }), "refused"],
    ["edit a producer policy (control)", call("iam:CreatePolicyVersion", policy("dp-dev-attendees-producer")), "Allowed"],
    ["pass a platform role to Glue (control)", call("iam:PassRole", role("dp-dev-attendees-streaming"), { "iam:PassedToService": "glue.amazonaws.com" }), "Allowed"],
    ["pass a role not of the platform", call("iam:PassRole", role("other-team-etl"), { "iam:PassedToService": "glue.amazonaws.com" }), "refused"],
    ["pass another environment's role", call("iam:PassRole", role("dp-prod-attendees-streaming"), { "iam:PassedToService": "glue.amazonaws.com" }), "refused"],
    ["pass a platform role to a service the platform does not use", call("iam:PassRole", role("dp-dev-attendees-streaming"), { "iam:PassedToService": "ec2.amazonaws.com" }), "refused"],
    ["pass itself to Glue", call("iam:PassRole", ids.apply.arn, { "iam:PassedToService": "glue.amazonaws.com" }), "refused"],
    ["become a platform role", call("sts:AssumeRole", role("dp-dev-attendees-streaming")), "refused"],
    ["create an IAM user", call("iam:CreateUser", "arn:aws:iam::" + accountId + ":user/dp-dev-backdoor"), "refused"],
    ["create access keys", call("iam:CreateAccessKey", "arn:aws:iam::" + accountId + ":user/dp-dev-backdoor"), "refused"],
    ["trust another identity provider", call("iam:CreateOpenIDConnectProvider", `arn:aws:iam::${accountId}:oidc-provider/example.com`), "refused"],
    ["open the Glue catalog to other accounts", call("glue:PutResourcePolicy", `arn:aws:glue:${region}:${accountId}:catalog`), "refused"],
    ["create Redshift's service-linked role on a first deploy (control)", call("iam:CreateServiceLinkedRole", role("aws-service-role/redshift.amazonaws.com/AWSServiceRoleForRedshift"), { "iam:AWSServiceName": "redshift.amazonaws.com" }), "Allowed"],
    ["create another service's service-linked role", call("iam:CreateServiceLinkedRole", role("aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup"), { "iam:AWSServiceName": "elasticmapreduce.amazonaws.com" }), "refused"],
    ["create Redshift's role path for another service", call("iam:CreateServiceLinkedRole", role("aws-service-role/redshift.amazonaws.com/AWSServiceRoleForRedshift"), { "iam:AWSServiceName": "ec2.amazonaws.com" }), "refused"],
  ])("%s", async (_title, c, expected) => {
    const decision = await decisionOf(c);
    if (expected === "Allowed") expect(decision).toBe("Allowed");
    else expect(decision).not.toBe("Allowed");
  });
});

describe("data", () => {
  const reads = dataReadCalls(ids.platform);

  it("covers every kind of data the stack holds", () => {
    const kinds = new Set(reads.map((r) => r.call.action));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(["s3:GetObject", "kinesis:GetRecords", "sqs:ReceiveMessage", "logs:GetLogEvents", "athena:GetQueryResults", "states:GetExecutionHistory", "redshift-serverless:GetCredentials", "kms:Decrypt"]),
    );
  });

  it("refuses every read of data (objects, records, messages, logs, results, credentials, secrets, direct decryption)", async () => {
    const allowed: string[] = [];
    for (const { what, call: c } of reads) if ((await decisionOf(c)) === "Allowed") allowed.push(`${what}: ${c.action} ${c.resource}`);
    expect(allowed).toEqual([]);
  }, SIMULATION_TIMEOUT);

  it("reads back only the objects Terraform uploads (control)", async () => {
    for (const key of ["scripts/streaming_etl/x.py", "libraries/platform_etl/x.zip", "contracts/attendees/x.json"]) {
      expect(await decisionOf(call("s3:GetObject", `arn:aws:s3:::dp-dev-artifacts-${accountId}-${region}/${key}`))).toBe("Allowed");
    }
  });

  it("reads exactly the secret values Terraform reads, no other", async () => {
    const readable: string[] = [];
    for (const secret of secretsOf(ids.platform)) if ((await decisionOf(call("secretsmanager:GetSecretValue", secret))) === "Allowed") readable.push(secret);
    expect(readable).toEqual(secretsTerraformReads(ids.platform).filter((s) => secretsOf(ids.platform).includes(s)));
    expect(await decisionOf(call("secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${region}:${accountId}:secret:other-team-db-AbCdEf`))).not.toBe("Allowed");
  });
});

/**
 * Another environment in the SAME account (the configured environments each have their own, which
 * would make every refusal trivial). Its names and tags differ; nothing of it may be writable.
 */
function neighbour(of: Environment): Environment {
  const stage = loadEnvironments().find((e) => e.name === "stage")!;
  return { ...stage, name: "qa", account: of.account, state: { ...stage.state, key: "data-platform/qa.tfstate" }, network: { ...stage.network, cidr: "10.40.0.0/16" } };
}

describe("another environment in the same account", () => {
  const qa = neighbour(dev.environment);
  const outdir = mkdtempSync(join(tmpdir(), "dp-neighbour-"));
  buildApp({ outdir, environments: [qa], pipelines: loadPipelines([...loadEnvironments().map((e) => e.name), qa.name]) }).synth();
  // The whole environment: its core and its pipeline stacks.
  const stacks = synthesizedStacks(outdir, [qa.name]);
  const pipelineStacks = stacks.filter((s) => s.kind === "pipeline").map((s) => ({ stackName: s.name, json: readStackFile<TerraformJson>(s) }));
  const other = stackModel(mergedEnvironment(readStackFile<TerraformJson>(stacks.find((s) => s.kind === "core")!), pipelineStacks));
  /** What AWS lets no one scope to an environment (docs/security.md, "What remains account-wide"). */
  const accountWide = (resource: string) => resource === "*" || resource.endsWith(":catalog") || resource.includes(":snapshot/") || resource.includes(":role/aws-service-role/");

  it("the dev apply role can change nothing of it beyond what AWS cannot scope", async () => {
    const writable: string[] = [];
    const unscoped = new Set<string>();
    for (const { address, calls } of callsOf(other)) {
      // An action is allowed only if every resource it names is: group the calls per action.
      const byAction = new Map<string, Call[]>();
      const writes = calls.filter((x) => x.phase !== "read" && !(x.resource === "*" && x.action in UNSCOPED_READS));
      for (const c of writes) byAction.set(c.action, [...(byAction.get(c.action) ?? []), c]);
      for (const [action, resources] of byAction) {
        const decisions = await Promise.all(resources.map((c) => decide(ids.apply, c, other.tags)));
        if (decisions.some((d) => d !== "Allowed")) continue;
        if (resources.every((c) => accountWide(c.resource))) unscoped.add(action);
        else writable.push(`${address} ${action} ${resources.map((c) => c.resource).join(" ")}`);
      }
    }
    expect(writable).toEqual([]);
    const serviceLinkedRoles = Object.keys(SERVICE_LINKED_ROLES).length ? ["iam:CreateServiceLinkedRole"] : [];
    expect([...unscoped].sort()).toEqual([...Object.keys(UNSCOPED_WRITES), ...Object.keys(CATALOG_ONLY_WRITES), ...serviceLinkedRoles].sort());
  }, SIMULATION_TIMEOUT);
});

describe("bootstrap", () => {
  it("the apply role can change nothing bootstrap owns (state bucket and key, CI roles and policies, the boundary, the OIDC provider)", async () => {
    const writable: string[] = [];
    for (const { address, calls } of callsOf(ids.bootstrap)) {
      // Creating some other key or policy is not touching these; what matters is the existing ones.
      for (const c of calls.filter((x) => x.phase !== "read" && x.resource !== "*")) {
        if ((await decide(ids.apply, c, ids.bootstrap.tags)) === "Allowed") writable.push(`${address} ${c.action} ${c.resource}`);
      }
    }
    expect(writable).toEqual([]);
  }, SIMULATION_TIMEOUT);

  it("but it reads and writes the state, through S3 only (control)", async () => {
    const state = `arn:aws:s3:::${dev.environment.state.bucket}/${dev.environment.state.key}`;
    expect(await decisionOf(call("s3:PutObject", state))).toBe("Allowed");
    expect(await decisionOf(call("s3:GetObject", state))).toBe("Allowed");
    const stateKey = ids.apply.policies.flatMap((p) => p.Statement).find((s: any) => s.Sid === "StateKeyThroughS3").Resource;
    const keyPolicy = resolvedKeyPolicy();
    expect(await decisionOf(call("kms:Decrypt", stateKey, { "kms:ViaService": `s3.${region}.amazonaws.com` }, { keyPolicy }))).toBe("Allowed");
    expect(await decisionOf(call("kms:Decrypt", stateKey, {}, { keyPolicy }))).not.toBe("Allowed");
  });
});

function resolvedKeyPolicy(): unknown {
  const key = Object.values((ids.bootstrap.json.resource as any).aws_kms_key)[0] as { policy: string };
  return JSON.parse(key.policy);
}
