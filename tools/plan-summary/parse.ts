/**
 * Reads `terraform show -json <planfile>` output into the few facts a reviewer needs.
 *
 * Attribute VALUES are deliberately dropped here, at the edge: nothing downstream can print a
 * secret it never received. Only attribute names survive, and only for in-place updates, and only
 * when neither side of the change marks that attribute sensitive.
 */

/** One action per resource, folded from Terraform's action lists. */
export type PlanAction = "create" | "update" | "replace" | "delete" | "read" | "forget" | "no-op";

export interface ResourceChangeSummary {
  readonly address: string;
  /** e.g. `module.github["demo"]`; empty for the root module. */
  readonly modulePath: string;
  readonly type: string;
  readonly action: PlanAction;
  /** For replaces: `delete-first` (Terraform's default) or `create-first` (create_before_destroy). */
  readonly replaceOrder?: "delete-first" | "create-first";
  readonly actionReason?: string;
  /** Attribute paths that forced a replacement, rendered like `tags["Name"]` or `rule[0].id`. */
  readonly replacePaths: readonly string[];
  /** Top-level attribute names that change in an update; never sensitive ones. */
  readonly changedAttributes: readonly string[];
  /** How many changed attributes were left out because they are sensitive. */
  readonly sensitiveChangedAttributes: number;
  readonly previousAddress?: string;
  /** The id Terraform imports the resource by (an `import` block), when it does. */
  readonly importingId?: string;
}

export interface OutputChangeSummary {
  readonly name: string;
  readonly action: PlanAction;
  readonly sensitive: boolean;
}

export interface PlanSummaryInput {
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  readonly errored: boolean;
  readonly resourceChanges: readonly ResourceChangeSummary[];
  readonly resourceDrift: readonly ResourceChangeSummary[];
  readonly outputChanges: readonly OutputChangeSummary[];
}

/** A file that is not a usable plan; the message names the file and the problem. */
export class PlanInputError extends Error {
  override readonly name = "PlanInputError";
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Folds Terraform's `change.actions` list into one action. */
export function foldActions(actions: readonly string[]): { action: PlanAction; replaceOrder?: "delete-first" | "create-first" } | undefined {
  const key = actions.join(",");
  switch (key) {
    case "create":
    case "update":
    case "delete":
    case "read":
    case "forget":
    case "no-op":
      return { action: key };
    case "delete,create":
      return { action: "replace", replaceOrder: "delete-first" };
    case "create,delete":
      return { action: "replace", replaceOrder: "create-first" };
    default:
      return undefined;
  }
}

/** Renders a replace path such as `["tags", "Name"]` or `["rule", 0, "id"]`. */
export function formatAttributePath(steps: readonly Json[]): string {
  return steps
    .map((step, index) => {
      if (typeof step === "number") return `[${step}]`;
      const name = String(step);
      if (index === 0) return name;
      return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
    })
    .join("");
}

/**
 * True when Terraform's sensitivity mask marks `key` sensitive: the whole value is sensitive, or
 * any part of that attribute is (a nested mask with a `true` leaf). Coarse on purpose: without
 * values a reviewer cannot tell which nested part changed, so the name is withheld entirely.
 */
export function isSensitive(mask: Json | undefined, key: string): boolean {
  if (mask === true) return true;
  return isObject(mask) && containsTrue(mask[key]);
}

function containsTrue(value: Json | undefined): boolean {
  if (value === true) return true;
  if (Array.isArray(value)) return value.some(containsTrue);
  if (isObject(value)) return Object.values(value).some(containsTrue);
  return false;
}

/**
 * Names of top-level attributes whose before/after differ, or that become unknown. Sensitive names
 * are counted but not returned.
 */
export function changedAttributeNames(change: JsonObject): { names: string[]; sensitiveCount: number } {
  const before = isObject(change.before) ? change.before : {};
  const after = isObject(change.after) ? change.after : {};
  const unknown = isObject(change.after_unknown) ? change.after_unknown : {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  const names: string[] = [];
  let sensitiveCount = 0;
  for (const key of [...keys].sort()) {
    const differs = JSON.stringify(before[key]) !== JSON.stringify(after[key]) || containsTrue(unknown[key]);
    if (!differs) continue;
    if (isSensitive(change.before_sensitive, key) || isSensitive(change.after_sensitive, key)) sensitiveCount++;
    else names.push(key);
  }
  return { names, sensitiveCount };
}

/** The module part of an address: what precedes `[data.]<type>.<name>[<index>]`. */
export function modulePathOf(entry: JsonObject): string {
  if (typeof entry.module_address === "string") return entry.module_address;
  const address = String(entry.address);
  const local = `${entry.mode === "data" ? "data." : ""}${String(entry.type)}.${String(entry.name)}`;
  const at = address.lastIndexOf(local);
  return at > 0 ? address.slice(0, at - 1) : "";
}

function parseResourceChange(entry: Json, where: string): ResourceChangeSummary {
  if (!isObject(entry) || typeof entry.address !== "string" || !isObject(entry.change)) {
    throw new PlanInputError(`${where}: not a resource change (needs "address" and "change")`);
  }
  const change = entry.change;
  const actions = Array.isArray(change.actions) ? change.actions.map(String) : [];
  const folded = foldActions(actions);
  if (!folded) throw new PlanInputError(`${where} (${entry.address}): unknown actions [${actions.join(", ")}]`);
  const { names, sensitiveCount } =
    folded.action === "update" ? changedAttributeNames(change) : { names: [], sensitiveCount: 0 };
  const replacePaths = Array.isArray(change.replace_paths)
    ? change.replace_paths.map((path) => formatAttributePath(Array.isArray(path) ? path : [path]))
    : [];
  return {
    address: entry.address,
    modulePath: modulePathOf(entry),
    type: String(entry.type ?? ""),
    action: folded.action,
    ...(folded.replaceOrder ? { replaceOrder: folded.replaceOrder } : {}),
    ...(typeof entry.action_reason === "string" ? { actionReason: entry.action_reason } : {}),
    ...(typeof entry.previous_address === "string" ? { previousAddress: entry.previous_address } : {}),
    ...(isObject(change.importing) && typeof change.importing.id === "string" ? { importingId: change.importing.id } : {}),
    replacePaths,
    changedAttributes: names,
    sensitiveChangedAttributes: sensitiveCount,
  };
}

function parseResourceList(value: Json | undefined, field: string): ResourceChangeSummary[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new PlanInputError(`"${field}" is not a list`);
  return value.map((entry, index) => parseResourceChange(entry, `${field}[${index}]`));
}

function parseOutputChanges(value: Json | undefined): OutputChangeSummary[] {
  if (!isObject(value)) return [];
  return Object.entries(value).map(([name, change]) => {
    const record = isObject(change) ? change : {};
    const actions = Array.isArray(record.actions) ? record.actions.map(String) : [];
    const folded = foldActions(actions);
    if (!folded) throw new PlanInputError(`output_changes.${name}: unknown actions [${actions.join(", ")}]`);
    return {
      name,
      action: folded.action,
      sensitive: containsTrue(record.before_sensitive) || containsTrue(record.after_sensitive),
    };
  });
}

/**
 * Turns parsed JSON into the summary input. Throws PlanInputError when the document is not a plan:
 * a state file (`terraform show -json` without a plan) has `values` but no `planned_values`.
 */
export function parsePlan(document: unknown): PlanSummaryInput {
  if (!isObject(document)) throw new PlanInputError("not a Terraform plan: the JSON is not an object");
  const formatVersion = document.format_version;
  if (typeof formatVersion !== "string") throw new PlanInputError('not a Terraform plan: no "format_version"');
  const looksLikePlan =
    "resource_changes" in document || "planned_values" in document || document.errored === true;
  if (!looksLikePlan) {
    throw new PlanInputError('not a Terraform plan: no "resource_changes" or "planned_values" (is it a state file?)');
  }
  if (!/^[01]\./.test(formatVersion)) {
    throw new PlanInputError(`unsupported plan format_version ${formatVersion} (this tool reads 0.x and 1.x)`);
  }
  return {
    formatVersion,
    ...(typeof document.terraform_version === "string" ? { terraformVersion: document.terraform_version } : {}),
    errored: document.errored === true,
    resourceChanges: parseResourceList(document.resource_changes, "resource_changes"),
    resourceDrift: parseResourceList(document.resource_drift, "resource_drift"),
    outputChanges: parseOutputChanges(document.output_changes),
  };
}
