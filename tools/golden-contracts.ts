/**
 * `npm run golden`: regenerates the golden files the Python tests load: each pipeline's contract
 * (`glue-jobs/tests/golden/<pipeline>.contract.json`) and the warehouse statements the platform
 * deploys for it (`<pipeline>.warehouse.json`, which the Spark suite runs on PostgreSQL). A jest
 * test fails whenever the generators' output and these files differ, so TypeScript and Python
 * cannot drift apart silently: after a deliberate change to a pipeline, run this and commit both.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS } from "../environments";
import { pipelineTableStatements } from "../modules/warehouse/ddl";
import { CompiledPipeline, loadPipelines } from "../pipelines";

export const GOLDEN_DIR = join(__dirname, "..", "glue-jobs", "tests", "golden");
export const GOLDEN_PIPELINES = ["attendees", "session_checkins"] as const;
export const goldenPath = (pipeline: string): string => join(GOLDEN_DIR, `${pipeline}.contract.json`);
export const goldenWarehousePath = (pipeline: string): string => join(GOLDEN_DIR, `${pipeline}.warehouse.json`);

/** The golden warehouse file's text: the statements of `pipelineTableStatements`, one JSON string each. */
export function goldenWarehouseJson(pipeline: CompiledPipeline): string {
  return `${JSON.stringify({ statements: pipelineTableStatements(pipeline.contract) }, null, 2)}\n`;
}

if (require.main === module) {
  const pipelines = loadPipelines(ENVIRONMENT_CONFIGS.map((e) => e.name));
  for (const name of GOLDEN_PIPELINES) {
    const pipeline = pipelines.find((p) => p.name === name);
    if (!pipeline) throw new Error(`no pipeline ${name}`);
    writeFileSync(goldenPath(name), pipeline.contractJson);
    writeFileSync(goldenWarehousePath(name), goldenWarehouseJson(pipeline));
    process.stdout.write(`wrote ${goldenPath(name)} and ${goldenWarehousePath(name)}\n`);
  }
}
