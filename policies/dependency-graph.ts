import { TerraformJson } from "./types";

/**
 * The order Terraform will create a synthesized stack in, as Terraform itself derives it: a block
 * depends on every resource or data source that one of its expressions (`${…}`) mentions and on
 * everything in its `depends_on`. Nodes are addresses: `aws_x.name` and `data.aws_x.name`.
 */
export interface DependencyGraph {
  /** Every address in the stack. */
  readonly nodes: ReadonlySet<string>;
  /** Direct dependencies of one address. */
  dependenciesOf(address: string): ReadonlySet<string>;
  /** True when `later` is created after `earlier`: a chain of references or depends_on leads there. */
  orders(later: string, earlier: string): boolean;
}

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** Every block's config by address (resources and data sources). */
export function blocksByAddress(json: TerraformJson): Map<string, Record<string, unknown>> {
  const byAddress = new Map<string, Record<string, unknown>>();
  const add = (blocks: Blocks | undefined, prefix: string) => {
    for (const [type, byName] of Object.entries(blocks ?? {})) {
      for (const [name, config] of Object.entries(byName)) byAddress.set(`${prefix}${type}.${name}`, config);
    }
  };
  add(json.resource as Blocks | undefined, "");
  add(json.data as Blocks | undefined, "data.");
  return byAddress;
}

/** Every string in a block's configuration, without cdktf's `//` metadata. */
export function* configStrings(value: unknown, path: readonly string[] = []): Generator<{ path: readonly string[]; value: string }> {
  if (typeof value === "string") yield { path, value };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* configStrings(v, [...path, String(i)]);
  else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) if (key !== "//") yield* configStrings(v, [...path, key]);
  }
}

const INTERPOLATION = /\$\{([^}]*)\}/g;
const ADDRESS_IN_EXPRESSION = /\b((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g;

/** Addresses an expression text mentions (only those that exist in the stack count). */
export function referencedAddresses(text: string, nodes: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const [, body] of text.matchAll(INTERPOLATION)) {
    for (const [, address] of body.matchAll(ADDRESS_IN_EXPRESSION)) if (nodes.has(address)) found.push(address);
  }
  return found;
}

export function dependencyGraph(json: TerraformJson): DependencyGraph {
  const blocks = blocksByAddress(json);
  const nodes = new Set(blocks.keys());
  const edges = new Map<string, Set<string>>();
  for (const [address, config] of blocks) {
    const direct = new Set<string>();
    for (const { value } of configStrings(config)) for (const dependency of referencedAddresses(value, nodes)) direct.add(dependency);
    for (const entry of Array.isArray(config.depends_on) ? config.depends_on : []) {
      if (typeof entry === "string" && nodes.has(entry)) direct.add(entry);
    }
    direct.delete(address);
    edges.set(address, direct);
  }
  const closure = new Map<string, Set<string>>();
  const reachable = (address: string, visiting = new Set<string>()): Set<string> => {
    const cached = closure.get(address);
    if (cached) return cached;
    const all = new Set<string>();
    visiting.add(address);
    for (const dependency of edges.get(address) ?? []) {
      all.add(dependency);
      if (!visiting.has(dependency)) for (const further of reachable(dependency, visiting)) all.add(further);
    }
    visiting.delete(address);
    closure.set(address, all);
    return all;
  };
  return {
    nodes,
    dependenciesOf: (address) => edges.get(address) ?? new Set(),
    orders: (later, earlier) => reachable(later).has(earlier),
  };
}
