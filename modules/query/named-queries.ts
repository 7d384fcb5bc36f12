import { qualifiedSqlName, quoteSqlIdentifier } from "../../lib/sql";

/**
 * SQL for the Athena workgroup's saved queries, generated from the pipelines' contracts by pure
 * functions. Identifiers are double-quoted (Athena/Trino), string literals single-quoted.
 */

export interface QueryColumn {
  readonly name: string;
  readonly type: string;
}

export interface QueryView {
  readonly name: string;
  readonly description: string;
  readonly group_by: readonly string[];
  readonly measures: readonly { readonly name: string; readonly aggregate: string; readonly column: string | null }[];
}

/** What the query module needs of one pipeline's contract. */
export interface QueryPipeline {
  readonly name: string;
  readonly contract: {
    readonly lake: { readonly columns: readonly QueryColumn[] };
    readonly sensitive: readonly { readonly field: string; readonly classification: string; readonly lake: string }[];
    readonly warehouse: { readonly materialized_views: readonly QueryView[] } | null;
  };
}

export interface NamedQuerySql {
  /** Suffix of the saved query's name, e.g. `attendees-by-country`. */
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

export const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;
const table = qualifiedSqlName;

function measureSql(measure: QueryView["measures"][number]): string {
  const column = measure.column === null ? undefined : quoteSqlIdentifier(measure.column);
  switch (measure.aggregate) {
    case "count":
      return "count(*)";
    case "count_distinct":
      return `count(DISTINCT ${column})`;
    case "sum":
    case "min":
    case "max":
    case "avg":
      return `${measure.aggregate}(${column})`;
    default:
      throw new Error(`measure ${measure.name}: aggregate ${JSON.stringify(measure.aggregate)} is not one of count, count_distinct, sum, min, max, avg`);
  }
}

/**
 * Each materialized view of the warehouse, asked of the lake instead: e.g. attendees by country
 * over the curated table. Views that read a column the lake does not hold (dropped there) are left out.
 */
export function viewQueries(database: string, pipeline: QueryPipeline): NamedQuerySql[] {
  const lakeColumns = new Set(pipeline.contract.lake.columns.map((c) => c.name));
  return (pipeline.contract.warehouse?.materialized_views ?? []).flatMap((view) => {
    const needed = [...view.group_by, ...view.measures.flatMap((m) => (m.column === null ? [] : [m.column]))];
    if (!needed.every((c) => lakeColumns.has(c))) return [];
    const groups = view.group_by.map(quoteSqlIdentifier);
    const measures = view.measures.map((m) => `${measureSql(m)} AS ${quoteSqlIdentifier(m.name)}`);
    const first = view.measures[0];
    const sql = [
      `SELECT ${[...groups, ...measures].join(", ")}`,
      `FROM ${table(database, pipeline.name)}`,
      ...(groups.length ? [`GROUP BY ${groups.join(", ")}`] : []),
      ...(first ? [`ORDER BY ${quoteSqlIdentifier(first.name)} DESC`] : []),
    ].join("\n");
    return [{ name: view.name.replace(/_/g, "-"), description: `${view.description} (from the lake)`, sql }];
  });
}

/**
 * A value that the lake's masking can never produce, per classification: finding one means the
 * clear value reached the lake. They mirror glue-jobs/platform_etl/masking.py (partial masks keep
 * an e-mail's first character and domain, a phone's last 2 and a card's last 4 digits, an IP's
 * network part, a name's initials; free text loses e-mail addresses and IPs).
 */
export const UNMASKED_PATTERNS: Readonly<Record<string, string>> = {
  email: "[^*]@",
  phone: "([0-9][^0-9]*){3}",
  credit_card: "([0-9][^0-9]*){5}",
  ip_address: "^([0-9]{1,3}[.]){3}[0-9]*[1-9][0-9]*$|:[0-9A-Fa-f]{1,4}$",
  person_name: "[^ .\t\r\n][^ .\t\r\n]",
  free_text: "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*[.][A-Za-z]{2,}|(^|[^0-9.])([0-9]{1,3}[.]){3}[0-9]{1,3}([^0-9]|$)",
};
export const SHA256_HEX = "^[0-9a-f]{64}$";

/**
 * One row per sensitive field whose lake action can be checked (`keep` cannot), each with the
 * number of violating rows: every `violations` must be 0. `drop`: the column must not exist;
 * `hash`: every value is 64 lowercase hex digits; `mask`: no value looks unmasked.
 */
export function lakePolicyCheckSql(database: string, pipeline: QueryPipeline): string | undefined {
  const selects = pipeline.contract.sensitive.flatMap(({ field, classification, lake }) => {
    const head = `SELECT ${quoteLiteral(field)} AS column_name, ${quoteLiteral(lake)} AS lake_action, count(*) AS violations`;
    const column = quoteSqlIdentifier(field);
    switch (lake) {
      case "drop":
        return [
          `${head} FROM information_schema.columns WHERE table_schema = ${quoteLiteral(database)} AND table_name = ${quoteLiteral(pipeline.name)} AND column_name = ${quoteLiteral(field)}`,
        ];
      case "hash":
        return [`${head} FROM ${table(database, pipeline.name)} WHERE ${column} IS NOT NULL AND NOT regexp_like(${column}, ${quoteLiteral(SHA256_HEX)})`];
      case "mask": {
        const pattern = UNMASKED_PATTERNS[classification];
        if (!pattern) throw new Error(`sensitive field ${field}: classification ${JSON.stringify(classification)} has no unmasked pattern; valid: ${Object.keys(UNMASKED_PATTERNS).join(", ")}`);
        return [`${head} FROM ${table(database, pipeline.name)} WHERE ${column} IS NOT NULL AND regexp_like(${column}, ${quoteLiteral(pattern)})`];
      }
      default:
        return [];
    }
  });
  return selects.length ? selects.join("\nUNION ALL\n") : undefined;
}

/** Every saved query of one pipeline. */
export function pipelineNamedQueries(database: string, pipeline: QueryPipeline): NamedQuerySql[] {
  const check = lakePolicyCheckSql(database, pipeline);
  return [
    ...viewQueries(database, pipeline),
    ...(check
      ? [{ name: "lake-policy-check", description: `${pipeline.name}: every row must show 0 violations of the lake masking policy`, sql: check }]
      : []),
  ];
}
