import {
  DEFAULT_WAREHOUSE_USERS,
  FOUNDATION_MIGRATION,
  MIGRATIONS_TABLE,
  WarehouseContractInput,
  bootstrapStatements,
  foundationMigration,
  migration,
  pipelineMigration,
} from "../../modules/warehouse";
import { loadPipelines } from "../../pipelines";
import { PostgresServer, REDSHIFT_ON_POSTGRES, redshiftToPostgres, startPostgres } from "../helpers/postgres";

/**
 * The warehouse's migrations, run for real on PostgreSQL 15, whose PL/pgSQL Redshift's stored
 * procedures follow: the generated SQL as the platform sends it through the Data API (one
 * statement per request, autocommit), after a dialect shim that only removes what PostgreSQL does
 * not have. What is proven here: each migration runs once, running it again changes nothing, a
 * failure leaves nothing behind, the views belong to the writer (who must REFRESH them), the
 * reader sees only what BI publishes, and a view is rebuilt only when its own definition changes.
 *
 * The dialect: the Spark suite's one adapter from Redshift to PostgreSQL (`redshiftToPostgres`,
 * `REDSHIFT_ON_POSTGRES`): Redshift's table and view attributes (DISTSTYLE, DISTKEY, SORTKEY,
 * BACKUP, AUTO REFRESH) are dropped; `PASSWORD DISABLE` is Redshift's `PASSWORD NULL`; Redshift's
 * GETDATE() is a function here; and, as in Redshift, a backslash in a string literal is an escape
 * (standard_conforming_strings off), which is why the generator doubles them.
 */

const USERS = DEFAULT_WAREHOUSE_USERS;
const SCHEMA = "data_platform";
const attendees = loadPipelines(["dev", "stage", "prod"]).find((p) => p.name === "attendees")!;
const SESSION = REDSHIFT_ON_POSTGRES.session.map((setting) => `${setting};\n`).join("");

describe("schema migrations on PostgreSQL", () => {
  let pg: PostgresServer;
  /** One Data API statement: its own session and transaction. */
  const execute = (sql: string, user = "postgres") => pg.sql(`${SESSION}${redshiftToPostgres(sql)};`, user);
  const failure = (sql: string, user = "postgres") => pg.error(`${SESSION}${redshiftToPostgres(sql)};`, user);
  const applied = () => pg.sql(`SELECT migration || ' ' || statements FROM ${SCHEMA}.${MIGRATIONS_TABLE} ORDER BY applied_at, migration`).split("\n").filter(Boolean);
  const published = (contract: WarehouseContractInput) => pipelineMigration(SCHEMA, contract, USERS, "attendees_by_country");

  beforeAll(() => {
    pg = startPostgres();
    for (const fn of REDSHIFT_ON_POSTGRES.functions) pg.sql(`${fn};`);
    for (const { sql } of bootstrapStatements(SCHEMA)) execute(sql);
    execute(foundationMigration(SCHEMA, USERS).sql);
  }, 60_000);
  afterAll(() => pg?.stop());

  it("creates the users without a password, and grants them the schema", () => {
    expect(pg.sql("SELECT rolname || ' ' || (rolpassword IS NULL) FROM pg_authid WHERE rolname LIKE 'dp_%' ORDER BY rolname")).toBe("dp_bi_reader true\ndp_etl_writer true");
    expect(pg.sql(`SELECT has_schema_privilege('dp_etl_writer', '${SCHEMA}', 'CREATE'), has_schema_privilege('dp_bi_reader', '${SCHEMA}', 'CREATE')`)).toBe("t|f");
    expect(applied()).toEqual([`${FOUNDATION_MIGRATION} ${foundationMigration(SCHEMA, USERS).statements.length}`]);
  });

  it("applies a pipeline's migration once: table, comments, grants, and its views owned by the writer", () => {
    execute(published(attendees.contract).sql);
    const table = attendees.contract.warehouse!.table;
    expect(pg.sql(`SELECT obj_description('${SCHEMA}.${table}'::regclass)`)).toContain("(pipeline attendees)");
    expect(Number(pg.sql(`SELECT count(*) FROM pg_description WHERE objoid = '${SCHEMA}.${table}'::regclass AND objsubid > 0`))).toBe(attendees.contract.warehouse!.columns.length);
    expect(pg.sql(`SELECT matviewowner FROM pg_matviews WHERE schemaname = '${SCHEMA}' ORDER BY matviewname`).split("\n")).toEqual(
      attendees.contract.warehouse!.materialized_views.map(() => "dp_etl_writer"),
    );
    expect(applied()).toEqual([`${FOUNDATION_MIGRATION} ${foundationMigration(SCHEMA, USERS).statements.length}`, "attendees.attendees_by_country 3", `attendees ${published(attendees.contract).statements.length}`]);
  });

  it("lets the writer load, re-create its staging tables and refresh, and nothing more; the reader reads only what BI publishes", () => {
    const table = `${SCHEMA}.${attendees.contract.warehouse!.table}`;
    expect(failure(`INSERT INTO ${table} SELECT * FROM ${table} WHERE false`, "dp_etl_writer")).toBeUndefined();
    // Each job's preactions drop and re-create its own staging table like the target (platform_etl/warehouse.py).
    const staging = `${SCHEMA}.${attendees.contract.warehouse!.staging_table}_streaming`;
    expect(failure(`DROP TABLE IF EXISTS ${staging}; CREATE TABLE ${staging} (LIKE ${table}); DROP TABLE ${staging}`, "dp_etl_writer")).toBeUndefined();
    // The MERGE inserts and updates; nothing the jobs run deletes from the table or changes it.
    expect(failure(`DELETE FROM ${table}`, "dp_etl_writer")).toMatch(/permission denied/);
    expect(failure(`DROP TABLE ${table}`, "dp_etl_writer")).toMatch(/must be owner/);
    expect(failure(`REFRESH MATERIALIZED VIEW ${SCHEMA}.attendees_by_country`, "dp_etl_writer")).toBeUndefined();
    expect(failure(`SELECT count(*) FROM ${SCHEMA}.attendees_by_country`, "dp_bi_reader")).toBeUndefined();
    expect(failure(`SELECT count(*) FROM ${table}`, "dp_bi_reader")).toMatch(/permission denied/);
    // The writer's SECURITY DEFINER procedure is not anyone's way to act as the writer.
    expect(failure(`CALL ${SCHEMA}.dp_run_as_etl_writer('DROP TABLE ${table}')`, "dp_bi_reader")).toMatch(/permission denied/);
  });

  it("runs the same migration again without changing anything (a plan after the Data API forgot it, or a re-created statement)", () => {
    const viewBefore = pg.sql(`SELECT oid FROM pg_class WHERE relname = 'attendees_by_country'`);
    const before = applied();
    execute(published(attendees.contract).sql);
    execute(foundationMigration(SCHEMA, USERS).sql);
    for (const { sql } of bootstrapStatements(SCHEMA)) execute(sql);
    expect(applied()).toEqual(before);
    expect(pg.sql(`SELECT oid FROM pg_class WHERE relname = 'attendees_by_country'`)).toBe(viewBefore);
  });

  it("rebuilds a view only when its own definition changes", () => {
    const viewOid = () => pg.sql(`SELECT oid FROM pg_class WHERE relname = 'attendees_by_country'`);
    const original = viewOid();
    const recommented = { ...attendees.contract, description: `${attendees.contract.description}, revised` };
    execute(published(recommented).sql);
    expect(viewOid()).toBe(original);
    expect(pg.sql(`SELECT obj_description('${SCHEMA}.attendees'::regclass)`)).toContain("revised");

    const view = recommented.warehouse!.materialized_views[0];
    const regrouped = { ...recommented, warehouse: { ...recommented.warehouse!, materialized_views: [{ ...view, group_by: view.group_by.slice(0, 1), columns: view.columns.filter((c) => c.name === view.group_by[0] || view.measures.some((m) => m.name === c.name)) }] } };
    execute(published(regrouped).sql);
    expect(viewOid()).not.toBe(original);
    expect(pg.sql(`SELECT matviewowner FROM pg_matviews WHERE matviewname = 'attendees_by_country'`)).toBe("dp_etl_writer");
    expect(failure(`SELECT count(*) FROM ${SCHEMA}.attendees_by_country`, "dp_bi_reader")).toBeUndefined();
  });

  it("leaves nothing behind when one statement of a migration fails, and records nothing", () => {
    const broken = migration(SCHEMA, "broken", [`CREATE TABLE ${SCHEMA}.half_done (id INTEGER)`, `GRANT SELECT ON TABLE ${SCHEMA}.no_such_table TO dp_bi_reader`]);
    expect(failure(broken.sql)).toMatch(/no_such_table/);
    expect(pg.sql(`SELECT count(*) FROM pg_class WHERE relname = 'half_done'`)).toBe("0");
    expect(applied().some((a) => a.startsWith("broken"))).toBe(false);
  });
});
