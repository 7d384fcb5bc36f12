/**
 * npm run cost-diff -- --head <head.json> [--base <base.json>] --env <name>
 *
 * Prints the markdown the pull-request workflow adds to an environment's plan comment: the head's
 * estimate (`npm run cost -- --format json`) and, with --base, its difference from the base branch.
 * Exit codes: 0 printed; 1 an estimate file is unusable; 2 a bad command line.
 */
import { existsSync, readFileSync } from "node:fs";
import { UsageError, valueOf } from "../cli-args";
import { renderDiff } from "./diff";
import type { CostReport } from "./render";

export const DIFF_USAGE = "usage: npm run cost-diff -- --head <head.json> [--base <base.json>] --env <name>";

export function parseDiffArgs(args: readonly string[]): { head: string; base?: string; env: string } {
  let head: string | undefined;
  let base: string | undefined;
  let env: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--head") head = valueOf(args, i++, arg);
    else if (arg === "--base") base = valueOf(args, i++, arg);
    else if (arg === "--env") env = valueOf(args, i++, arg);
    else throw new UsageError(arg.startsWith("-") ? `unknown option ${arg}` : `unexpected argument ${arg}`);
  }
  if (!head) throw new UsageError("--head is required");
  if (!env) throw new UsageError("--env is required");
  return { head, env, ...(base ? { base } : {}) };
}

function readReport(file: string): CostReport {
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const report = JSON.parse(readFileSync(file, "utf8")) as CostReport;
  if (report.tool !== "cost" || !Array.isArray(report.environments)) throw new Error(`${file} is not the JSON of npm run cost -- --format json`);
  return report;
}

function main(args: readonly string[]): number {
  let options;
  try {
    options = parseDiffArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`cost-diff: ${error.message}\n${DIFF_USAGE}\n`);
    return 2;
  }
  try {
    process.stdout.write(renderDiff(options.env, readReport(options.head), options.base ? readReport(options.base) : undefined));
    return 0;
  } catch (error) {
    process.stderr.write(`cost-diff: ${(error as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
