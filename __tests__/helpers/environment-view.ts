import type { TerraformJson } from "../../policies";

/**
 * One environment read as a single stack: the core's blocks and every pipeline stack's, with each
 * pipeline's read of the core's parameter (`jsondecode(data.aws_ssm_parameter.….insecure_value).<key>`)
 * replaced by the core's reference the parameter is written from. Tests about values across the
 * environment (IAM simulation, event matching, costs) read this view; tests about a stack's own
 * order, backend and budget read the stacks themselves.
 *
 * It fails, naming what is wrong, when a pipeline reads a key the core does not write or two stacks
 * use one address: a broken interface never becomes a passing view.
 */
export function mergedEnvironment(core: TerraformJson, pipelines: readonly { readonly stackName: string; readonly json: TerraformJson }[]): TerraformJson {
  const published = publishedIds(core);
  const resource: Record<string, Record<string, Record<string, unknown>>> = {};
  const data: Record<string, Record<string, Record<string, unknown>>> = {};
  const owner = new Map<string, string>();
  const add = (into: typeof resource, blocks: TerraformJson["resource"], stackName: string, prefix: string) => {
    for (const [type, byName] of Object.entries(blocks ?? {})) {
      for (const [name, config] of Object.entries(byName)) {
        const address = `${prefix}${type}.${name}`;
        if (owner.has(address)) throw new Error(`${address} is in both ${owner.get(address)} and ${stackName}`);
        owner.set(address, stackName);
        (into[type] ??= {})[name] = config;
      }
    }
  };
  add(resource, core.resource, "the core", "");
  add(data, core.data, "the core", "data.");
  for (const { stackName, json } of pipelines) {
    const rewritten = JSON.parse(
      JSON.stringify({ resource: json.resource ?? {}, data: json.data ?? {} }).replace(READ_OF_CORE, (_whole, key: string) => {
        const expression = published.get(key);
        if (!expression) throw new Error(`${stackName} reads "${key}" from the core's parameter, which the core does not write (it writes ${[...published.keys()].join(", ")})`);
        return expression;
      }),
    ) as Pick<TerraformJson, "resource" | "data">;
    add(resource, rewritten.resource, stackName, "");
    const { aws_ssm_parameter: _read, ...otherData } = (rewritten.data ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
    add(data, otherData, stackName, "data.");
  }
  return { ...core, resource, data };
}

const READ_OF_CORE = /jsondecode\(data\.aws_ssm_parameter\.[A-Za-z0-9_-]+\.insecure_value\)\.([a-z_]+)/g;

/** The core parameter's keys and the expression each is written from. */
export function publishedIds(core: TerraformJson): Map<string, string> {
  const parameters = Object.values(core.resource?.aws_ssm_parameter ?? {});
  if (parameters.length !== 1) throw new Error(`the core has ${parameters.length} SSM parameters; the interface is exactly one`);
  const value = String(parameters[0].value ?? "");
  const pairs = [...value.matchAll(/"([a-z_]+)" = ([A-Za-z0-9_.-]+)/g)];
  if (pairs.length === 0) throw new Error(`the core's parameter value is not a jsonencode of references: ${value}`);
  return new Map(pairs.map(([, key, expression]) => [key, expression]));
}
