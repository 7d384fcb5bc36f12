import type { TerraformJson } from "../../policies";

/**
 * Resolves Terraform references of a synthesized stack to the values AWS would give them, where
 * the stack itself says what they will be: a resource's literal name (`.name`, `.bucket`, …) and
 * the ARN AWS builds from it (`.arn`, account and region from the stack's provider). Tests need
 * concrete values (IAM simulation, event matching); the synthesized output keeps the references,
 * which is what orders the resources. References whose value only AWS knows (generated ids, the
 * workgroup's ARN) are left as they are, for the IAM helper's stand-ins.
 */

type Config = Record<string, unknown>;

/** ARN format per resource type, from the resource's literal name. */
const ARN_FORMATS: Record<string, (name: string, region: string, account: string) => string> = {
  aws_s3_bucket: (n) => `arn:aws:s3:::${n}`,
  aws_iam_role: (n, _r, a) => `arn:aws:iam::${a}:role/${n}`,
  aws_iam_policy: (n, _r, a) => `arn:aws:iam::${a}:policy/${n}`,
  aws_kinesis_stream: (n, r, a) => `arn:aws:kinesis:${r}:${a}:stream/${n}`,
  aws_cloudwatch_log_group: (n, r, a) => `arn:aws:logs:${r}:${a}:log-group:${n}`,
  aws_sns_topic: (n, r, a) => `arn:aws:sns:${r}:${a}:${n}`,
  aws_sqs_queue: (n, r, a) => `arn:aws:sqs:${r}:${a}:${n}`,
  aws_sfn_state_machine: (n, r, a) => `arn:aws:states:${r}:${a}:stateMachine:${n}`,
  aws_glue_job: (n, r, a) => `arn:aws:glue:${r}:${a}:job/${n}`,
  aws_glue_crawler: (n, r, a) => `arn:aws:glue:${r}:${a}:crawler/${n}`,
  aws_glue_catalog_database: (n, r, a) => `arn:aws:glue:${r}:${a}:database/${n}`,
  aws_glue_connection: (n, r, a) => `arn:aws:glue:${r}:${a}:connection/${n}`,
  aws_cloudwatch_event_rule: (n, r, a) => `arn:aws:events:${r}:${a}:rule/${n}`,
  aws_athena_workgroup: (n, r, a) => `arn:aws:athena:${r}:${a}:workgroup/${n}`,
  aws_lambda_function: (n, r, a) => `arn:aws:lambda:${r}:${a}:function:${n}`,
  // Secrets Manager appends six random characters; the stand-in suffix is fixed.
  aws_secretsmanager_secret: (n, r, a) => `arn:aws:secretsmanager:${r}:${a}:secret:${n}-AbCdEf`,
};

/** The attribute that holds a resource's name, when it is not `name`. */
const NAME_ATTRIBUTES: Record<string, string> = {
  aws_s3_bucket: "bucket",
  aws_lambda_function: "function_name",
  aws_redshiftserverless_workgroup: "workgroup_name",
  aws_redshiftserverless_namespace: "namespace_name",
};

/** Attributes that equal the name for these types (S3 uses the bucket name as its id). */
const ID_IS_NAME = new Set(["aws_s3_bucket", "aws_glue_catalog_database", "aws_glue_job", "aws_glue_crawler", "aws_kinesis_stream", "aws_sfn_state_machine"]);

function providerContext(json: TerraformJson): { region: string; account: string } {
  const provider = (json.provider?.aws ?? [])[0] as { region?: string; allowed_account_ids?: string[] } | undefined;
  return { region: provider?.region ?? "eu-west-1", account: provider?.allowed_account_ids?.[0] ?? "111122223333" };
}

/** The value one simple reference (`type.name.attribute`) will have, or undefined when only AWS knows it. */
export function referenceValue(json: TerraformJson, type: string, name: string, attribute: string): string | undefined {
  const config = json.resource?.[type]?.[name] as Config | undefined;
  if (!config) return undefined;
  const nameAttribute = NAME_ATTRIBUTES[type] ?? "name";
  const literalName = typeof config[nameAttribute] === "string" && !String(config[nameAttribute]).includes("${") ? String(config[nameAttribute]) : undefined;
  const direct = config[attribute];
  if (typeof direct === "string" && !direct.includes("${")) return direct;
  if (literalName === undefined) return undefined;
  if (attribute === nameAttribute || attribute === "name") return literalName;
  if (attribute === "id" && ID_IS_NAME.has(type)) return literalName;
  if (attribute === "arn" && ARN_FORMATS[type]) {
    const { region, account } = providerContext(json);
    return ARN_FORMATS[type](literalName, region, account);
  }
  return undefined;
}

const SIMPLE_REFERENCE = /\$\{([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g;

/** A string with every resolvable reference replaced by its value. */
export function resolveReferences(text: string, json: TerraformJson): string {
  return text.replace(SIMPLE_REFERENCE, (whole, type: string, name: string, attribute: string) => referenceValue(json, type, name, attribute) ?? whole);
}

/** A copy of a synthesized stack (or part of it) with every resolvable reference resolved. */
export function resolved<T>(value: T, json: TerraformJson): T {
  if (typeof value === "string") return resolveReferences(value, json) as T;
  if (Array.isArray(value)) return value.map((v) => resolved(v, json)) as T;
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolved(v, json)])) as T;
  return value;
}
