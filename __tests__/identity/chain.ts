/**
 * The deployment identity chain of one environment, from the GitHub workflows to the AWS calls:
 *
 *   workflow job (GitHub environment) → OIDC token claims → CI role trust → CI role permissions
 *   → every call the provider makes for the platform stack
 *
 * There is no further hop: the provider assumes no role (docs/security.md). `chainProblems` states,
 * in words, every place where the chain breaks or admits more than it should.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ENVIRONMENT_CONFIGS, type Environment } from "../../environments";
import { GITHUB_OIDC_HOST, STS_AUDIENCE, githubEnvironmentSubject, planEnvironmentName } from "../../modules/ci-identity";
import { REPO_ROOT } from "../delivery/helpers";
import { trustAllows } from "../delivery/trust-evaluator";
import { Identities, Role, decide } from "./ci-roles";
import { type Call, type ResourceCalls, callsOf } from "./terraform-calls";
import { StackModel } from "./terraform-model";

export type Workflows = Readonly<Record<string, any>>;

export function readWorkflows(): Workflows {
  const dir = join(REPO_ROOT, ".github", "workflows");
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".yml")).map((f) => [f, parse(readFileSync(join(dir, f), "utf8"))]));
}

/** A job that assumes an AWS role for one environment, with its expressions evaluated. */
export interface Hop {
  /** `<workflow file>#<job>` (for a reusable workflow: the caller's job, then the called job). */
  readonly job: string;
  readonly trigger: string;
  readonly githubEnvironment: string;
  readonly roleArn: string;
  readonly audience: string;
}

const CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials@";

function evaluate(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (all, name: string) => {
    if (!(name in values)) throw new Error(`chain: cannot evaluate ${all} (known: ${Object.keys(values).join(", ")})`);
    return values[name]!;
  });
}

function hopsOfJob(file: string, jobId: string, job: any, values: Record<string, string>, trigger: string): Hop[] {
  return (job.steps ?? [])
    .filter((step: any) => String(step.uses ?? "").startsWith(CREDENTIALS_ACTION))
    .map((step: any) => ({
      job: `${file}#${jobId}`,
      trigger,
      githubEnvironment: evaluate(String(job.environment ?? ""), values),
      roleArn: evaluate(String(step.with["role-to-assume"]), values),
      audience: step.with.audience ?? STS_AUDIENCE,
    }));
}

/**
 * A matrix of affected stacks (`include: ${{ fromJSON(needs.stacks.outputs.plans) }}`): its entries'
 * `env` is any defined environment (npm run affected-stacks lists every environment's stacks).
 */
const dynamicStackMatrix = (job: any): boolean => /^\$\{\{\s*fromJSON\(needs\.\w+\.outputs\.\w+\)\s*\}\}$/.test(String(job.strategy?.matrix?.include ?? ""));

/** Every job of every workflow that assumes a role for `env`, with matrix, inputs and secrets filled in. */
export function workflowHops(env: Environment, workflows: Workflows, all: readonly string[] = ENVIRONMENT_CONFIGS.map((e) => e.name)): Hop[] {
  const secrets = { "secrets.AWS_ACCOUNT_ID": env.account.id, "secrets.AWS_REGION": env.account.region };
  const hops: Hop[] = [];
  for (const [file, wf] of Object.entries(workflows)) {
    const trigger = Object.keys(wf.on ?? {}).join(",");
    if (trigger === "workflow_call") continue; // reached through its callers below
    for (const [jobId, job] of Object.entries<any>(wf.jobs)) {
      if (typeof job.uses === "string" && job.uses.startsWith("./")) {
        if (job.with?.env !== env.name) continue;
        const called = workflows[job.uses.split("/").pop()];
        for (const [calledId, calledJob] of Object.entries<any>(called.jobs)) {
          hops.push(...hopsOfJob(`${file}#${jobId}→${job.uses.split("/").pop()}`, calledId, calledJob, { ...secrets, "inputs.env": env.name }, trigger));
        }
        continue;
      }
      const matrixEnvs: string[] = job.strategy?.matrix?.env ?? (dynamicStackMatrix(job) ? all : []);
      if (!matrixEnvs.includes(env.name)) continue;
      hops.push(...hopsOfJob(file, jobId, job, { ...secrets, "matrix.env": env.name }, trigger));
    }
  }
  return hops;
}

/** The claims of GitHub's OIDC token for a job in a GitHub environment. */
export const claimsOf = (repository: string, githubEnvironment: string, audience = STS_AUDIENCE) => ({
  [`${GITHUB_OIDC_HOST}:sub`]: githubEnvironmentSubject(repository, githubEnvironment),
  [`${GITHUB_OIDC_HOST}:aud`]: audience,
});

/** Every other GitHub context that could ask for a token: none of them may reach a CI role. */
export function otherContexts(env: Environment, all: readonly Environment[], githubEnvironment: string): Record<string, string>[] {
  const repo = env.ci.repository;
  const subs = [
    `repo:${repo}:pull_request`,
    `repo:${repo}:ref:refs/heads/main`,
    `repo:${repo}:ref:refs/heads/feature`,
    ...all.flatMap((e) => [e.name, planEnvironmentName(e.name)]).filter((g) => g !== githubEnvironment).map((g) => githubEnvironmentSubject(repo, g)),
    githubEnvironmentSubject(`${repo.split("/")[0]}/other-repository`, githubEnvironment),
    githubEnvironmentSubject(repo, `${githubEnvironment}-x`),
  ];
  return subs.map((sub) => ({ [`${GITHUB_OIDC_HOST}:sub`]: sub, [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE }));
}

/** Which workflow may reach which role: pull requests plan, only deploys from main apply. */
export const EXPECTED_ROLE_OF_TRIGGER: Readonly<Record<string, "plan" | "apply">> = { pull_request: "plan", push: "apply" };

/** Everything wrong with the chain from the workflows to the CI roles (no AWS calls yet). */
export function chainProblems(env: Environment, all: readonly Environment[], workflows: Workflows, ids: Identities): string[] {
  const problems: string[] = [];
  const roles: Record<"plan" | "apply", Role> = { plan: ids.plan, apply: ids.apply };
  const hops = workflowHops(env, workflows);
  for (const purpose of ["plan", "apply"] as const) {
    const reaching = hops.filter((h) => EXPECTED_ROLE_OF_TRIGGER[h.trigger] === purpose);
    if (reaching.length === 0) problems.push(`${env.name}: no workflow job assumes the ${purpose} role`);
  }
  for (const hop of hops) {
    const purpose = EXPECTED_ROLE_OF_TRIGGER[hop.trigger];
    if (!purpose) {
      problems.push(`${hop.job}: a ${hop.trigger} workflow assumes ${hop.roleArn}; only pull requests (plan) and pushes to main (apply) may`);
      continue;
    }
    const role = roles[purpose];
    if (hop.roleArn !== role.arn) {
      problems.push(`${hop.job}: assumes ${hop.roleArn}, but a ${hop.trigger} job must use the ${purpose} role ${role.arn}`);
      continue;
    }
    if (!ids.oidcProvider.clientIds.includes(hop.audience)) problems.push(`${hop.job}: audience ${hop.audience} is not a client of the OIDC provider`);
    const request = (claims: Record<string, string>) => ({ federatedPrincipal: ids.oidcProvider.arn, action: "sts:AssumeRoleWithWebIdentity", claims });
    if (!trustAllows(role.trust, request(claimsOf(env.ci.repository, hop.githubEnvironment, hop.audience)))) {
      problems.push(`${hop.job}: runs in GitHub environment "${hop.githubEnvironment}", which the trust of ${role.name} refuses`);
    }
  }
  for (const [purpose, role] of Object.entries(roles)) {
    const own = purpose === "plan" ? planEnvironmentName(env.name) : env.name;
    for (const claims of otherContexts(env, all, own)) {
      if (trustAllows(role.trust, { federatedPrincipal: ids.oidcProvider.arn, action: "sts:AssumeRoleWithWebIdentity", claims })) {
        problems.push(`${role.name}: its trust admits ${Object.values(claims)[0]}; only the "${own}" environment may assume it`);
      }
    }
  }
  const provider = (ids.platform.json.provider as any).aws[0];
  if (provider.assume_role) problems.push(`${env.name}: the platform stack's provider assumes ${JSON.stringify(provider.assume_role)}; the CI role must be the identity that deploys`);
  if (String(provider.allowed_account_ids) !== env.account.id) problems.push(`${env.name}: allowed_account_ids is ${provider.allowed_account_ids}, not ${env.account.id}`);
  return problems;
}

/**
 * The S3 backend's calls for a stack's state (Terraform >= 1.10 with `use_lockfile`): list the
 * bucket, read the state, create and delete the lock file beside it (a plan locks too), write the
 * state (apply); SSE-KMS with the state bucket's key, through S3.
 */
export function stateCalls(m: StackModel, stateKey: Identities["stateKey"]): ResourceCalls[] {
  if (!m.state) return [];
  const object = `arn:aws:s3:::${m.state.bucket}/${m.state.key}`;
  const via = { "kms:ViaService": `s3.${m.region}.amazonaws.com` };
  const call = (phase: Call["phase"], action: string, resource: string, extra: Partial<Call> = {}): Call => ({ phase, action, resource, untagged: true, ...extra });
  return [
    {
      address: `state s3://${m.state.bucket}/${m.state.key}`,
      type: "terraform_state",
      calls: [
        call("read", "s3:ListBucket", `arn:aws:s3:::${m.state.bucket}`),
        call("read", "s3:GetObject", object),
        call("read", "s3:PutObject", `${object}.tflock`),
        call("read", "s3:DeleteObject", `${object}.tflock`),
        call("read", "kms:Decrypt", stateKey.arn, { context: via, keyPolicy: stateKey.policy }),
        call("read", "kms:GenerateDataKey", stateKey.arn, { context: via, keyPolicy: stateKey.policy }),
        call("update", "s3:PutObject", object),
      ],
    },
  ];
}

/**
 * Calls the stack needs that the role is not allowed, as `<address> <action> <resource> → <decision>`.
 * The apply role must make every call; the plan role every read. Its state's calls count when the
 * model says where its state lives (`stateKey` given).
 */
export async function uncoveredCalls(purpose: "plan" | "apply", role: Role, m: StackModel, types?: readonly string[], stateKey?: Identities["stateKey"]): Promise<string[]> {
  const missing: string[] = [];
  for (const { address, type, calls } of [...callsOf(m), ...(stateKey ? stateCalls(m, stateKey) : [])]) {
    if (types && !types.includes(type)) continue;
    for (const call of calls) {
      if (purpose === "plan" && call.phase !== "read") continue;
      const decision = await decide(role, call, m.tags);
      if (decision !== "Allowed") missing.push(`${address} ${call.action} ${call.resource} → ${decision}`);
    }
  }
  return missing;
}
