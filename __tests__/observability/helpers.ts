import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The documented "Glue Job State Change" event (see `__tests__/fixtures/events/README.md`). */
export const glueJobStateChange = JSON.parse(readFileSync(join(__dirname, "../fixtures/events/glue-job-state-change.json"), "utf8"));

/** The documented event, adapted to one job, state, account and region; every other field stays AWS's. */
export function jobEvent(jobName: string, state: string, account = "111122223333", region = "eu-west-1") {
  return { ...glueJobStateChange, account, region, detail: { ...glueJobStateChange.detail, jobName, state } };
}

export { renderTemplate } from "../helpers/input-transformer";
