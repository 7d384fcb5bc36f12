/**
 * Per resource type a pipeline stack holds: which attributes say it is the same AWS object in the
 * old state and in the new configuration, and the id `terraform import` takes for it, built from
 * the old state's attributes (the provider's "Import" section of each resource's documentation;
 * a resource's `id` attribute is not always that id: a stream's is its ARN, an object's its key).
 */

/** A state instance's attributes, as `terraform state pull` writes them. */
export type Attributes = Readonly<Record<string, unknown>>;

export interface MoveRule {
  /** Attributes that identify the object: equal in the configuration and in the old state. */
  readonly identity: readonly string[];
  /** The import id, from the old state's attributes. */
  readonly importId: (a: Attributes) => string;
}

/** A type that is created anew in the pipeline stack and forgotten by the core, with why. */
export interface RecreateRule {
  readonly recreate: string;
}

const text = (a: Attributes, key: string): string => {
  const value = a[key];
  if (typeof value !== "string" || value === "") throw new Error(`attribute ${key} is ${JSON.stringify(value)}, not a non-empty string`);
  return value;
};
const byName: MoveRule = { identity: ["name"], importId: (a) => text(a, "name") };
/** QuickSight imports by `<account id>,<resource id>`. */
const quicksight = (id: string): MoveRule => ({ identity: [id], importId: (a) => `${text(a, "aws_account_id")},${text(a, id)}` });
/** Resources on an event bus import as `<bus>/<…>` unless the bus is the default one. */
const onBus = (a: Attributes, rest: string): string => (typeof a.event_bus_name === "string" && a.event_bus_name !== "" && a.event_bus_name !== "default" ? `${a.event_bus_name}/${rest}` : rest);

export const MIGRATION_RULES: Readonly<Record<string, MoveRule | RecreateRule>> = {
  aws_athena_named_query: { identity: ["name", "workgroup"], importId: (a) => text(a, "id") },
  aws_cloudwatch_event_rule: { identity: ["name"], importId: (a) => onBus(a, text(a, "name")) },
  aws_cloudwatch_event_target: { identity: ["rule", "target_id"], importId: (a) => onBus(a, `${text(a, "rule")}/${text(a, "target_id")}`) },
  aws_cloudwatch_log_group: byName,
  aws_cloudwatch_metric_alarm: { identity: ["alarm_name"], importId: (a) => text(a, "alarm_name") },
  aws_glue_catalog_table: { identity: ["database_name", "name"], importId: (a) => `${text(a, "catalog_id")}:${text(a, "database_name")}:${text(a, "name")}` },
  aws_glue_crawler: byName,
  aws_glue_job: byName,
  aws_glue_trigger: byName,
  aws_iam_policy: { identity: ["name"], importId: (a) => text(a, "arn") },
  aws_iam_role: byName,
  aws_iam_role_policy: { identity: ["role", "name"], importId: (a) => `${text(a, "role")}:${text(a, "name")}` },
  // Its `id` is the stream's ARN; import takes the name.
  aws_kinesis_stream: byName,
  aws_quicksight_analysis: quicksight("analysis_id"),
  aws_quicksight_dashboard: quicksight("dashboard_id"),
  aws_quicksight_data_set: quicksight("data_set_id"),
  // Its `id` is the key; import takes `<bucket>/<key>`.
  aws_s3_object: { identity: ["bucket", "key"], importId: (a) => `${text(a, "bucket")}/${text(a, "key")}` },
  aws_scheduler_schedule: { identity: ["name"], importId: (a) => `${typeof a.group_name === "string" && a.group_name !== "" ? a.group_name : "default"}/${text(a, "name")}` },
  aws_sfn_state_machine: { identity: ["name"], importId: (a) => text(a, "arn") },
  aws_redshiftdata_statement: {
    recreate:
      "a Data API statement is a record of one run: the Data API forgets it within a day and the provider never reads its statement_name back, so an import would be replaced anyway; the new one runs the same CALL, which the migrations table skips (modules/warehouse/migrations.ts)",
  },
};

export const isRecreated = (rule: MoveRule | RecreateRule): rule is RecreateRule => "recreate" in rule;

/**
 * What is left in AWS of a resource the new layout retires, and how to delete it by hand once it
 * is no longer needed: `stateful` ones may hold something (dead letters, log events) to look at first.
 */
export const RETIRED_CLEANUP: Readonly<Record<string, { readonly stateful: boolean; readonly command: (a: Attributes) => string }>> = {
  aws_iam_role_policy: { stateful: false, command: (a) => `aws iam delete-role-policy --role-name ${text(a, "role")} --policy-name ${text(a, "name")}` },
  aws_iam_role: { stateful: false, command: (a) => `aws iam delete-role --role-name ${text(a, "name")}` },
  aws_sqs_queue_policy: { stateful: false, command: (a) => `aws sqs set-queue-attributes --queue-url ${text(a, "queue_url")} --attributes Policy=""` },
  aws_sqs_queue: { stateful: true, command: (a) => `aws sqs delete-queue --queue-url ${text(a, "url")}` },
  aws_cloudwatch_metric_alarm: { stateful: false, command: (a) => `aws cloudwatch delete-alarms --alarm-names ${text(a, "alarm_name")}` },
  aws_cloudwatch_log_group: { stateful: true, command: (a) => `aws logs delete-log-group --log-group-name ${text(a, "name")}` },
};
