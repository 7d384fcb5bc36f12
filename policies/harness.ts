import { PolicyContext, PolicyReport, PolicyRule, ResourceBlock, TerraformJson } from "./types";

/** Another stack of the same environment, as a rule may read it. */
export interface NeighbourStack {
  readonly stackName: string;
  readonly json: TerraformJson;
}

export interface StackUnderTest {
  readonly stackName: string;
  readonly environment: string;
  readonly production: boolean;
  readonly json: TerraformJson;
  /**
   * Stacks applied before this one (a pipeline stack's core): what they create exists when this
   * stack is planned, so it may name it by a literal. @default none
   */
  readonly upstream?: readonly NeighbourStack[];
  /**
   * Stacks of the environment not applied before it, which it may not name (a pipeline stack's
   * fellow pipeline stacks; the core's pipeline stacks). @default none
   */
  readonly peers?: readonly NeighbourStack[];
}

/** Every resource block of a stack, with its address. */
function resourceBlocks(json: TerraformJson): ResourceBlock[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([name, config]) => ({ type, name, address: `${type}.${name}`, config })));
}

/** Builds the read-only view of one stack that rules use. */
export function policyContext(stack: StackUnderTest): PolicyContext {
  const all = resourceBlocks(stack.json);
  const byType = new Map<string, ResourceBlock[]>();
  for (const block of all) byType.set(block.type, [...(byType.get(block.type) ?? []), block]);
  const upstream = (stack.upstream ?? []).flatMap((u) => resourceBlocks(u.json));
  return {
    ...stack,
    resourcesOfType: (type) => byType.get(type) ?? [],
    available: (type) => [...(byType.get(type) ?? []), ...upstream.filter((block) => block.type === type)],
    allResources: () => all,
    companions: (target, type, attribute = "bucket") =>
      (byType.get(type) ?? []).filter((candidate) => refersTo(candidate.config[attribute], target)),
  };
}

/** True when `value` is an interpolation of `target` (`${type.name.attr}`) or its literal name. */
export function refersTo(value: unknown, target: ResourceBlock): boolean {
  if (typeof value !== "string") return false;
  if (value.includes(`\${${target.address}.`)) return true;
  const literalNames = ["bucket", "name", "id"].map((k) => target.config[k]).filter((v) => typeof v === "string");
  return literalNames.includes(value);
}

/** Runs every rule over every stack; never throws for a violation, so all are reported at once. */
export function runPolicies(stacks: readonly StackUnderTest[], rules: readonly PolicyRule[]): PolicyReport {
  const report: PolicyReport = { violations: [], notApplicable: [], exempted: [], evaluations: 0 };
  let evaluations = 0;
  for (const stack of stacks) {
    const context = policyContext(stack);
    for (const rule of rules) {
      const reason = rule.notApplicable?.(context);
      if (reason) {
        report.notApplicable.push({ ruleId: rule.id, stackName: stack.stackName, reason });
        continue;
      }
      const targets: (ResourceBlock | undefined)[] =
        rule.resourceTypes.length === 0 ? [undefined] : rule.resourceTypes.flatMap((t) => context.resourcesOfType(t));
      for (const target of targets) {
        const address = target?.address ?? stack.stackName;
        const exemption = rule.exemptions?.find((e) => (typeof e.address === "string" ? e.address === address : e.address.test(address)));
        if (exemption) {
          report.exempted.push({ ruleId: rule.id, stackName: stack.stackName, address, reason: exemption.reason });
          continue;
        }
        evaluations += 1;
        for (const message of rule.check(target, context)) {
          report.violations.push({ ruleId: rule.id, stackName: stack.stackName, address, message });
        }
      }
    }
  }
  return { ...report, evaluations };
}

export function formatViolations(report: PolicyReport): string {
  return report.violations.map((v) => `[${v.ruleId}] ${v.stackName} ${v.address}: ${v.message}`).join("\n");
}

/** Nested blocks may be synthesized as an object or a one-element array: read both the same way. */
export function block(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === "object" ? (first as Record<string, unknown>) : undefined;
}

export function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => v !== null && typeof v === "object");
  const one = block(value);
  return one ? [one] : [];
}

/** Parses a policy attribute that holds JSON text; undefined when it is not JSON. */
export function parseJsonAttribute(value: unknown): unknown {
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The lifecycle meta-argument as synthesized. */
export function lifecycleOf(resource: ResourceBlock): Record<string, unknown> {
  return block(resource.config.lifecycle) ?? {};
}
