/**
 * `npm run golden`: regenerates the golden files the Python tests load: each pipeline's contract
 * (`glue-jobs/tests/golden/<pipeline>.contract.json`) and the Data API statements the warehouse
 * module runs for it (`<pipeline>.warehouse.json`: bootstrap, the foundation migration and the
 * pipeline's migration, as Redshift SQL; the Spark suite runs them on PostgreSQL through its
 * adapter). Jest fails whenever the generators' output and these files differ, or a golden
 * statement is not one the synthesized stacks run, so TypeScript and Python cannot drift apart
 * silently: after a deliberate change to a pipeline or the migrations, run this and commit both.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_WAREHOUSE_USERS, WarehouseUsers, bootstrapStatements, foundationMigration, pipelineMigration } from "../modules/warehouse";
import type { CompiledPipeline } from "../pipelines";
import { warehousePipeline } from "../stacks/platform-stack";
import { loadConfiguration } from "../stacks/validate";
import { CommandSpec, EXIT, cliMain } from "./cli-args";

export const GOLDEN_DIR = join(__dirname, "..", "glue-jobs", "tests", "golden");
export const GOLDEN_PIPELINES = ["attendees", "session_checkins"] as const;
export const goldenPath = (pipeline: string): string => join(GOLDEN_DIR, `${pipeline}.contract.json`);
export const goldenWarehousePath = (pipeline: string): string => join(GOLDEN_DIR, `${pipeline}.warehouse.json`);

/** What the Spark suite builds its warehouse from: the users, and the statements in the order they run. */
export interface GoldenWarehouse {
  readonly users: WarehouseUsers;
  readonly statements: readonly string[];
}

/**
 * The statements the warehouse module runs for one pipeline, each one Data API request, in order:
 * schema, migrations table and procedure; the foundation migration (users, schema grants, the
 * run-as-writer procedure); the pipeline's migration (table, comments, grants, views owned by the
 * writer).
 */
export function goldenWarehouse(pipeline: CompiledPipeline, users: WarehouseUsers = DEFAULT_WAREHOUSE_USERS): GoldenWarehouse {
  const { contract, biSource } = warehousePipeline(pipeline);
  if (!contract.warehouse) throw new Error(`pipeline ${pipeline.name} has no warehouse table`);
  const schema = contract.warehouse.schema;
  return {
    users,
    statements: [
      ...bootstrapStatements(schema).map((s) => s.sql),
      foundationMigration(schema, users).sql,
      pipelineMigration(schema, contract, users, biSource).sql,
    ],
  };
}

/** The golden warehouse file's text. */
export function goldenWarehouseJson(pipeline: CompiledPipeline): string {
  return `${JSON.stringify(goldenWarehouse(pipeline), null, 2)}\n`;
}

export const GOLDEN: CommandSpec = {
  command: "npm run golden --",
  summary: `Writes the contracts and warehouse statements of ${GOLDEN_PIPELINES.join(" and ")} to glue-jobs/tests/golden/, the files the Python and Spark tests load.\nRun it after a deliberate change to those pipelines, review the diff, commit both.`,
  options: [],
  exitCodes: { [EXIT.failed]: "a golden pipeline is missing from pipelines/index.ts" },
};

if (require.main === module) {
  cliMain(GOLDEN, () => {
    const { pipelines } = loadConfiguration();
    for (const name of GOLDEN_PIPELINES) {
      const pipeline = pipelines.find((p) => p.name === name);
      if (!pipeline) {
        process.stderr.write(`golden: no pipeline ${name} in pipelines/index.ts\n`);
        return EXIT.failed;
      }
      writeFileSync(goldenPath(name), pipeline.contractJson);
      writeFileSync(goldenWarehousePath(name), goldenWarehouseJson(pipeline));
      process.stdout.write(`wrote ${goldenPath(name)} and ${goldenWarehousePath(name)}\n`);
    }
    return EXIT.ok;
  });
}
