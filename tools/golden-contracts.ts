/**
 * `npm run golden`: regenerates the golden contract files the Python tests load
 * (`glue-jobs/tests/golden/<pipeline>.contract.json`). A jest test fails whenever the generator's
 * output and these files differ, so TypeScript and Python cannot drift apart silently: after a
 * deliberate change to a pipeline, run this and commit both.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfiguration } from "../stacks/validate";
import { CommandSpec, EXIT, cliMain } from "./cli-args";

export const GOLDEN_DIR = join(__dirname, "..", "glue-jobs", "tests", "golden");
export const GOLDEN_PIPELINES = ["attendees", "session_checkins"] as const;
export const goldenPath = (pipeline: string): string => join(GOLDEN_DIR, `${pipeline}.contract.json`);

export const GOLDEN: CommandSpec = {
  command: "npm run golden --",
  summary: `Writes the contracts of ${GOLDEN_PIPELINES.join(" and ")} to glue-jobs/tests/golden/, the files the Python tests load.\nRun it after a deliberate change to those pipelines, review the diff, commit both.`,
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
      process.stdout.write(`wrote ${goldenPath(name)}\n`);
    }
    return EXIT.ok;
  });
}
