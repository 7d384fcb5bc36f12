/**
 * npm run cost-diff -- --head <head.json> [--base <base.json>] --env <name>
 *
 * Prints the markdown the pull-request workflow adds to an environment's plan comment: the head's
 * estimate (`npm run cost -- --format json`) and, with --base, its difference from the base branch.
 * Exit codes: 0 printed; 1 an estimate file is unusable; 2 a bad command line.
 */
import { existsSync, readFileSync } from "node:fs";
import { CommandSpec, EXIT, UsageError, checkEnvironment, cliMain, parseCommandLine } from "../cli-args";
import { renderDiff } from "./diff";
import type { CostReport } from "./render";

export const DIFF_COMMAND: CommandSpec = {
  command: "npm run cost-diff --",
  summary: "The markdown the pull-request workflow adds to an environment's plan comment: the head's estimate\n(`npm run cost -- --format json`) and, with --base, its difference from the base branch.",
  options: [
    { flag: "--head", value: "<head.json>", help: "the pull request's estimate (required)" },
    { flag: "--base", value: "<base.json>", help: "the base branch's estimate" },
    { flag: "--env", value: "<name>", help: "the environment (required)" },
  ],
  exitCodes: { 1: "an estimate file is unusable" },
};

export function parseDiffArgs(args: readonly string[]): { head: string; base?: string; env: string } {
  const { options } = parseCommandLine(DIFF_COMMAND, args);
  const head = options.get("--head") as string | undefined;
  const base = options.get("--base") as string | undefined;
  const env = options.get("--env") as string | undefined;
  if (!head) throw new UsageError("--head is required");
  if (!env) throw new UsageError("--env is required");
  return { head, env: checkEnvironment(env), ...(base ? { base } : {}) };
}

function readReport(file: string): CostReport {
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const report = JSON.parse(readFileSync(file, "utf8")) as CostReport;
  if (report.tool !== "cost" || !Array.isArray(report.environments)) throw new Error(`${file} is not the JSON of npm run cost -- --format json`);
  return report;
}

if (require.main === module) {
  cliMain(DIFF_COMMAND, () => {
    const options = parseDiffArgs(process.argv.slice(2));
    try {
      process.stdout.write(renderDiff(options.env, readReport(options.head), options.base ? readReport(options.base) : undefined));
      return EXIT.ok;
    } catch (error) {
      process.stderr.write(`cost-diff: ${(error as Error).message}\n`);
      return EXIT.failed;
    }
  });
}
