import { quoteSqlIdentifier } from "../../lib/sql";

/**
 * The warehouse schema as code: SQL generated from pipeline contracts by pure functions, one
 * statement each (`migrations.ts` bundles them into one migration per pipeline). Identifiers are
 * always double-quoted, so that a reserved word or an odd character in a name can never change the
 * meaning of a statement.
 */

/** The part of a pipeline contract (docs/contract.md) the warehouse reads. */
export interface WarehouseContractInput {
  readonly pipeline: string;
  readonly description: string;
  readonly fields: readonly { readonly name: string; readonly type: string; readonly required: boolean; readonly max_length: number | null }[];
  readonly event_id_field: string;
  readonly sensitive: readonly { readonly field: string; readonly warehouse: string }[];
  readonly warehouse: WarehouseSection | null;
}

export interface WarehouseColumn {
  readonly name: string;
  readonly type: string;
  readonly description: string;
}

export interface MaterializedViewSection {
  readonly name: string;
  readonly description: string;
  readonly group_by: readonly string[];
  readonly measures: readonly { readonly name: string; readonly aggregate: string; readonly column: string | null }[];
  readonly columns: readonly WarehouseColumn[];
}

export interface WarehouseSection {
  readonly schema: string;
  readonly table: string;
  readonly staging_table: string;
  readonly columns: readonly WarehouseColumn[];
  readonly sort_key: readonly string[];
  readonly dist_style: string;
  readonly dist_key: string | null;
  readonly materialized_views: readonly MaterializedViewSection[];
}

export class DdlError extends Error {}

/** Redshift identifiers are at most 127 bytes. */
const MAX_IDENTIFIER_BYTES = 127;
/** Redshift's widest VARCHAR, in bytes. */
export const MAX_VARCHAR_BYTES = 65535;
/** UTF-8 needs up to 4 bytes per character, and Redshift sizes VARCHAR in bytes. */
export const BYTES_PER_CHARACTER = 4;
/** Characters assumed for strings whose length the contract does not bound (reference and derived columns). */
export const UNBOUNDED_STRING_CHARACTERS = 1024;
/** A masked value may be the marker `[REDACTED]` even where the field itself is shorter. */
export const MIN_MASKED_BYTES = 64;
/** SHA-256 in hex: always 64 ASCII characters. */
export const HASH_TYPE = "CHAR(64)";

/** `"name"`, embedded double quotes doubled; refuses what Redshift cannot name. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new DdlError("an identifier cannot be empty");
  if (/[\u0000\r\n]/.test(name)) throw new DdlError(`identifier ${JSON.stringify(name)} contains a NUL or line break, which Redshift refuses`);
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > MAX_IDENTIFIER_BYTES) throw new DdlError(`identifier ${JSON.stringify(name)} is ${bytes} bytes; Redshift allows ${MAX_IDENTIFIER_BYTES}`);
  return quoteSqlIdentifier(name);
}

/** `"schema"."object"`. */
export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/** A string literal: quotes doubled, and backslashes doubled because Redshift reads them as escapes. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

const DECIMAL = /^decimal\((\d{1,2}),(\d{1,2})\)$/;

/** How a masked column is stored: the warehouse action decides, not the field's own type. */
export type MaskAction = "hash" | "redact" | "partial";

/**
 * The Redshift type of a contract type. Strings are sized in bytes (4 per character, capped at
 * 65535); a hashed column is always 64 hex characters; a partially masked or redacted one may hold
 * the `[REDACTED]` marker, so it gets at least {@link MIN_MASKED_BYTES}.
 */
export function redshiftType(type: string, maxLength: number | null = null, mask?: MaskAction): string {
  if (mask === "hash") return HASH_TYPE;
  const decimal = DECIMAL.exec(type);
  if (decimal) {
    const [precision, scale] = [Number(decimal[1]), Number(decimal[2])];
    if (precision < 1 || precision > 38 || scale > precision) throw new DdlError(`type "${type}": Redshift DECIMAL needs 1 <= precision <= 38 and scale <= precision`);
    return `DECIMAL(${precision},${scale})`;
  }
  switch (type) {
    case "string": {
      const bytes = Math.min((maxLength ?? UNBOUNDED_STRING_CHARACTERS) * BYTES_PER_CHARACTER, MAX_VARCHAR_BYTES);
      return `VARCHAR(${mask ? Math.max(bytes, MIN_MASKED_BYTES) : bytes})`;
    }
    case "int":
      return "INTEGER";
    case "long":
      return "BIGINT";
    case "double":
      return "DOUBLE PRECISION";
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "DATE";
    case "timestamp":
      // The jobs normalise every timestamp to UTC; TIMESTAMP (without zone) stores it as such.
      return "TIMESTAMP";
    default:
      throw new DdlError(`type "${type}" has no Redshift mapping; valid: string, int, long, double, boolean, date, timestamp, decimal(p,s)`);
  }
}

function requireWarehouse(contract: WarehouseContractInput): WarehouseSection {
  if (!contract.warehouse) throw new DdlError(`pipeline "${contract.pipeline}" has no warehouse section`);
  return contract.warehouse;
}

/** One column definition: name, type, and NOT NULL for required fields kept by the warehouse. */
export function columnDefinition(contract: WarehouseContractInput, column: WarehouseColumn): string {
  const field = contract.fields.find((f) => f.name === column.name);
  const action = contract.sensitive.find((s) => s.field === column.name)?.warehouse;
  const mask = action === "hash" || action === "redact" || action === "partial" ? action : undefined;
  const type = redshiftType(field && !mask ? field.type : column.type, field?.max_length ?? null, mask);
  return `${quoteIdentifier(column.name)} ${type}${field?.required ? " NOT NULL" : ""}`;
}

function requireColumns(pipeline: string, what: string, names: readonly string[], columns: readonly WarehouseColumn[]): void {
  const known = columns.map((c) => c.name);
  const missing = names.filter((n) => !known.includes(n));
  if (missing.length) {
    throw new DdlError(`pipeline "${pipeline}": ${what} names ${missing.map((m) => `"${m}"`).join(", ")}, not a warehouse column; valid: ${known.join(", ")}`);
  }
}

/** DISTSTYLE/DISTKEY and SORTKEY clauses. */
export function distributionAndSort(contract: WarehouseContractInput): string[] {
  const warehouse = requireWarehouse(contract);
  requireColumns(contract.pipeline, "sort_key", warehouse.sort_key, warehouse.columns);
  const clauses: string[] = [];
  switch (warehouse.dist_style) {
    case "key":
      if (!warehouse.dist_key) throw new DdlError(`pipeline "${contract.pipeline}": dist_style "key" needs a dist_key; valid: one of ${warehouse.columns.map((c) => c.name).join(", ")}`);
      requireColumns(contract.pipeline, "dist_key", [warehouse.dist_key], warehouse.columns);
      clauses.push("DISTSTYLE KEY", `DISTKEY (${quoteIdentifier(warehouse.dist_key)})`);
      break;
    case "auto":
    case "even":
    case "all":
      clauses.push(`DISTSTYLE ${warehouse.dist_style.toUpperCase()}`);
      break;
    default:
      throw new DdlError(`pipeline "${contract.pipeline}": dist_style "${warehouse.dist_style}" is not valid; valid: auto, even, key, all`);
  }
  if (warehouse.sort_key.length) clauses.push(`COMPOUND SORTKEY (${warehouse.sort_key.map(quoteIdentifier).join(", ")})`);
  return clauses;
}

/**
 * `CREATE TABLE IF NOT EXISTS`: safe to run again, and a no-op on an existing table, which is why
 * a changed contract needs a migration (README.md). The event id is the informational primary key
 * the jobs' MERGE keeps unique.
 */
export function createTableSql(contract: WarehouseContractInput): string {
  const warehouse = requireWarehouse(contract);
  requireColumns(contract.pipeline, "event_id_field", [contract.event_id_field], warehouse.columns);
  const lines = [...warehouse.columns.map((c) => columnDefinition(contract, c)), `PRIMARY KEY (${quoteIdentifier(contract.event_id_field)})`];
  return [
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(warehouse.schema, warehouse.table)} (`,
    lines.map((l) => `  ${l}`).join(",\n"),
    `)`,
    ...distributionAndSort(contract),
  ].join("\n");
}

export function tableCommentSql(contract: WarehouseContractInput): string {
  const warehouse = requireWarehouse(contract);
  return `COMMENT ON TABLE ${qualifiedName(warehouse.schema, warehouse.table)} IS ${quoteLiteral(`${contract.description} (pipeline ${contract.pipeline})`)}`;
}

/** One `COMMENT ON COLUMN` per column: the descriptions analysts see. */
export function columnCommentSql(contract: WarehouseContractInput): { column: string; sql: string }[] {
  const warehouse = requireWarehouse(contract);
  return warehouse.columns.map((c) => ({
    column: c.name,
    sql: `COMMENT ON COLUMN ${qualifiedName(warehouse.schema, warehouse.table)}.${quoteIdentifier(c.name)} IS ${quoteLiteral(c.description)}`,
  }));
}

/** The SQL expression of one measure. */
export function measureExpression(measure: { name: string; aggregate: string; column: string | null }): string {
  const column = () => {
    if (!measure.column) throw new DdlError(`measure "${measure.name}": aggregate "${measure.aggregate}" needs a column`);
    return quoteIdentifier(measure.column);
  };
  switch (measure.aggregate) {
    case "count":
      return "COUNT(*)";
    case "count_distinct":
      return `COUNT(DISTINCT ${column()})`;
    case "sum":
    case "min":
    case "max":
      return `${measure.aggregate.toUpperCase()}(${column()})`;
    case "avg":
      // AVG of an integer column truncates in Redshift.
      return `AVG(CAST(${column()} AS DOUBLE PRECISION))`;
    default:
      throw new DdlError(`measure "${measure.name}": aggregate "${measure.aggregate}" is not valid; valid: count, count_distinct, sum, min, max, avg`);
  }
}

/**
 * The view's defining statement. AUTO REFRESH NO: the jobs refresh their views once each load's
 * MERGE has committed, and catalog automation refreshes after crawls, so Redshift's own scheduler would
 * only spend RPUs twice. BACKUP YES keeps it in snapshots and recovery points.
 */
export function createMaterializedViewSql(contract: WarehouseContractInput, view: MaterializedViewSection): string {
  const warehouse = requireWarehouse(contract);
  requireColumns(contract.pipeline, `materialized view "${view.name}" group_by`, view.group_by, warehouse.columns);
  const measureColumns = view.measures.flatMap((m) => (m.column ? [m.column] : []));
  requireColumns(contract.pipeline, `materialized view "${view.name}" measures`, measureColumns, warehouse.columns);
  const groups = view.group_by.map(quoteIdentifier);
  const selected = [...groups, ...view.measures.map((m) => `${measureExpression(m)} AS ${quoteIdentifier(m.name)}`)];
  return [
    `CREATE MATERIALIZED VIEW ${qualifiedName(warehouse.schema, view.name)}`,
    "BACKUP YES",
    "AUTO REFRESH NO",
    "AS SELECT",
    selected.map((s) => `  ${s}`).join(",\n"),
    `FROM ${qualifiedName(warehouse.schema, warehouse.table)}`,
    `GROUP BY ${groups.join(", ")}`,
  ].join("\n");
}

/**
 * Redshift has no `CREATE MATERIALIZED VIEW IF NOT EXISTS`. The view is derived data, so the
 * idempotent form is drop-then-create; the drop carries the definition's hash so that Terraform
 * runs it again (ForceNew `sql`) exactly when the definition changes.
 */
export function dropMaterializedViewSql(schema: string, view: string, definitionSha256: string): string {
  return `DROP MATERIALIZED VIEW IF EXISTS ${qualifiedName(schema, view)} /* definition sha256 ${definitionSha256} */`;
}

export type SchemaPrivilege = "USAGE" | "CREATE";
export type TablePrivilege = "SELECT" | "INSERT" | "UPDATE" | "DELETE";

export function grantOnSchemaSql(schema: string, privileges: readonly SchemaPrivilege[], user: string): string {
  return `GRANT ${privileges.join(", ")} ON SCHEMA ${quoteIdentifier(schema)} TO ${quoteIdentifier(user)}`;
}

export function grantOnTableSql(schema: string, relation: string, privileges: readonly TablePrivilege[], user: string): string {
  return `GRANT ${privileges.join(", ")} ON TABLE ${qualifiedName(schema, relation)} TO ${quoteIdentifier(user)}`;
}
