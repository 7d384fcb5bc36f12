/**
 * What Terraform plans for an `aws_redshiftdata_statement` once the Data API has forgotten it,
 * replayed offline from the provider's own code (terraform-provider-aws 6.x,
 * internal/service/redshiftdata/statement.go; issue #37301):
 *
 * - every argument of the schema is ForceNew;
 * - Read calls DescribeStatement; for an expired statement FindStatementByID returns an output with
 *   only Id and Status "EXPIRED", and Read then sets cluster_identifier, parameters, secret_arn, sql
 *   and workgroup_name from that empty output, keeps database and db_user from the prior state, and
 *   leaves statement_name and with_event alone; a ResourceNotFound removes it from the state;
 * - Terraform core then proposes the configuration, except for arguments in
 *   `lifecycle.ignore_changes`, which keep the (refreshed) prior value; a ForceNew argument whose
 *   proposed value differs from the prior one means replace.
 */

export const STATEMENT_ARGUMENTS = ["cluster_identifier", "database", "db_user", "parameters", "secret_arn", "sql", "statement_name", "with_event", "workgroup_name"] as const;
export type StatementState = Partial<Record<(typeof STATEMENT_ARGUMENTS)[number], unknown>>;
export type PlannedAction = "no-op" | "replace" | "create";

/** SDKv2 reads an unset string as "" and an unset list as empty. */
function normalised(argument: string, value: unknown): unknown {
  if (argument === "parameters") return Array.isArray(value) ? value : [];
  if (argument === "with_event") return value === true;
  return value === undefined || value === null ? "" : value;
}

/** The state Terraform records after creating the statement: what the configuration asked for. */
export function stateAfterCreate(config: Record<string, unknown>): StatementState {
  return Object.fromEntries(STATEMENT_ARGUMENTS.map((a) => [a, normalised(a, config[a])]));
}

/** `resourceStatementRead` against a DescribeStatement that answers `{Id, Status: "EXPIRED"}`. */
export function readExpired(prior: StatementState): StatementState {
  return {
    ...prior,
    cluster_identifier: "",
    database: prior.database,
    db_user: prior.db_user,
    parameters: [],
    secret_arn: "",
    sql: "",
    workgroup_name: "",
  };
}

/** The plan for one statement: its configuration against its refreshed state (undefined = not in state). */
export function plan(config: Record<string, unknown>, refreshed: StatementState | undefined): PlannedAction {
  if (!refreshed) return "create";
  const ignored = ignoredArguments(config);
  const changed = STATEMENT_ARGUMENTS.filter((argument) => {
    if (ignored === "all" || ignored.includes(argument)) return false;
    return JSON.stringify(normalised(argument, config[argument])) !== JSON.stringify(normalised(argument, refreshed[argument]));
  });
  return changed.length > 0 ? "replace" : "no-op";
}

function ignoredArguments(config: Record<string, unknown>): readonly string[] | "all" {
  const lifecycle = (Array.isArray(config.lifecycle) ? config.lifecycle[0] : config.lifecycle) as { ignore_changes?: string[] | "all" } | undefined;
  return lifecycle?.ignore_changes ?? [];
}
