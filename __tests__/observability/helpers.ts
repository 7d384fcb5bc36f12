import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The documented "Glue Job State Change" event (see `__tests__/fixtures/events/README.md`). */
export const glueJobStateChange = JSON.parse(readFileSync(join(__dirname, "../fixtures/events/glue-job-state-change.json"), "utf8"));

/** The documented event, adapted to one job, state, account and region; every other field stays AWS's. */
export function jobEvent(jobName: string, state: string, account = "111122223333", region = "eu-west-1") {
  return { ...glueJobStateChange, account, region, detail: { ...glueJobStateChange.detail, jobName, state } };
}

/** EventBridge's input transformer for a string template: each `<name>` becomes the value at its path. */
export function renderTemplate(template: string, paths: Readonly<Record<string, string>>, event: unknown): string {
  const valueAt = (path: string) => path.slice(2).split(".").reduce<any>((node, key) => node?.[key], event);
  const filled = template.replace(/<([A-Za-z0-9_]+)>/g, (_m, name: string) => String(valueAt(paths[name])));
  return JSON.parse(filled);
}
