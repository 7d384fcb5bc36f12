/**
 * SQL quoting shared by every engine the platform writes SQL for (Redshift, Athena/Trino). Both
 * follow the standard: identifiers in double quotes, an embedded double quote doubled. Engine
 * specifics (Redshift's length limit and backslash escapes) live with the engine's SQL.
 */
export function quoteSqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."object"`. */
export function qualifiedSqlName(schema: string, name: string): string {
  return `${quoteSqlIdentifier(schema)}.${quoteSqlIdentifier(name)}`;
}
