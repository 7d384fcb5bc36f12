/**
 * `npm run golden`: regenerates the golden contract files the Python tests load
 * (`glue-jobs/tests/golden/<pipeline>.contract.json`). A jest test fails whenever the generator's
 * output and these files differ, so TypeScript and Python cannot drift apart silently: after a
 * deliberate change to a pipeline, run this and commit both.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS } from "../environments";
import { loadPipelines } from "../pipelines";

export const GOLDEN_DIR = join(__dirname, "..", "glue-jobs", "tests", "golden");
export const GOLDEN_PIPELINES = ["attendees", "session_checkins"] as const;
export const goldenPath = (pipeline: string): string => join(GOLDEN_DIR, `${pipeline}.contract.json`);

if (require.main === module) {
  const pipelines = loadPipelines(ENVIRONMENT_CONFIGS.map((e) => e.name));
  for (const name of GOLDEN_PIPELINES) {
    const pipeline = pipelines.find((p) => p.name === name);
    if (!pipeline) throw new Error(`no pipeline ${name}`);
    writeFileSync(goldenPath(name), pipeline.contractJson);
    process.stdout.write(`wrote ${goldenPath(name)}\n`);
  }
}
