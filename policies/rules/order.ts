import { DependencyGraph, blocksByAddress, configStrings, dependencyGraph, referencedAddresses } from "../dependency-graph";
import { PolicyContext, PolicyRule, TerraformJson } from "../types";
import { NAMED_RESOURCES, conventionPrefixes } from "./everything";

/**
 * A first apply creates resources in the order of the dependency graph and in parallel where the
 * graph allows. A resource that names another one of the same stack by a literal string has no
 * edge to it, so Terraform may create it first and AWS refuses it (a Glue trigger before its job,
 * bucket logging before its target bucket). The rule finds three kinds of hidden prerequisites and
 * asks that a reference or `depends_on` orders each of them.
 */

/** Attributes that label a resource rather than point at another one. */
const LABEL_ATTRIBUTES = new Set(["tags", "tags_all", "description", "//"]);

/** Which provider type families an ARN's service names, to tell a role from a job of the same name. */
const ARN_SERVICE_TYPES: Record<string, readonly string[]> = {
  s3: ["aws_s3_bucket"],
  iam: ["aws_iam_role", "aws_iam_policy"],
  kinesis: ["aws_kinesis_stream"],
  logs: ["aws_cloudwatch_log_group"],
  glue: ["aws_glue_"],
  states: ["aws_sfn_"],
  sns: ["aws_sns_topic"],
  sqs: ["aws_sqs_queue"],
  events: ["aws_cloudwatch_event_"],
  scheduler: ["aws_scheduler_"],
  "redshift-serverless": ["aws_redshiftserverless_"],
  athena: ["aws_athena_"],
  secretsmanager: ["aws_secretsmanager_secret"],
  quicksight: ["aws_quicksight_"],
  kms: ["aws_kms_"],
  lambda: ["aws_lambda_function"],
};

/**
 * The attributes that hold a resource's own name or id: `name`, and `<noun>_name` or `<noun>_id`
 * where the type ends in that noun (`workgroup_name` of a Redshift workgroup, `data_set_id` of a
 * QuickSight data set), plus the naming attribute of NAMED_RESOURCES (`bucket` of a bucket; an
 * object's `bucket` is where it lives, not its name).
 */
export function identityAttributes(type: string): string[] {
  const parts = type.split("_").slice(1);
  const nouns = parts.map((_, i) => parts.slice(i).join("_"));
  const named = NAMED_RESOURCES[type]?.attribute;
  return [...new Set(["name", ...nouns.flatMap((n) => [`${n}_name`, `${n}_id`]), ...(named ? [named] : [])])];
}

interface Identity {
  readonly address: string;
  readonly type: string;
  readonly value: string;
}

/** The stacks around one stack, for names that cross stacks (see `StackUnderTest`). */
export interface NeighbourIdentities {
  /** Stacks applied before this one: their resources exist when it is applied. */
  readonly upstream: readonly { readonly stackName: string; readonly json: TerraformJson }[];
  /** Stacks not applied before it: nothing orders it after their resources. */
  readonly peers: readonly { readonly stackName: string; readonly json: TerraformJson }[];
}

/** Names the platform chooses (its naming convention); short generic values like "default" are not names of resources. */
function isPlatformName(value: string, environment: string): boolean {
  return conventionPrefixes(environment).some((prefix) => value.startsWith(prefix)) && value.length > 4;
}

function identities(json: TerraformJson, environment: string): Identity[] {
  const found: Identity[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      for (const attribute of identityAttributes(type)) {
        const value = config[attribute];
        if (typeof value === "string" && !value.includes("${") && isPlatformName(value, environment)) found.push({ address: `${type}.${name}`, type, value });
      }
    }
  }
  return found;
}

/** The resources a literal names: equal to a name, or an ARN of the right service ending in it. */
function namedBy(value: string, all: readonly Identity[]): Identity[] {
  const equal = all.filter((identity) => identity.value === value);
  if (equal.length || !value.startsWith("arn:")) return equal;
  const service = value.split(":")[2] ?? "";
  const families = ARN_SERVICE_TYPES[service] ?? [];
  return all.filter((identity) => families.some((f) => identity.type.startsWith(f)) && new RegExp(`[:/]${escapeRegExp(identity.value)}$`).test(value));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Literal names of other resources. Of the same stack: ordered by a reference or depends_on. Of a
 * stack applied before this one (a pipeline stack naming its core's roles, queues, buckets): ordered
 * by the stacks' order, which cdktf records and CI follows (docs/stacks.md), so they are safe. Of a
 * stack not applied before it (another pipeline's, or, from the core, any pipeline's): nothing
 * orders them, so they are refused.
 */
export function literalNameProblems(
  json: TerraformJson,
  environment: string,
  graph: DependencyGraph = dependencyGraph(json),
  neighbours: NeighbourIdentities = { upstream: [], peers: [] },
): string[] {
  const all = identities(json, environment);
  const unordered = neighbours.peers.flatMap((peer) => identities(peer.json, environment).map((identity) => ({ ...identity, stackName: peer.stackName })));
  const problems: string[] = [];
  for (const [address, config] of blocksByAddress(json)) {
    const own = new Set(identityAttributes(address.replace(/^data\./, "").split(".")[0]));
    for (const { path, value } of configStrings(config)) {
      if (path.some((p) => LABEL_ATTRIBUTES.has(p)) || (path.length === 1 && own.has(path[0]))) continue;
      for (const named of namedBy(value, all)) {
        if (named.address === address || graph.orders(address, named.address)) continue;
        problems.push(`${address}.${path.join(".")} names ${named.address} by the literal ${JSON.stringify(value)} but nothing orders it after ${named.address}: use a reference or depends_on`);
      }
      for (const named of namedBy(value, unordered) as (Identity & { stackName: string })[]) {
        problems.push(`${address}.${path.join(".")} names ${named.address} of ${named.stackName} by the literal ${JSON.stringify(value)}, but that stack is not applied before this one: a stack names only its own resources and those of the stacks it depends on`);
      }
    }
  }
  return problems;
}

/**
 * What a stack looks up (its data sources) must exist when it is planned: a data source with a
 * name looks up a resource of a stack applied before it, or the plan fails on a first deploy.
 */
export function crossStackInputProblems(json: TerraformJson, environment: string, neighbours: NeighbourIdentities): string[] {
  const upstream = neighbours.upstream.flatMap((stack) => identities(stack.json, environment));
  const problems: string[] = [];
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      const looksUp = identityAttributes(type).map((attribute) => config[attribute]).filter((v): v is string => typeof v === "string" && !v.includes("${"));
      for (const value of looksUp) {
        if (!upstream.some((identity) => identity.type === type && identity.value === value)) {
          const from = neighbours.upstream.map((u) => u.stackName).join(", ") || "no stack (none is applied before this one)";
          problems.push(`data.${type}.${name} looks up ${JSON.stringify(value)}, which ${from} does not create: its plan would fail, or read something this platform does not manage`);
        }
      }
    }
  }
  return problems;
}

/** Blocks of the given types, grouped by what their `attribute` refers to (a role's policies, a secret's writers). */
function companionsByTarget(blocks: Map<string, Record<string, unknown>>, graph: DependencyGraph, types: readonly string[], attribute: string): Map<string, string[]> {
  const byTarget = new Map<string, string[]>();
  for (const [address, config] of blocks) {
    if (!types.some((t) => address.startsWith(`${t}.`))) continue;
    for (const target of referencedAddresses(String(config[attribute] ?? ""), graph.nodes)) byTarget.set(target, [...(byTarget.get(target) ?? []), address]);
  }
  return byTarget;
}

/** Attributes that hand a role to a service, which then acts with whatever the role may do at that moment. */
const ROLE_ATTRIBUTE = /(^|_)role(_arn)?$|^iam_roles$|^role_arns?$/;
const ROLE_PERMISSION_TYPES = ["aws_iam_role_policy", "aws_iam_role_policy_attachment"];

/**
 * A service given a role starts using it at once (a Glue trigger starts its job on creation), and
 * IAM applies a role's policies only once they exist: whoever receives a role is ordered after the
 * role's permissions.
 */
export function rolePermissionProblems(json: TerraformJson, graph: DependencyGraph = dependencyGraph(json)): string[] {
  const blocks = blocksByAddress(json);
  const permissionsOf = companionsByTarget(blocks, graph, ROLE_PERMISSION_TYPES, "role");
  const problems: string[] = [];
  for (const [address, config] of blocks) {
    if (ROLE_PERMISSION_TYPES.some((t) => address.startsWith(`${t}.`))) continue;
    for (const { path, value } of configStrings(config)) {
      const attribute = [...path].reverse().find((p) => !/^\d+$/.test(p)) ?? "";
      if (!ROLE_ATTRIBUTE.test(attribute)) continue;
      for (const role of referencedAddresses(value, graph.nodes).filter((a) => a.startsWith("aws_iam_role."))) {
        for (const permission of permissionsOf.get(role) ?? []) {
          if (!graph.orders(address, permission)) problems.push(`${address}.${path.join(".")} hands over ${role} before its permissions ${permission} exist: add depends_on`);
        }
      }
    }
  }
  return problems;
}

/**
 * Resources that give a secret its value, with the attribute that names the secret; whoever reads
 * the secret comes after them. A function invoked with a secret (the pepper's initializer) writes it.
 */
const SECRET_WRITERS: readonly (readonly [type: string, attribute: string])[] = [
  ["aws_secretsmanager_secret_version", "secret_id"],
  ["aws_secretsmanager_secret_rotation", "secret_id"],
  ["aws_lambda_invocation", "input"],
];
/** Blocks that name a secret to manage or govern it, not to read its value. */
const SECRET_GOVERNANCE_TYPES = [...SECRET_WRITERS.map(([type]) => type), "aws_secretsmanager_secret_policy", "aws_iam_role_policy", "aws_iam_policy", "aws_kms_key", "aws_lambda_permission"];

/**
 * A secret without its value is an empty box: a job, a connection or a data source that reads it
 * before its version (or its first rotation) exists fails. Whoever names a secret is ordered after
 * what writes its value.
 */
export function secretValueProblems(json: TerraformJson, graph: DependencyGraph = dependencyGraph(json)): string[] {
  const blocks = blocksByAddress(json);
  const writersOf = new Map<string, string[]>();
  for (const [type, attribute] of SECRET_WRITERS) {
    for (const [secret, writers] of companionsByTarget(blocks, graph, [type], attribute)) writersOf.set(secret, [...(writersOf.get(secret) ?? []), ...writers]);
  }
  const problems: string[] = [];
  for (const [address, config] of blocks) {
    if (SECRET_GOVERNANCE_TYPES.some((t) => address.startsWith(`${t}.`))) continue;
    const secrets = new Set([...configStrings(config)].flatMap(({ value }) => referencedAddresses(value, graph.nodes)).filter((a) => a.startsWith("aws_secretsmanager_secret.")));
    for (const secret of secrets) {
      for (const writer of writersOf.get(secret) ?? []) {
        if (!graph.orders(address, writer)) problems.push(`${address} reads ${secret} but is not ordered after ${writer}, which gives it its value: add depends_on`);
      }
    }
  }
  return problems;
}

/**
 * Glue creates the log groups a job writes to if the job runs before they exist (unencrypted, kept
 * forever), and the platform's own groups would then fail to create. Glue 5 writes to
 * `<--custom-logGroup-prefix>/error` and `/output` ("Logging for AWS Glue jobs"); Glue 4 and earlier
 * write continuous logs to `<--continuous-log-logGroup>-<security configuration>`.
 */
export function glueLogGroupProblems(json: TerraformJson, graph: DependencyGraph = dependencyGraph(json)): string[] {
  const problems: string[] = [];
  const logGroups = Object.entries(json.resource?.aws_cloudwatch_log_group ?? {}).map(([name, config]) => ({ address: `aws_cloudwatch_log_group.${name}`, name: String(config.name ?? "") }));
  for (const [name, job] of Object.entries(json.resource?.aws_glue_job ?? {})) {
    const address = `aws_glue_job.${name}`;
    const args = (job.default_arguments ?? {}) as Record<string, unknown>;
    const prefix = args["--custom-logGroup-prefix"];
    const continuous = args["--continuous-log-logGroup"];
    const groups: { name: string; address?: string }[] = [];
    if (typeof prefix === "string") {
      for (const stream of ["error", "output"]) groups.push({ name: `${prefix}/${stream}`, address: logGroups.find((g) => g.name === `${prefix}/${stream}`)?.address });
    }
    if (typeof continuous === "string") groups.push(...logGroups.filter((g) => g.name.startsWith(`${continuous}-`)));
    for (const group of groups) {
      if (!group.address) problems.push(`${address} logs to ${group.name}, which no log group of the stack creates: Glue would create it itself, unencrypted`);
      else if (!graph.orders(address, group.address)) problems.push(`${address} logs to ${group.name} but is not ordered after ${group.address}: Glue would create the group itself first`);
    }
  }
  return problems;
}

/**
 * QuickSight reads a relational table's columns when it creates a data set over it: the data set
 * is ordered after the Data API statement that creates that relation (`"schema"."name"`, quoted at
 * any depth of the migration's nesting).
 */
export function relationProblems(json: TerraformJson, graph: DependencyGraph = dependencyGraph(json)): string[] {
  const statements = Object.entries(json.resource?.aws_redshiftdata_statement ?? {}).map(([name, config]) => ({ address: `aws_redshiftdata_statement.${name}`, sql: String(config.sql ?? "") }));
  const problems: string[] = [];
  for (const [name, dataSet] of Object.entries(json.resource?.aws_quicksight_data_set ?? {})) {
    const address = `aws_quicksight_data_set.${name}`;
    for (const table of tablesOf(dataSet)) {
      const quoted = (identifier: string) => `"+${escapeRegExp(identifier)}"+`;
      const creates = new RegExp(`CREATE (TABLE IF NOT EXISTS|MATERIALIZED VIEW) ${quoted(table.schema)}\\.${quoted(table.name)}`);
      const creators = statements.filter((st) => creates.test(st.sql));
      // A stack without any Data API statement (a module's own test stack) has its warehouse elsewhere.
      if (creators.length === 0) {
        if (statements.length > 0) problems.push(`${address} reads "${table.schema}"."${table.name}", which no Data API statement of the stack creates`);
      } else if (!creators.some((st) => graph.orders(address, st.address))) problems.push(`${address} reads "${table.schema}"."${table.name}" but is not ordered after ${creators[0].address}, which creates it: add depends_on`);
    }
  }
  return problems;
}

function tablesOf(dataSet: Record<string, unknown>): { schema: string; name: string }[] {
  const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value : value ? [value] : []) as Record<string, unknown>[];
  return list(dataSet.physical_table_map)
    .flatMap((entry) => list(entry.relational_table))
    .filter((t) => typeof t.name === "string")
    .map((t) => ({ schema: String(t.schema ?? "public"), name: String(t.name) }));
}

export function orderProblems(context: Pick<PolicyContext, "json" | "environment" | "upstream" | "peers">): string[] {
  const graph = dependencyGraph(context.json);
  const neighbours = { upstream: context.upstream ?? [], peers: context.peers ?? [] };
  return [
    ...literalNameProblems(context.json, context.environment, graph, neighbours),
    ...crossStackInputProblems(context.json, context.environment, neighbours),
    ...rolePermissionProblems(context.json, graph),
    ...secretValueProblems(context.json, graph),
    ...glueLogGroupProblems(context.json, graph),
    ...relationProblems(context.json, graph),
  ];
}

export const orderRules: PolicyRule[] = [
  {
    id: "ORDER",
    description:
      "Whatever a resource needs to exist first (what it names, its role's permissions, its secret's value, its log group) is ordered before it by a reference or depends_on, or is in a stack applied before it; what a stack looks up, a stack applied before it creates",
    references: ["Terraform: resource dependencies (implicit references, depends_on)", "issue 13, item 1"],
    resourceTypes: [],
    check: (_resource, context) => orderProblems(context),
  },
];
