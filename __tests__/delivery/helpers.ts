/** Shared by the delivery tests: where things are, and how to run the CLIs as CI does. */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(__dirname, "..", "..");
export const COPIED_FIXTURES = join(REPO_ROOT, "__tests__", "fixtures", "terraform-plan-json");
export const PROJECT_FIXTURES = join(REPO_ROOT, "__tests__", "fixtures", "plan-review");

export const fixturePaths = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(dir, name));

export const ALL_PLAN_FIXTURES = [...fixturePaths(COPIED_FIXTURES), ...fixturePaths(PROJECT_FIXTURES)];

export const readJson = (path: string): any => JSON.parse(readFileSync(path, "utf8"));

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a TypeScript CLI exactly as `npm run plan-summary` does. */
export function runTsCli(script: string, args: readonly string[]): CliRun {
  const result = spawnSync(process.execPath, ["-r", "./tools/register.js", script, ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export const runPlanSummary = (args: readonly string[]): CliRun => runTsCli("tools/plan-summary/cli.ts", args);
