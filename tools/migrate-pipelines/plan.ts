/**
 * How an environment deployed as one stack moves into its core stack and one stack per pipeline,
 * with nothing destroyed (docs/stacks.md, "Moving a deployed environment"). `moved` blocks cannot
 * cross states, so each resource a pipeline stack now holds is imported there (`import` blocks) and
 * forgotten by the core (`terraform state rm`). Pure: the old state (`terraform state pull`) and
 * the new synthesized stacks in, the migration out.
 *
 * Each pipeline stack builds its resources at the construct paths they had, so a resource keeps its
 * address; the move is matched by address and checked by identity (the same name, bucket, key… in
 * the configuration and the state), so a changed address or a renamed resource is a problem
 * reported before anything is run, never a wrong import.
 */
import { Attributes, MIGRATION_RULES, RETIRED_CLEANUP, isRecreated } from "./rules";

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

export interface StackJson {
  readonly stack: string;
  readonly json: { readonly resource?: Blocks };
}

export interface StateInstance {
  readonly address: string;
  readonly type: string;
  readonly attributes: Attributes;
}

export interface Migration {
  /** The environment's core stack, whose state the resources leave. */
  readonly core: string;
  /** Imported into a pipeline stack: its address there, and the id `import` takes. */
  readonly moves: readonly { readonly stack: string; readonly address: string; readonly type: string; readonly importId: string }[];
  /** Created anew by a pipeline stack and forgotten by the core, with why. */
  readonly recreated: readonly { readonly stack: string; readonly address: string; readonly type: string; readonly why: string }[];
  /** Resources the new layout no longer has (each pipeline's own trigger roles and queues, now shared): forgotten, left in AWS. */
  readonly retired: readonly { readonly address: string; readonly type: string; readonly stateful: boolean; readonly command: string }[];
  /** New in a pipeline stack: nothing in the old state is this resource. */
  readonly created: readonly { readonly stack: string; readonly address: string }[];
  /** Addresses the core keeps. */
  readonly stays: readonly string[];
  /** What `terraform state rm` removes from the core's state: moved, recreated and retired. */
  readonly stateRemovals: readonly string[];
  /** Why the migration cannot go ahead as is; empty when it can. */
  readonly problems: readonly string[];
}

/** Managed resource instances of a state (`terraform state pull`, format version 4). */
export function stateInstances(state: unknown): StateInstance[] {
  const document = state as { version?: unknown; resources?: unknown };
  if (!document || document.version !== 4 || !Array.isArray(document.resources)) throw new Error("not a Terraform state (format version 4): expected `terraform state pull` output");
  return (document.resources as { mode: string; type: string; name: string; module?: string; instances: { index_key?: string | number; attributes: Attributes }[] }[])
    .filter((r) => r.mode === "managed")
    .flatMap((r) =>
      r.instances.map((instance) => {
        const key = instance.index_key === undefined ? "" : typeof instance.index_key === "number" ? `[${instance.index_key}]` : `[${JSON.stringify(instance.index_key)}]`;
        return { address: `${r.module ? `${r.module}.` : ""}${r.type}.${r.name}${key}`, type: r.type, attributes: instance.attributes };
      }),
    );
}

/** Attributes that name a resource, checked for whatever the core keeps at an address. */
const CORE_IDENTITY = ["name", "bucket", "alarm_name", "function_name", "workgroup_name", "namespace_name", "data_set_id", "key"];

/** A configuration value with the references it can resolve in its own stack replaced (a referenced resource's literal attribute). */
function resolveIn(json: StackJson["json"], value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return value.replace(/\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g, (whole, type: string, name: string, attribute: string) => {
    const target = json.resource?.[type]?.[name]?.[attribute];
    return typeof target === "string" && !target.includes("${") ? target : whole;
  });
}

/** Whether a configured value (references left unresolved match anything) is the state's value. */
/** Keys that name their content (`<…>/<sha256>.json`): a new content is a new key, not another object. */
const CONTENT_HASH = /[0-9a-f]{64}/;
const withoutContentHash = (key: string): string => key.replace(new RegExp(CONTENT_HASH.source, "g"), "<sha256>");

/** The key of a content-addressed object whose content changed since the state was applied, or undefined. */
function changedContentKey(json: StackJson["json"], instance: StateInstance): string | undefined {
  if (instance.type !== "aws_s3_object") return undefined;
  const [type, name] = instance.address.split(".");
  const configured = resolveIn(json, json.resource?.[type]?.[name]?.key);
  const actual = instance.attributes.key;
  if (configured === undefined || typeof actual !== "string" || configured === actual || !CONTENT_HASH.test(actual)) return undefined;
  return withoutContentHash(configured) === withoutContentHash(actual) ? configured : undefined;
}

function sameValue(configured: string, actual: unknown): boolean {
  if (typeof actual !== "string") return false;
  const pattern = configured
    .split(/\$\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`, "s").test(actual);
}

function identityProblems(json: StackJson["json"], instance: StateInstance, attributes: readonly string[], where: string): string[] {
  const [type, name] = instance.address.split(".");
  const config = json.resource?.[type]?.[name];
  if (!config) return [`${instance.address}: not in ${where}`];
  return attributes.flatMap((attribute) => {
    const configured = resolveIn(json, config[attribute]);
    if (configured === undefined) return attributes === CORE_IDENTITY ? [] : [`${instance.address}: ${where} sets no ${attribute} to match the state's ${JSON.stringify(instance.attributes[attribute])}`];
    // The core's own plan replaces a content-addressed object whose content changed, as any deploy does.
    const [expected, found] = attribute === "key" && attributes === CORE_IDENTITY && typeof instance.attributes.key === "string" ? [withoutContentHash(configured), withoutContentHash(instance.attributes.key)] : [configured, instance.attributes[attribute]];
    return sameValue(expected, found)
      ? []
      : [`${instance.address}: ${attribute} is ${JSON.stringify(instance.attributes[attribute])} in the state but ${JSON.stringify(configured)} in ${where}: not the same object; the address changed meaning`];
  });
}

const addressesOf = (json: StackJson["json"]): string[] => Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));

/** The migration of an environment's state into its core stack and its pipeline stacks. */
export function migrationPlan(input: { readonly core: StackJson; readonly pipelines: readonly StackJson[]; readonly state: unknown }): Migration {
  const instances = stateInstances(input.state);
  const coreAddresses = new Set(addressesOf(input.core.json));
  const owner = new Map<string, StackJson>();
  const problems: string[] = [];
  for (const pipeline of input.pipelines) {
    for (const address of addressesOf(pipeline.json)) {
      if (coreAddresses.has(address) || owner.has(address)) problems.push(`${address} is in ${owner.get(address)?.stack ?? input.core.stack} and in ${pipeline.stack}: one address, one state`);
      owner.set(address, pipeline);
    }
  }
  const moves: Migration["moves"][number][] = [];
  const recreated: Migration["recreated"][number][] = [];
  const retired: Migration["retired"][number][] = [];
  const stays: string[] = [];
  for (const instance of instances) {
    if (coreAddresses.has(instance.address)) {
      problems.push(...identityProblems(input.core.json, instance, CORE_IDENTITY, input.core.stack));
      stays.push(instance.address);
      continue;
    }
    const pipeline = owner.get(instance.address);
    if (pipeline) {
      const rule = MIGRATION_RULES[instance.type];
      if (!rule) {
        problems.push(`${instance.address}: no migration rule for ${instance.type} (tools/migrate-pipelines/rules.ts): add its identity and import id from the provider's documentation`);
        continue;
      }
      if (isRecreated(rule)) {
        recreated.push({ stack: pipeline.stack, address: instance.address, type: instance.type, why: rule.recreate });
        continue;
      }
      const newKey = changedContentKey(pipeline.json, instance);
      if (newKey) {
        const old = `s3://${String(instance.attributes.bucket)}/${String(instance.attributes.key)}`;
        recreated.push({ stack: pipeline.stack, address: instance.address, type: instance.type, why: `its key names its content, which changed since the deployed version: the stack writes ${newKey}; ${old} is forgotten, not deleted (aws s3 rm ${old} once no job run reads it)` });
        continue;
      }
      const mismatch = identityProblems(pipeline.json, instance, rule.identity, pipeline.stack);
      if (mismatch.length > 0) {
        problems.push(...mismatch);
        continue;
      }
      try {
        moves.push({ stack: pipeline.stack, address: instance.address, type: instance.type, importId: rule.importId(instance.attributes) });
      } catch (error) {
        problems.push(`${instance.address}: no import id: ${(error as Error).message}`);
      }
      continue;
    }
    const cleanup = RETIRED_CLEANUP[instance.type];
    if (!cleanup) {
      problems.push(`${instance.address}: the new layout has no ${instance.type} at this address and no rule says how to retire it (tools/migrate-pipelines/rules.ts); nothing may be dropped unexamined`);
      continue;
    }
    try {
      retired.push({ address: instance.address, type: instance.type, stateful: cleanup.stateful, command: cleanup.command(instance.attributes) });
    } catch (error) {
      problems.push(`${instance.address}: cannot say how to delete it: ${(error as Error).message}`);
    }
  }
  const inState = new Set(instances.map((i) => i.address));
  const created = input.pipelines.flatMap((p) => addressesOf(p.json).filter((address) => !inState.has(address)).map((address) => ({ stack: p.stack, address })));
  return {
    core: input.core.stack,
    moves,
    recreated,
    retired,
    created,
    stays,
    stateRemovals: [...moves, ...recreated, ...retired].map((r) => r.address),
    problems,
  };
}

/** A pipeline stack's `import` blocks, as a Terraform JSON file to put beside its `cdk.tf.json`. */
export function importBlocks(migration: Migration, stack: string): { import: { to: string; id: string }[] } {
  return { import: migration.moves.filter((m) => m.stack === stack).map((m) => ({ to: m.address, id: m.importId })) };
}

/** The core's `terraform state rm` commands, one address per line (quoted: addresses hold `-`). */
export function stateRemovalScript(migration: Migration): string {
  return [
    "#!/bin/sh",
    `# Run in the core stack's folder (cdktf.out/stacks/${migration.core}) after \`terraform state pull > backup.tfstate\`.`,
    "# Removes from the core's state what its pipeline stacks import, re-create or the new layout retires: nothing is destroyed.",
    "set -eu",
    ...migration.stateRemovals.map((address) => `terraform state rm -lock-timeout=5m '${address}'`),
    "",
  ].join("\n");
}
