/**
 * A synthesized stack as AWS would see it after apply: every resource's ARN and the values its
 * references resolve to, with stable stand-ins for what AWS generates (key ids, VPC ids, the random
 * suffix of secret ARNs). IAM simulation needs concrete ARNs; the synthesized JSON keeps its
 * references, and this is the one place that turns them into ARNs (test harness only).
 */
import { createHash } from "node:crypto";
import type { TerraformJson } from "../../policies";

export interface StackModel {
  /** What references resolve against: a stack, or a whole environment (its core and pipeline stacks). */
  readonly json: TerraformJson;
  readonly accountId: string;
  readonly region: string;
  /** The provider's default tags: what every taggable resource of the stack carries. */
  readonly tags: Readonly<Record<string, string>>;
  /** The addresses (`type.name`, `data.type.name`) of one stack within `json` whose calls count. @default all */
  readonly only?: ReadonlySet<string>;
  /** Where this stack's state lives: the object key in the environment's state bucket. @default none */
  readonly state?: { readonly bucket: string; readonly key: string };
}

/** The provider config of a synthesized stack gives account, region and default tags. */
export function stackModel(json: TerraformJson, stack?: Pick<StackModel, "only" | "state">): StackModel {
  const aws = (json.provider as any).aws[0];
  return { json, accountId: aws.allowed_account_ids[0], region: aws.region, tags: aws.default_tags?.[0]?.tags ?? {}, ...stack };
}

const hex = (seed: string, length: number): string => createHash("sha256").update(seed).digest("hex").slice(0, length);
const uuid = (seed: string): string => {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
/** Secrets Manager appends six random characters to every secret ARN. */
export const SECRET_SUFFIX = "-AbCdEf";

/** EC2 id prefixes of the resource types the platform creates. */
const EC2_TYPES: Record<string, [string, string]> = {
  aws_vpc: ["vpc", "vpc"],
  aws_subnet: ["subnet", "subnet"],
  aws_route_table: ["route-table", "rtb"],
  aws_security_group: ["security-group", "sg"],
  aws_default_security_group: ["security-group", "sg"],
  aws_vpc_endpoint: ["vpc-endpoint", "vpce"],
  aws_flow_log: ["vpc-flow-log", "fl"],
  aws_vpc_security_group_ingress_rule: ["security-group-rule", "sgr"],
  aws_vpc_security_group_egress_rule: ["security-group-rule", "sgr"],
};

export function regional(m: StackModel, service: string, resource: string): string {
  return `arn:aws:${service}:${m.region}:${m.accountId}:${resource}`;
}

function config(m: StackModel, type: string, name: string): Record<string, any> {
  const found = (m.json.resource as any)?.[type]?.[name] ?? (m.json.data as any)?.[type]?.[name];
  if (!found) throw new Error(`no ${type}.${name} in the stack`);
  return found;
}

/** The id AWS gives a resource (a stand-in where AWS generates it). */
export function idOf(m: StackModel, type: string, name: string): string {
  const c = config(m, type, name);
  const address = `${type}.${name}`;
  if (EC2_TYPES[type]) return `${EC2_TYPES[type][1]}-0${hex(address, 16)}`;
  switch (type) {
    case "aws_kms_key":
      return uuid(address);
    case "aws_s3_bucket":
      return resolve(m, c.bucket);
    case "aws_sqs_queue":
      return `https://sqs.${m.region}.amazonaws.com/${m.accountId}/${resolve(m, c.name)}`;
    case "aws_secretsmanager_secret":
      return arnOf(m, type, name);
    case "aws_redshiftserverless_namespace":
    case "aws_redshiftserverless_workgroup":
      return uuid(address);
    default:
      return resolve(m, String(c.name ?? c.bucket ?? c.alarm_name ?? address));
  }
}

/** Regional ARNs formed from the resource's own attributes: service, then the resource part. */
const REGIONAL_ARNS: Readonly<Record<string, [string, (v: (key: string) => string) => string]>> = {
  aws_kms_alias: ["kms", (v) => v("name")],
  aws_kinesis_stream: ["kinesis", (v) => `stream/${v("name")}`],
  aws_glue_catalog_database: ["glue", (v) => `database/${v("name")}`],
  aws_glue_connection: ["glue", (v) => `connection/${v("name")}`],
  aws_glue_crawler: ["glue", (v) => `crawler/${v("name")}`],
  aws_glue_job: ["glue", (v) => `job/${v("name")}`],
  aws_glue_trigger: ["glue", (v) => `trigger/${v("name")}`],
  aws_sfn_state_machine: ["states", (v) => `stateMachine:${v("name")}`],
  aws_cloudwatch_event_rule: ["events", (v) => `rule/${v("name")}`],
  aws_sqs_queue: ["sqs", (v) => v("name")],
  aws_sns_topic: ["sns", (v) => v("name")],
  aws_cloudwatch_log_group: ["logs", (v) => `log-group:${v("name")}`],
  aws_cloudwatch_metric_alarm: ["cloudwatch", (v) => `alarm:${v("alarm_name")}`],
  aws_secretsmanager_secret: ["secretsmanager", (v) => `secret:${v("name")}${SECRET_SUFFIX}`],
  aws_athena_workgroup: ["athena", (v) => `workgroup/${v("name")}`],
  aws_quicksight_data_source: ["quicksight", (v) => `datasource/${v("data_source_id")}`],
  aws_quicksight_data_set: ["quicksight", (v) => `dataset/${v("data_set_id")}`],
  aws_quicksight_analysis: ["quicksight", (v) => `analysis/${v("analysis_id")}`],
  aws_quicksight_dashboard: ["quicksight", (v) => `dashboard/${v("dashboard_id")}`],
  aws_quicksight_vpc_connection: ["quicksight", (v) => `vpcConnection/${v("vpc_connection_id")}`],
  aws_lambda_function: ["lambda", (v) => `function:${v("function_name")}`],
  aws_ssm_parameter: ["ssm", (v) => `parameter/${v("name")}`],
};

/** The ARN of a resource of the stack, as AWS forms it. */
export function arnOf(m: StackModel, type: string, name: string): string {
  const c = config(m, type, name);
  const v = (key: string) => resolve(m, String(c[key]));
  const address = `${type}.${name}`;
  if (EC2_TYPES[type]) return regional(m, "ec2", `${EC2_TYPES[type][0]}/${idOf(m, type, name)}`);
  const named = REGIONAL_ARNS[type];
  if (named) return regional(m, named[0], named[1](v));
  switch (type) {
    case "aws_s3_bucket":
      return `arn:aws:s3:::${v("bucket")}`;
    case "aws_kms_key":
      return regional(m, "kms", `key/${idOf(m, type, name)}`);
    case "aws_scheduler_schedule":
      return regional(m, "scheduler", `schedule/${c.group_name ? v("group_name") : "default"}/${v("name")}`);
    case "aws_redshiftserverless_namespace":
      return regional(m, "redshift-serverless", `namespace/${idOf(m, type, name)}`);
    case "aws_redshiftserverless_workgroup":
      return regional(m, "redshift-serverless", `workgroup/${idOf(m, type, name)}`);
    case "aws_redshiftserverless_snapshot":
      return regional(m, "redshift-serverless", `snapshot/${uuid(address)}`);
    case "aws_budgets_budget":
      return `arn:aws:budgets::${m.accountId}:budget/${v("name")}`;
    case "aws_iam_role":
      return `arn:aws:iam::${m.accountId}:role/${v("name")}`;
    case "aws_iam_policy":
      return `arn:aws:iam::${m.accountId}:policy/${v("name")}`;
    case "aws_iam_openid_connect_provider":
      return `arn:aws:iam::${m.accountId}:oidc-provider/${v("url").replace(/^https:\/\//, "")}`;
    default:
      throw new Error(`terraform-model: no ARN for ${type}; add it`);
  }
}

/** An attribute of a resource after apply: its literal value, its ARN, its id, or a computed stand-in. */
function attribute(m: StackModel, type: string, name: string, attr: string): string {
  const c = config(m, type, name);
  if (attr === "arn") return arnOf(m, type, name);
  if (attr === "id" || attr === "key_id") return idOf(m, type, name);
  if (type === "aws_redshiftserverless_namespace" && attr === "admin_password_secret_arn") {
    // Redshift names the secret it manages `redshift!<namespace>-<admin user>`.
    return regional(m, "secretsmanager", `secret:redshift!${resolve(m, c.namespace_name)}-${resolve(m, c.admin_username)}${SECRET_SUFFIX}`);
  }
  if (type === "aws_sqs_queue" && attr === "url") return idOf(m, type, name);
  if (typeof c[attr] === "string") return resolve(m, c[attr]);
  return `${type}-${name}-${attr}`;
}

/** Replaces every `${type.name.attr}` reference in a string with what it is after apply. */
export function resolve(m: StackModel, value: string): string {
  return value.replace(/\$\{(?:data\.)?([a-z0-9_]+)\.([^.}]+)\.([a-z_]+)(?:\[\d+\])?(?:\.[a-z_]+)?\}/g, (_all, type, name, attr) => attribute(m, type, name, attr));
}

/**
 * A JSON document attribute (a policy) with its references resolved, as AWS receives it. Terraform
 * reads every `${…}` as its own template and turns the escape `$${…}` into a literal `${…}`: an IAM
 * policy variable such as `${aws:userid}` must be written escaped, or Terraform fails on it.
 */
export function resolvedJson(m: StackModel, text: string): any {
  const resolvedText = resolve(m, text);
  const unresolved = resolvedText.replace(/\$\$\{/g, "").match(/\$\{[^}]*\}/);
  if (unresolved) throw new Error(`terraform-model: unresolved reference ${unresolved[0]} (an IAM policy variable is written $\${…})`);
  return JSON.parse(resolvedText.replace(/\$\$\{/g, "${"));
}

/** Every managed resource of the stack as [type, name, config]. */
export function resourcesIn(m: StackModel): [string, string, Record<string, any>][] {
  return Object.entries(m.json.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName as object).map(([name, c]) => [type, name, c] as [string, string, Record<string, any>]));
}

/** The name (key) of the resource a `${type.name.attr}` reference points to. */
export function referencedName(value: unknown, type: string): string | undefined {
  const match = String(value).match(new RegExp(`\\$\\{${type}\\.([^.}]+)\\.`));
  return match?.[1];
}
