import {
  DdlError,
  WarehouseContractInput,
  createMaterializedViewSql,
  createTableSql,
  columnCommentSql,
  measureExpression,
  quoteIdentifier,
  quoteLiteral,
  redshiftType,
} from "../../modules/warehouse";
import { PIPELINE_DEFINITIONS, PipelineDefinition } from "../../pipelines";
import { attendees } from "../../pipelines/attendees";
import { compilePipeline } from "../../pipelines/compile";

const attendeesContract = compilePipeline(attendees).contract;

/** A contract with one column per type, built by hand so that the mapping is checked independently. */
function contractWith(columns: { name: string; type: string; max_length?: number | null; required?: boolean; mask?: string }[], overrides: Partial<NonNullable<WarehouseContractInput["warehouse"]>> = {}): WarehouseContractInput {
  return {
    pipeline: "typed",
    description: "Every type",
    fields: columns.map((c) => ({ name: c.name, type: c.type, required: c.required ?? false, max_length: c.max_length ?? null })),
    event_id_field: columns[0].name,
    sensitive: columns.filter((c) => c.mask).map((c) => ({ field: c.name, warehouse: c.mask! })),
    warehouse: {
      schema: "data_platform",
      table: "typed",
      staging_table: "typed_staging",
      columns: columns.map((c) => ({ name: c.name, type: c.mask === "hash" ? "string" : c.type, description: `the ${c.name}` })),
      sort_key: [columns[0].name],
      dist_style: "auto",
      dist_key: null,
      materialized_views: [],
      ...overrides,
    },
  };
}

describe("Redshift types from contract types", () => {
  it.each([
    ["int", null, "INTEGER"],
    ["long", null, "BIGINT"],
    ["double", null, "DOUBLE PRECISION"],
    ["boolean", null, "BOOLEAN"],
    ["date", null, "DATE"],
    ["timestamp", null, "TIMESTAMP"],
    ["decimal(10,2)", null, "DECIMAL(10,2)"],
    ["decimal(38,0)", null, "DECIMAL(38,0)"],
    ["string", 10, "VARCHAR(40)"],
    ["string", 20000, "VARCHAR(65535)"],
    ["string", null, "VARCHAR(4096)"],
  ] as const)("%s (max_length %s) is %s", (type, maxLength, expected) => {
    expect(redshiftType(type, maxLength)).toBe(expected);
  });

  it("stores a hashed column as 64 hex characters whatever the field's length", () => {
    expect(redshiftType("string", 254, "hash")).toBe("CHAR(64)");
  });

  it("leaves room for the [REDACTED] marker in short masked columns", () => {
    expect(redshiftType("string", 2, "partial")).toBe("VARCHAR(64)");
    expect(redshiftType("string", 2000, "redact")).toBe("VARCHAR(8000)");
  });

  it("refuses an unknown type, naming it and the valid ones", () => {
    expect(() => redshiftType("varchar")).toThrow(/"varchar".*valid: string, int, long/);
    expect(() => redshiftType("decimal(40,2)")).toThrow(/precision <= 38/);
  });

  it("maps every column of a contract with every type", () => {
    const sql = createTableSql(
      contractWith([
        { name: "id", type: "long", required: true },
        { name: "n", type: "int" },
        { name: "ratio", type: "double" },
        { name: "flag", type: "boolean" },
        { name: "amount", type: "decimal(12,3)" },
        { name: "day", type: "date" },
        { name: "at", type: "timestamp", required: true },
        { name: "label", type: "string", max_length: 5 },
        { name: "secret", type: "string", max_length: 100, mask: "hash" },
      ]),
    );
    for (const line of ['"id" BIGINT NOT NULL', '"n" INTEGER,', '"ratio" DOUBLE PRECISION', '"flag" BOOLEAN', '"amount" DECIMAL(12,3)', '"day" DATE', '"at" TIMESTAMP NOT NULL', '"label" VARCHAR(20)', '"secret" CHAR(64)']) {
      expect(sql).toContain(line);
    }
  });
});

describe("identifiers and literals", () => {
  it("always double-quotes, doubling embedded quotes", () => {
    expect(quoteIdentifier("plain")).toBe('"plain"');
    expect(quoteIdentifier('we"ird')).toBe('"we""ird"');
  });

  it("quotes reserved words like any other name", () => {
    const sql = createTableSql(contractWith([{ name: "user", type: "string", required: true }, { name: "select", type: "int" }]));
    expect(sql).toContain('"user" VARCHAR');
    expect(sql).toContain('"select" INTEGER');
    expect(sql).not.toMatch(/[^"]select[^"]/);
  });

  it("quotes a table whose name holds a double quote", () => {
    const sql = createTableSql(contractWith([{ name: "id", type: "int", required: true }], { table: 'odd"name' }));
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS "data_platform"."odd""name" (');
  });

  it("refuses names Redshift cannot hold", () => {
    expect(() => quoteIdentifier("")).toThrow(DdlError);
    expect(() => quoteIdentifier("a\nb")).toThrow(/line break/);
    expect(() => quoteIdentifier("x".repeat(128))).toThrow(/128 bytes; Redshift allows 127/);
  });

  it("escapes quotes and backslashes in comments", () => {
    expect(quoteLiteral("it's a \\ path")).toBe("'it''s a \\\\ path'");
    const comments = columnCommentSql(contractWith([{ name: "id", type: "int", required: true }]));
    expect(comments).toEqual([{ column: "id", sql: `COMMENT ON COLUMN "data_platform"."typed"."id" IS 'the id'` }]);
  });
});

describe("distribution and sort keys", () => {
  const columns = [{ name: "id", type: "string", max_length: 64, required: true }, { name: "at", type: "timestamp", required: true }];

  it.each([
    ["auto", null, "DISTSTYLE AUTO"],
    ["even", null, "DISTSTYLE EVEN"],
    ["all", null, "DISTSTYLE ALL"],
    ["key", "id", 'DISTSTYLE KEY\nDISTKEY ("id")'],
  ] as const)("dist_style %s", (style, key, clause) => {
    expect(createTableSql(contractWith(columns, { dist_style: style, dist_key: key }))).toContain(clause);
  });

  it("writes a compound sort key in the contract's order", () => {
    expect(createTableSql(contractWith(columns, { sort_key: ["at", "id"] }))).toContain('COMPOUND SORTKEY ("at", "id")');
  });

  it("refuses a key style without a key, and keys that are not columns", () => {
    expect(() => createTableSql(contractWith(columns, { dist_style: "key", dist_key: null }))).toThrow(/dist_style "key" needs a dist_key; valid: one of id, at/);
    expect(() => createTableSql(contractWith(columns, { sort_key: ["nope"] }))).toThrow(/sort_key names "nope", not a warehouse column; valid: id, at/);
    expect(() => createTableSql(contractWith(columns, { dist_style: "random" }))).toThrow(/"random" is not valid; valid: auto, even, key, all/);
  });
});

describe("the attendees table", () => {
  const sql = createTableSql(attendeesContract);

  it("hashes the e-mail, sizes strings in bytes and keeps required fields NOT NULL", () => {
    expect(sql).toContain('"attendee_id" VARCHAR(256) NOT NULL');
    expect(sql).toContain('"email" CHAR(64) NOT NULL');
    expect(sql).toContain('"country_code" VARCHAR(8) NOT NULL');
    expect(sql).toContain('"registered_at" TIMESTAMP NOT NULL');
    expect(sql).toContain('"notes" VARCHAR(8000),');
    expect(sql).toContain('"country_name" VARCHAR(4096)');
    expect(sql).toContain('PRIMARY KEY ("attendee_id")');
    expect(sql).toMatch(/DISTSTYLE KEY\nDISTKEY \("attendee_id"\)\nCOMPOUND SORTKEY \("registered_at"\)$/);
  });

  it("is safe to run again", () => {
    expect(sql.startsWith('CREATE TABLE IF NOT EXISTS "data_platform"."attendees" (')).toBe(true);
  });

  it("changes when the contract gains a field", () => {
    const changed: PipelineDefinition = {
      ...attendees,
      schema: { ...attendees.schema, fields: [...attendees.schema.fields, { name: "dietary_needs", type: "string", maxLength: 50, description: "Dietary requirements" }] },
    };
    const changedSql = createTableSql(compilePipeline(changed).contract);
    expect(changedSql).not.toBe(sql);
    expect(changedSql).toContain('"dietary_needs" VARCHAR(200)');
    expect(sql).not.toContain("dietary_needs");
  });
});

describe("materialized views", () => {
  it.each([
    [{ name: "n", aggregate: "count", column: null }, "COUNT(*)"],
    [{ name: "n", aggregate: "count_distinct", column: "a" }, 'COUNT(DISTINCT "a")'],
    [{ name: "n", aggregate: "sum", column: "a" }, 'SUM("a")'],
    [{ name: "n", aggregate: "min", column: "a" }, 'MIN("a")'],
    [{ name: "n", aggregate: "max", column: "a" }, 'MAX("a")'],
    [{ name: "n", aggregate: "avg", column: "a" }, 'AVG(CAST("a" AS DOUBLE PRECISION))'],
  ])("%j is %s", (measure, expected) => {
    expect(measureExpression(measure)).toBe(expected);
  });

  it("refuses an aggregate without its column", () => {
    expect(() => measureExpression({ name: "total", aggregate: "sum", column: null })).toThrow(/measure "total": aggregate "sum" needs a column/);
  });

  it("builds attendees_by_country from the contract", () => {
    const view = attendeesContract.warehouse!.materialized_views.find((v) => v.name === "attendees_by_country")!;
    const sql = createMaterializedViewSql(attendeesContract, view);
    expect(sql).toContain('CREATE MATERIALIZED VIEW "data_platform"."attendees_by_country"');
    expect(sql).toContain('COUNT(DISTINCT "attendee_id") AS "attendee_count"');
    expect(sql).toContain('FROM "data_platform"."attendees"');
    expect(sql).toContain('GROUP BY "country_code", "country_name", "country_region", "ticket_type"');
    expect(sql).toContain("AUTO REFRESH NO");
  });

  it("builds every view of every pipeline, grouping by exactly its group_by columns", () => {
    const views = PIPELINE_DEFINITIONS.flatMap((def) => {
      const contract = compilePipeline(def).contract;
      return (contract.warehouse?.materialized_views ?? []).map((view) => ({ contract, view }));
    });
    expect(views.length).toBeGreaterThanOrEqual(2);
    for (const { contract, view } of views) {
      const sql = createMaterializedViewSql(contract, view);
      expect(sql).toContain(`GROUP BY ${view.group_by.map((g) => `"${g}"`).join(", ")}`);
      for (const measure of view.measures) expect(sql).toContain(`AS "${measure.name}"`);
    }
    const checkins = views.find((v) => v.view.name === "checkins_by_session")!;
    expect(createMaterializedViewSql(checkins.contract, checkins.view)).toContain('COUNT(*) AS "checkin_count"');
  });

  it("refuses a view over a column the table does not have", () => {
    const view = { ...attendeesContract.warehouse!.materialized_views[0], group_by: ["email_clear"] };
    expect(() => createMaterializedViewSql(attendeesContract, view)).toThrow(/group_by names "email_clear"/);
  });
});
