/**
 * Runs checkov (pinned in requirements-dev.txt, installed into `.venv` by tools/python-env.js) over
 * synthesized stacks in its two views, with the repository's `.checkov.yaml`, offline.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { planView } from "./plan-view";

export const ROOT = resolve(__dirname, "..", "..");
export const CONFIG_FILE = join(ROOT, ".checkov.yaml");

/** One checkov result, as its JSON output gives it. */
export interface CheckResult {
  readonly check_id: string;
  readonly check_name: string;
  readonly resource: string;
  readonly file_path: string;
}

export interface ScanReport {
  /** `terraform_json` (the stacks as cdktf writes them) or `terraform_plan` (their plan view). */
  readonly framework: string;
  readonly passed: readonly CheckResult[];
  readonly failed: readonly CheckResult[];
  readonly skipped: readonly CheckResult[];
  readonly parsingErrors: readonly string[];
}

/** The venv's checkov, built or refreshed first; fails with the command that fixes it. */
export function checkovExecutable(): string {
  const env = spawnSync(process.execPath, [join(ROOT, "tools", "python-env.js")], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (env.status !== 0) throw new Error("checkov needs the project's Python environment; run: npm run python:env (tools/python-env.js)");
  return join(dirname(env.stdout.trim()), "checkov");
}

/**
 * A stack as checkov's `terraform_json` parser can read it: the `terraform` block without its plain
 * values (`required_version`). checkov 3.3.30 hands every value of that block to a function that
 * takes objects only, so the whole file becomes a parsing error (checkov issue #7454, fix pending in
 * PR #7467). No check reads those values; every resource stays as synthesized.
 */
export function jsonView(stack: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const terraform = stack.terraform as Readonly<Record<string, unknown>> | undefined;
  if (!terraform) return { ...stack };
  return { ...stack, terraform: Object.fromEntries(Object.entries(terraform).filter(([, value]) => typeof value === "object" && value !== null)) };
}

/** Writes the json view of each stack under `outdir/<stack>/cdk.tf.json`; returns their paths. */
export function writeJsonViews(stackFiles: readonly string[], outdir: string): string[] {
  return stackFiles.map((file) => {
    const dir = join(outdir, basename(dirname(file)));
    mkdirSync(dir, { recursive: true });
    const target = join(dir, "cdk.tf.json");
    writeFileSync(target, JSON.stringify(jsonView(JSON.parse(readFileSync(file, "utf8")))));
    return target;
  });
}

/** Writes the plan view of each stack next to the scan's other outputs; returns their paths. */
export function writePlanViews(stackFiles: readonly string[], outdir: string): string[] {
  mkdirSync(outdir, { recursive: true });
  return stackFiles.map((file) => {
    const target = join(outdir, `${basename(dirname(file))}.plan.json`);
    writeFileSync(target, JSON.stringify(planView(JSON.parse(readFileSync(file, "utf8")))));
    return target;
  });
}

/**
 * One checkov run over `files` in one framework. Network stays off: no guideline download
 * (`--skip-download`, `BC_SKIP_MAPPING`), no Prisma Cloud API key.
 */
export function runCheckov(checkov: string, framework: "terraform_json" | "terraform_plan", files: readonly string[], configFile = CONFIG_FILE): ScanReport {
  const args = ["--config-file", configFile, "--framework", framework, "--output", "json", ...files.flatMap((f) => ["--file", f])];
  const run = spawnSync(checkov, args, {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, BC_SKIP_MAPPING: "TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: "false", LOG_LEVEL: "ERROR" },
  });
  if (run.error) throw new Error(`checkov could not start (${run.error.message}); run: npm run python:env`);
  // Exit 1 means "failed checks"; anything else without JSON is checkov itself failing.
  let parsed: any;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    throw new Error(`checkov (${framework}) exited ${run.status} without a report:\n${run.stderr.slice(-2000)}`);
  }
  const reports: any[] = [parsed].flat().filter((r) => r.check_type === framework);
  if (reports.length === 0) throw new Error(`checkov (${framework}) reported nothing for ${files.length} files; is --framework right?`);
  const results = (kind: string): CheckResult[] => reports.flatMap((r) => r.results?.[kind] ?? []);
  return {
    framework,
    passed: results("passed_checks"),
    failed: results("failed_checks"),
    skipped: results("skipped_checks"),
    parsingErrors: reports.flatMap((r) => r.results?.parsing_errors ?? []),
  };
}
