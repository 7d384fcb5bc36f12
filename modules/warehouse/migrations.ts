import { sha256Hex } from "./hash";
import {
  DdlError,
  WarehouseContractInput,
  columnCommentSql,
  createMaterializedViewSql,
  createTableSql,
  dropMaterializedViewSql,
  grantOnSchemaSql,
  grantOnTableSql,
  qualifiedName,
  quoteIdentifier,
  quoteLiteral,
  tableCommentSql,
} from "./ddl";

/**
 * Schema migrations that survive the Data API. `aws_redshiftdata_statement` runs one SQL statement
 * and keeps nothing but the statement's id: about a day later the Data API has forgotten the id,
 * the provider reads the statement back with empty arguments, and every argument is ForceNew, so a
 * plain statement would run again on every deploy (terraform-provider-aws #37301). So:
 *
 * - each change is ONE statement, `CALL "<schema>"."dp_apply_migration"(id, version, statements)`,
 *   whose procedure runs the statements in one transaction and records (id, version) in a table;
 *   a version already recorded is skipped, so re-running a migration changes nothing;
 * - the version (SHA-256 of the statements) is also in the Terraform resource's `statement_name`,
 *   which the provider never reads back, and every argument the provider does read back is in
 *   `ignore_changes` ({@link STATEMENT_ARGUMENTS_READ_BACK}): after expiry the plan is empty, and a
 *   changed migration is a changed name, hence exactly one new run.
 */

export const MIGRATIONS_TABLE = "dp_schema_migrations";
export const APPLY_MIGRATION_PROCEDURE = "dp_apply_migration";
export const ENSURE_USER_PROCEDURE = "dp_ensure_user";
export const RUN_AS_WRITER_PROCEDURE = "dp_run_as_etl_writer";
/**
 * Separators of a migration's statements, by nesting depth: ASCII record separator for a
 * pipeline's migration, unit separator for the view migrations inside it (which travel as one of
 * its statements). No DDL the platform generates contains either.
 */
export const STATEMENT_SEPARATORS = ["\u001e", "\u001f"] as const;
export type MigrationDepth = 0 | 1;
/** The `statements` argument is a VARCHAR(65535): Redshift's widest, in bytes. */
export const MAX_MIGRATION_BYTES = 65535;
/** The migration that creates the users and what every pipeline's migration relies on. */
export const FOUNDATION_MIGRATION = "platform";

/**
 * Arguments `resourceStatementRead` (internal/service/redshiftdata/statement.go) sets from
 * DescribeStatement, which an expired statement answers with its id only: they come back empty
 * and must be ignored. `statement_name` and `with_event` are never read back.
 */
export const STATEMENT_ARGUMENTS_READ_BACK = ["cluster_identifier", "database", "db_user", "parameters", "secret_arn", "sql", "workgroup_name"] as const;

/**
 * The statement's `statement_name`: what it is, the SHA-256 of its SQL, and the namespace it runs
 * in (a new namespace is an empty database: everything runs again there).
 */
export function migrationStatementName(id: string, sql: string, namespaceId: string): string {
  return `${id}@${sha256Hex(sql)}@${namespaceId}`;
}

/** One migration: what it is called, its version, and the one statement that applies it. */
export interface Migration {
  readonly id: string;
  /** SHA-256 of its statements. */
  readonly version: string;
  readonly statements: readonly string[];
  /** `CALL "<schema>"."dp_apply_migration"(…)`. */
  readonly sql: string;
}

/** The users a migration grants to. */
export interface WarehouseUsers {
  readonly writer: string;
  readonly reader: string;
}

export function migration(schema: string, id: string, statements: readonly string[], depth: MigrationDepth = 0): Migration {
  const separator = STATEMENT_SEPARATORS[depth];
  if (statements.length === 0) throw new DdlError(`migration "${id}": no statements`);
  statements.forEach((statement, i) => {
    if (statement.trim() === "") throw new DdlError(`migration "${id}": statement ${i + 1} is empty`);
    const inner = STATEMENT_SEPARATORS.slice(0, depth + 1).find((s) => statement.includes(s));
    if (inner) throw new DdlError(`migration "${id}": statement ${i + 1} contains the separator character U+00${inner.charCodeAt(0).toString(16).toUpperCase()}`);
  });
  const joined = statements.join(separator);
  const bytes = Buffer.byteLength(joined, "utf8");
  if (bytes > MAX_MIGRATION_BYTES) {
    throw new DdlError(`migration "${id}": ${bytes} bytes of SQL; one migration holds at most ${MAX_MIGRATION_BYTES} (shorten descriptions or split the pipeline)`);
  }
  const version = sha256Hex(joined);
  return { id, version, statements, sql: callSql(schema, APPLY_MIGRATION_PROCEDURE, [id, version, separator, joined]) };
}

function callSql(schema: string, procedure: string, literals: readonly string[]): string {
  return `CALL ${qualifiedName(schema, procedure)}(${literals.map(quoteLiteral).join(", ")})`;
}

export function createSchemaSql(schema: string): string {
  return `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`;
}

export function migrationsTableSql(schema: string): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(schema, MIGRATIONS_TABLE)} (`,
    "  migration VARCHAR(256) NOT NULL,",
    "  version CHAR(64) NOT NULL,",
    "  statements INTEGER NOT NULL,",
    "  applied_at TIMESTAMP NOT NULL,",
    "  PRIMARY KEY (migration, version)",
    ")",
  ].join("\n");
}

/**
 * Runs a migration's statements in order, in the caller's transaction (a CALL is one statement:
 * any error rolls all of them back), unless (id, version) is already recorded.
 */
export function applyMigrationProcedureSql(schema: string): string {
  const table = qualifiedName(schema, MIGRATIONS_TABLE);
  return [
    `CREATE OR REPLACE PROCEDURE ${qualifiedName(schema, APPLY_MIGRATION_PROCEDURE)}(migration_id VARCHAR(256), migration_version CHAR(64), separator CHAR(1), statements VARCHAR(${MAX_MIGRATION_BYTES}))`,
    "AS $$",
    "DECLARE",
    "  applied INTEGER;",
    "  step INTEGER := 1;",
    `  next_statement VARCHAR(${MAX_MIGRATION_BYTES});`,
    "BEGIN",
    `  SELECT INTO applied COUNT(*) FROM ${table} WHERE migration = migration_id AND version = migration_version;`,
    "  IF applied > 0 THEN",
    "    RAISE INFO 'migration % version % is already applied', migration_id, migration_version;",
    "    RETURN;",
    "  END IF;",
    "  LOOP",
    "    next_statement := SPLIT_PART(statements, separator, step);",
    "    EXIT WHEN next_statement = '';",
    "    EXECUTE next_statement;",
    "    step := step + 1;",
    "  END LOOP;",
    `  INSERT INTO ${table} (migration, version, statements, applied_at) VALUES (migration_id, migration_version, step - 1, GETDATE());`,
    "END;",
    "$$ LANGUAGE plpgsql",
  ].join("\n");
}

/**
 * Creates a user that does not exist yet, with no password: `PASSWORD DISABLE` until Secrets
 * Manager's rotation sets one. Never sets or changes a password, so no password or hash is in any
 * SQL the platform runs through Terraform.
 */
export function ensureUserProcedureSql(schema: string): string {
  return [
    `CREATE OR REPLACE PROCEDURE ${qualifiedName(schema, ENSURE_USER_PROCEDURE)}(user_name VARCHAR(128))`,
    "AS $$",
    "DECLARE",
    "  existing INTEGER;",
    "BEGIN",
    "  SELECT INTO existing COUNT(*) FROM pg_user WHERE usename = user_name;",
    "  IF existing = 0 THEN",
    "    EXECUTE 'CREATE USER ' || quote_ident(user_name) || ' PASSWORD DISABLE';",
    "  END IF;",
    "END;",
    "$$ LANGUAGE plpgsql SECURITY INVOKER",
  ].join("\n");
}

/**
 * Runs one statement as the ETL writer (SECURITY DEFINER, owned by the writer): the materialized
 * views must be the writer's, because only a view's owner may REFRESH it and the jobs refresh after
 * each MERGE. Only its owner and superusers may call it.
 */
export function runAsWriterProcedureSql(schema: string): string {
  return [
    `CREATE OR REPLACE PROCEDURE ${qualifiedName(schema, RUN_AS_WRITER_PROCEDURE)}(statement_text VARCHAR(${MAX_MIGRATION_BYTES}))`,
    "AS $$",
    "BEGIN",
    "  EXECUTE statement_text;",
    "END;",
    "$$ LANGUAGE plpgsql SECURITY DEFINER",
  ].join("\n");
}

const runAsWriter = (schema: string, statement: string) => callSql(schema, RUN_AS_WRITER_PROCEDURE, [statement]);

/** Statements Terraform runs one by one, before any migration: schema, migrations table, the procedure. */
export function bootstrapStatements(schema: string): { id: string; sql: string }[] {
  return [
    { id: "schema", sql: createSchemaSql(schema) },
    { id: "migrations-table", sql: migrationsTableSql(schema) },
    { id: "apply-migration-procedure", sql: applyMigrationProcedureSql(schema) },
  ];
}

/** Users (without passwords), their schema grants and the run-as-writer procedure. */
export function foundationMigration(schema: string, users: WarehouseUsers): Migration {
  const runAs = `${qualifiedName(schema, RUN_AS_WRITER_PROCEDURE)}(VARCHAR)`;
  return migration(schema, FOUNDATION_MIGRATION, [
    ensureUserProcedureSql(schema),
    ...[users.writer, users.reader].map((user) => callSql(schema, ENSURE_USER_PROCEDURE, [user])),
    grantOnSchemaSql(schema, ["USAGE", "CREATE"], users.writer),
    grantOnSchemaSql(schema, ["USAGE"], users.reader),
    runAsWriterProcedureSql(schema),
    `ALTER PROCEDURE ${runAs} OWNER TO ${quoteIdentifier(users.writer)}`,
    `REVOKE EXECUTE ON PROCEDURE ${runAs} FROM PUBLIC`,
  ]);
}

/**
 * One view's drop-and-create (Redshift has no CREATE MATERIALIZED VIEW IF NOT EXISTS; a view is
 * derived data), run as the writer, with the reader's grant when BI publishes it. A migration of
 * its own inside the pipeline's: it runs again only when the view's own statements change, not
 * when, say, a column comment of the table does.
 */
export function viewMigration(schema: string, contract: WarehouseContractInput, viewName: string, users: WarehouseUsers, published: boolean): Migration {
  const view = contract.warehouse!.materialized_views.find((v) => v.name === viewName)!;
  const definition = createMaterializedViewSql(contract, view);
  return migration(
    schema,
    `${contract.pipeline}.${view.name}`,
    [
      runAsWriter(schema, dropMaterializedViewSql(schema, view.name, sha256Hex(definition))),
      runAsWriter(schema, definition),
      ...(published ? [runAsWriter(schema, grantOnTableSql(schema, view.name, ["SELECT"], users.reader))] : []),
    ],
    1,
  );
}

/**
 * Privileges of the writer on each table, what the jobs' load needs and no more: its MERGE updates
 * and inserts (Redshift, MERGE: "UPDATE, DELETE, and INSERT permissions for target_table depending
 * on the operations included in your MERGE statement"), its newest-wins guard reads the table to
 * delete from the job's own staging table. The staging tables (`<staging_table>_<kind>`) the writer
 * creates itself (`CREATE` on the schema), so it owns them and may drop and re-create them.
 */
export const WRITER_TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE"] as const;

/**
 * Everything one pipeline needs in the warehouse, as one migration: its table (CREATE TABLE IF NOT
 * EXISTS: a changed contract never alters data by itself), comments, grants, and its views.
 * `biSource` names the relation the BI reader may SELECT: "table", a view, or nothing.
 */
export function pipelineMigration(schema: string, contract: WarehouseContractInput, users: WarehouseUsers, biSource?: string): Migration {
  const warehouse = contract.warehouse;
  if (!warehouse) throw new DdlError(`pipeline "${contract.pipeline}" has no warehouse section`);
  return migration(schema, contract.pipeline, [
    createTableSql(contract),
    tableCommentSql(contract),
    ...columnCommentSql(contract).map((c) => c.sql),
    grantOnTableSql(schema, warehouse.table, WRITER_TABLE_PRIVILEGES, users.writer),
    ...(biSource === "table" ? [grantOnTableSql(schema, warehouse.table, ["SELECT"], users.reader)] : []),
    ...warehouse.materialized_views.map((view) => viewMigration(schema, contract, view.name, users, biSource === view.name).sql),
  ]);
}
