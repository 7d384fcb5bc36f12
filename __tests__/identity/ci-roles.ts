/**
 * The identities of one environment as its bootstrap stack synthesizes them: the CI roles (trust
 * and attached policies, references resolved to ARNs), the OIDC provider and the permissions
 * boundary; and a simulator that decides a provider call for a role.
 */
import { createHash } from "node:crypto";
import { simulate, type Decision } from "../helpers/iam";
import type { SynthesizedEnvironment } from "../helpers/synth";
import { pipelineStateKey } from "../../stacks/providers";
import type { Call } from "./terraform-calls";
import { StackModel, arnOf, referencedName, resolve, resolvedJson, stackModel } from "./terraform-model";

export interface Role {
  readonly name: string;
  readonly arn: string;
  readonly trust: any;
  /** Managed policies attached to it, and inline ones, resolved. */
  readonly policies: any[];
}

export interface Identities {
  readonly bootstrap: StackModel;
  /** The whole environment (core and pipeline stacks) as one model. */
  readonly platform: StackModel;
  /**
   * Each stack CI plans and applies, the core first: the environment's model cut to that stack's
   * blocks, with its own state object.
   */
  readonly stacks: readonly { readonly name: string; readonly model: StackModel }[];
  /** The state bucket's key (bootstrap's), which S3 uses for every state object. */
  readonly stateKey: { readonly arn: string; readonly policy: unknown };
  readonly plan: Role;
  readonly apply: Role;
  readonly oidcProvider: { readonly arn: string; readonly url: string; readonly clientIds: readonly string[] };
  readonly boundary: { readonly arn: string; readonly policy: any };
}

/** A role of a stack with every policy attached to it (managed or inline). */
export function roleOf(m: StackModel, roleName: string): Role {
  const resources = m.json.resource as any;
  const entry = Object.entries(resources.aws_iam_role ?? {}).find(([, r]: [string, any]) => r.name === roleName);
  if (!entry) throw new Error(`no aws_iam_role named ${roleName}`);
  const [key, role] = entry as [string, any];
  const forRole = (value: unknown) => referencedName(value, "aws_iam_role") === key;
  const attached = Object.values(resources.aws_iam_role_policy_attachment ?? {})
    .filter((a: any) => forRole(a.role))
    .map((a: any) => resolvedJson(m, resources.aws_iam_policy[referencedName(a.policy_arn, "aws_iam_policy")!].policy));
  const inline = Object.values(resources.aws_iam_role_policy ?? {})
    .filter((p: any) => forRole(p.role))
    .map((p: any) => resolvedJson(m, p.policy));
  return { name: roleName, arn: arnOf(m, "aws_iam_role", key), trust: resolvedJson(m, role.assume_role_policy), policies: [...attached, ...inline] };
}

export function identitiesOf(env: SynthesizedEnvironment): Identities {
  const bootstrap = stackModel(env.bootstrap);
  const resources = env.bootstrap.resource as any;
  const [providerKey, provider] = Object.entries(resources.aws_iam_openid_connect_provider ?? {})[0] ?? [];
  const [boundaryKey, boundary] = Object.entries(resources.aws_iam_policy).find(([, p]: [string, any]) => p.name.endsWith("-permissions-boundary")) as [string, any];
  const prefix = `dp-${env.environment.name}`;
  const addresses = (json: SynthesizedEnvironment["core"]) => [
    ...Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)),
    ...Object.entries(json.data ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`)),
  ];
  const state = (key: string) => ({ bucket: env.environment.state.bucket, key });
  const [stateKeyName, stateKey] = Object.entries(resources.aws_kms_key).find(([name]) => name.startsWith("state-key_")) as [string, any];
  return {
    bootstrap,
    platform: stackModel(env.platform),
    stacks: [
      { name: env.coreStackName, model: stackModel(env.platform, { only: new Set(addresses(env.core)), state: state(env.environment.state.key) }) },
      ...env.pipelineStacks.map((p) => ({
        name: p.stackName,
        // The environment resolves its references; its own data sources (the core's parameter) are read by this stack.
        model: stackModel({ ...env.platform, data: { ...env.platform.data, ...p.json.data } }, { only: new Set(addresses(p.json)), state: state(pipelineStateKey(env.environment, p.pipeline)) }),
      })),
    ],
    stateKey: { arn: arnOf(bootstrap, "aws_kms_key", stateKeyName), policy: resolvedJson(bootstrap, stateKey.policy) },
    plan: roleOf(bootstrap, `${prefix}-ci-plan`),
    apply: roleOf(bootstrap, `${prefix}-ci-apply`),
    oidcProvider: provider
      ? { arn: arnOf(bootstrap, "aws_iam_openid_connect_provider", providerKey as string), url: (provider as any).url, clientIds: (provider as any).client_id_list }
      : { arn: `arn:aws:iam::${env.environment.account.id}:oidc-provider/token.actions.githubusercontent.com`, url: "https://token.actions.githubusercontent.com", clientIds: ["sts.amazonaws.com"] },
    boundary: { arn: arnOf(bootstrap, "aws_iam_policy", boundaryKey), policy: resolvedJson(bootstrap, boundary.policy) },
  };
}

/** Request context for the environment's tags: on the request when creating, on the resource otherwise. */
export function tagContext(tags: Readonly<Record<string, string>>, call: Pick<Call, "fresh" | "untagged" | "requestTags">): Record<string, string | string[]> {
  const withPrefix = (prefix: string) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v]));
  const request = call.requestTags ?? (call.fresh && !call.untagged);
  return {
    ...(request ? { ...withPrefix("aws:RequestTag"), "aws:TagKeys": Object.keys(tags) } : {}),
    ...(call.fresh || call.untagged ? {} : withPrefix("aws:ResourceTag")),
  };
}

const cache = new Map<string, Promise<Decision>>();
const policyDigests = new WeakMap<Role, string>();
const objectIds = new WeakMap<object, number>();
let lastObjectId = 0;
const objectId = (value: unknown): number => {
  const object = value as object;
  if (!objectIds.has(object)) objectIds.set(object, ++lastObjectId);
  return objectIds.get(object)!;
};
/** The role's policies as a cache key: a changed copy of a role must not reuse the original's decisions. */
function digestOf(role: Role): string {
  let digest = policyDigests.get(role);
  if (!digest) {
    digest = createHash("sha256").update(JSON.stringify([role.arn, role.policies])).digest("hex");
    policyDigests.set(role, digest);
  }
  return digest;
}

/** Whether a statement's Action (or NotAction) can match an action of `service`. */
function mayMatch(statement: any, service: string): boolean {
  if (statement.NotAction !== undefined) return true;
  return [statement.Action].flat().some((pattern: string) => new RegExp(`^${pattern.split(":")[0]!.replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i").test(service));
}

const relevant = new WeakMap<Role, Map<string, any[]>>();
/**
 * The role's policies cut to the statements that can match the service's actions: the decision is
 * the same (other statements never apply), and the simulator validates far less per call.
 */
function policiesFor(role: Role, service: string): any[] {
  const byService = relevant.get(role) ?? new Map<string, any[]>();
  relevant.set(role, byService);
  if (!byService.has(service)) {
    byService.set(
      service,
      role.policies
        .map((policy) => ({ ...policy, Statement: [policy.Statement].flat().filter((st: any) => mayMatch(st, service)) }))
        .filter((policy) => policy.Statement.length > 0),
    );
  }
  return byService.get(service)!;
}

/**
 * The decision for one call by a role, as IAM would make it: the role's policies, the call's
 * context, the environment's tags on the resource (or request), and the key policy for KMS.
 */
export function decide(role: Role, call: Call, tags: Readonly<Record<string, string>>, extraContext: Record<string, string | string[]> = {}): Promise<Decision> {
  const context = { ...tagContext(tags, call), ...call.context, ...extraContext };
  const key = JSON.stringify([digestOf(role), call.action, call.resource, context, call.keyPolicy ? objectId(call.keyPolicy) : 0]);
  let decision = cache.get(key);
  if (!decision) {
    decision = simulate(policiesFor(role, call.action.split(":")[0]!), call.action, call.resource, {
      principal: role.arn,
      accountId: role.arn.split(":")[4],
      context,
      ...(call.keyPolicy ? { resourcePolicy: call.keyPolicy as any } : {}),
    });
    cache.set(key, decision);
  }
  return decision;
}

/** Resolves a value of a stack the way `terraform-model` does (re-exported for tests). */
export { resolve };
