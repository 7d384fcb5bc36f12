/**
 * The policy suite's vocabulary. Rules are data (id, description, the public scanners' ids, the
 * resource types they read, a check, and exemptions each with a reason), run by `harness.ts` over
 * every environment's synthesized `cdk.tf.json`.
 */

/** The part of a synthesized `cdk.tf.json` that rules read. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, readonly Record<string, unknown>[]>;
  readonly terraform?: Record<string, unknown>;
  readonly output?: Record<string, Record<string, unknown>>;
}

/** One resource block, with its Terraform address. */
export interface ResourceBlock {
  readonly type: string;
  readonly name: string;
  /** `type.name`, as Terraform and reviewers know it. */
  readonly address: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** What a rule knows about the stack it runs in. */
export interface PolicyContext {
  readonly stackName: string;
  readonly environment: string;
  readonly production: boolean;
  readonly json: TerraformJson;
  /** Stacks applied before this one (see `StackUnderTest.upstream`). */
  readonly upstream?: readonly { readonly stackName: string; readonly json: TerraformJson }[];
  /** Stacks not applied before it, which it may not name (see `StackUnderTest.peers`). */
  readonly peers?: readonly { readonly stackName: string; readonly json: TerraformJson }[];
  /** Every resource of the given type. */
  resourcesOfType(type: string): ResourceBlock[];
  /**
   * Resources of the given type that exist when this stack is applied: its own and those of the
   * stacks applied before it (`upstream`, a pipeline stack's core), which it may name or use.
   */
  available(type: string): ResourceBlock[];
  /** Resources of `type` whose `attribute` references `target` (by interpolation or literal). */
  companions(target: ResourceBlock, type: string, attribute?: string): ResourceBlock[];
  /** Every resource in the stack. */
  allResources(): ResourceBlock[];
}

/** A resource a rule does not apply to, and why: reviewed in code, never a silent skip. */
export interface Exemption {
  /** Matches resource addresses (exact string or pattern). */
  readonly address: string | RegExp;
  readonly reason: string;
}

export interface PolicyRule {
  readonly id: string;
  readonly description: string;
  /** Equivalent public checks (checkov, trivy/tfsec, cdk-nag), for the reasoning behind the rule. */
  readonly references: readonly string[];
  /** Resource types whose blocks are passed to `check`; empty means the rule checks the stack. */
  readonly resourceTypes: readonly string[];
  /**
   * Returns a reason when the rule does not apply to this stack at all (for example a prod-only
   * rule in dev); the harness reports it instead of skipping silently.
   */
  readonly notApplicable?: (context: PolicyContext) => string | undefined;
  /** Problems with one resource (or, with no resource types, with the stack); empty when it passes. */
  readonly check: (resource: ResourceBlock | undefined, context: PolicyContext) => string[];
  readonly exemptions?: readonly Exemption[];
}

export interface Violation {
  readonly ruleId: string;
  readonly stackName: string;
  readonly address: string;
  readonly message: string;
}

export interface PolicyReport {
  readonly violations: Violation[];
  readonly notApplicable: { ruleId: string; stackName: string; reason: string }[];
  readonly exempted: { ruleId: string; stackName: string; address: string; reason: string }[];
  /** How many (rule, resource) pairs were evaluated: a suite that checked nothing is suspicious. */
  readonly evaluations: number;
}
