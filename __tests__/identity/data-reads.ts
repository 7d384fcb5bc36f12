/**
 * Reads of the platform's DATA (not its configuration), derived from a synthesized stack: objects
 * in its buckets, records in its streams and queues, log events, query and statement results,
 * execution histories, database credentials, secret values, direct decryption. Neither CI role may
 * make any of them, except reading back what Terraform itself uploads and the secrets it must read.
 */
import type { Call } from "./terraform-calls";
import { StackModel, arnOf, resolve, resolvedJson, resourcesIn } from "./terraform-model";

const read = (action: string, resource: string, extra: Partial<Call> = {}): Call => ({ action, resource, phase: "read", ...extra });

/**
 * Secret ARNs whose value Terraform reads for the stack: the versions it manages, the secrets its
 * statements run as, and the secrets of QuickSight data sources (checked with the caller's access).
 */
export function secretsTerraformReads(m: StackModel): string[] {
  const resources = m.json.resource as any;
  const versions = Object.values(resources.aws_secretsmanager_secret_version ?? {}).map((v: any) => resolve(m, String(v.secret_id)));
  const statements = Object.values(resources.aws_redshiftdata_statement ?? {}).map((s: any) => resolve(m, String(s.secret_arn)));
  const dataSources = Object.values(resources.aws_quicksight_data_source ?? {}).flatMap((d: any) => [d.credentials].flat().filter((c: any) => c?.secret_arn).map((c: any) => resolve(m, String(c.secret_arn))));
  return [...new Set([...versions, ...statements, ...dataSources])].sort();
}

/** Every secret of the stack: its own, and the admin secret Redshift manages for the namespace. */
export function secretsOf(m: StackModel): string[] {
  const resources = m.json.resource as any;
  const own = Object.keys(resources.aws_secretsmanager_secret ?? {}).map((name) => arnOf(m, "aws_secretsmanager_secret", name));
  const admin = Object.keys(resources.aws_redshiftserverless_namespace ?? {}).map((name) => resolve(m, `\${aws_redshiftserverless_namespace.${name}.admin_password_secret_arn}`));
  return [...own, ...admin].sort();
}

/** Object keys Terraform uploads into a bucket of the stack. */
const managedKeys = (m: StackModel, bucket: string): string[] =>
  resourcesIn(m)
    .filter(([type, , c]) => type === "aws_s3_object" && resolve(m, String(c.bucket)) === bucket)
    .map(([, , c]) => resolve(m, String(c.key)));

/**
 * Whether only Terraform puts objects into a bucket: it uploads some, and no role of the stack may
 * put any (the reference bucket: the repository's reference files). Its objects are not data.
 */
function onlyTerraformWrites(m: StackModel, bucket: string): boolean {
  if (managedKeys(m, bucket).length === 0) return false;
  const writes = Object.values((m.json.resource as any).aws_iam_role_policy ?? {}).flatMap((p: any) =>
    resolvedJson(m, p.policy).Statement.filter((st: any) => st.Effect === "Allow" && [st.Action].flat().some((a: string) => /^s3:(PutObject|\*)$/.test(a))),
  );
  return !writes.some((st: any) => [st.Resource].flat().some((r: string) => r.startsWith(`arn:aws:s3:::${bucket}/`)));
}

/** Keys of data the platform writes at run time into a bucket (artifacts: the jobs' work areas). */
const DATA_KEYS = ["attendees/event_date=2026-01-01/part-0000.parquet", "temp/attendees/streaming/x.csv", "checkpoints/attendees/streaming/offsets/1", "spark-ui/attendees/x"];

export function dataReadCalls(m: StackModel): { what: string; call: Call }[] {
  const out: { what: string; call: Call }[] = [];
  const add = (what: string, call: Call) => out.push({ what, call });
  for (const [type, name, c] of resourcesIn(m)) {
    const arn = () => arnOf(m, type, name);
    switch (type) {
      case "aws_s3_bucket": {
        const bucket = resolve(m, String(c.bucket));
        if (onlyTerraformWrites(m, bucket)) break;
        for (const key of DATA_KEYS.filter((k) => !managedKeys(m, bucket).includes(k))) {
          add(`object ${key} in ${bucket}`, read("s3:GetObject", `${arn()}/${key}`));
        }
        break;
      }
      case "aws_kinesis_stream":
        for (const action of ["kinesis:GetRecords", "kinesis:GetShardIterator"]) add(`records of ${name}`, read(action, arn()));
        break;
      case "aws_sqs_queue":
        add(`messages of ${resolve(m, String(c.name))}`, read("sqs:ReceiveMessage", arn()));
        break;
      case "aws_cloudwatch_log_group":
        add(`events of ${resolve(m, String(c.name))}`, read("logs:GetLogEvents", `${arn()}:log-stream:any`));
        add(`events of ${resolve(m, String(c.name))}`, read("logs:FilterLogEvents", arn()));
        add(`events of ${resolve(m, String(c.name))}`, read("logs:StartQuery", arn()));
        break;
      case "aws_athena_workgroup":
        for (const action of ["athena:GetQueryResults", "athena:StartQueryExecution"]) add(`queries of ${resolve(m, String(c.name))}`, read(action, arn()));
        break;
      case "aws_sfn_state_machine": {
        const execution = arn().replace(":stateMachine:", ":execution:") + ":an-execution";
        for (const action of ["states:GetExecutionHistory", "states:DescribeExecution"]) add(`executions of ${resolve(m, String(c.name))}`, read(action, execution));
        break;
      }
      case "aws_redshiftserverless_workgroup":
        add("database credentials", read("redshift-serverless:GetCredentials", arn()));
        add("statement results", read("redshift-data:GetStatementResult", "*"));
        break;
      case "aws_kms_key":
        // Decrypting a ciphertext in hand, not on a service's behalf.
        add(`direct decryption with ${name}`, read("kms:Decrypt", arn(), { keyPolicy: resolvedJson(m, String(c.policy)) }));
        break;
      case "aws_quicksight_dashboard":
        add(`embedded dashboard ${name}`, read("quicksight:GetDashboardEmbedUrl", arn()));
        break;
    }
  }
  const readable = secretsTerraformReads(m);
  for (const secret of secretsOf(m).filter((s) => !readable.includes(s))) add(`value of ${secret}`, read("secretsmanager:GetSecretValue", secret, { secretValue: true }));
  return out;
}
