/**
 * `npm run scan`: synthesizes every environment into `cdktf.out/` (as `npm run synth` does; it takes
 * about a second, and a stale `cdktf.out/` would scan the wrong thing), then runs checkov over every
 * stack: `--framework terraform_json` on each `cdktf.out/stacks/<stack>/cdk.tf.json` as checkov can
 * parse it (`jsonView` in checkov.ts), and `--framework terraform_plan` on its plan view (see
 * plan-view.ts for why). Exit 1 on any failed check or parsing error. Skipped checks and their
 * reasons: `.checkov.yaml`, docs/security.md.
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { ENVIRONMENT_CONFIGS } from "../../environments";
import { CommandSpec, EXIT, cliMain } from "../cli-args";
import { synthesize } from "../synth";
import { ROOT, ScanReport, checkovExecutable, runCheckov, writeJsonViews, writePlanViews } from "./checkov";

const OUTDIR = join(ROOT, "cdktf.out");

/**
 * checkov's checks of policy documents: they report UNKNOWN on cdktf's JSON strings, which is why
 * the plan view is scanned too. Each must have evaluated something there, or the view broke.
 */
export const POLICY_DOCUMENT_CHECKS = ["CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289", "CKV_AWS_290", "CKV_AWS_355"];

function summary(report: ScanReport): string {
  return `${report.framework.padEnd(14)} passed ${report.passed.length}, failed ${report.failed.length}, skipped ${report.skipped.length}, parsing errors ${report.parsingErrors.length}`;
}

export const SCAN_COMMAND: CommandSpec = {
  command: "npm run scan --",
  summary: "Synthesizes every environment, then runs the pinned checkov over every stack (JSON and plan views).\nSkipped checks and their reasons: .checkov.yaml, docs/security.md.",
  options: [],
  exitCodes: { 1: "a check failed, a stack did not parse, or checkov evaluated nothing" },
};

function main(): number {
  const write = (line: string) => process.stdout.write(`${line}\n`);
  if (synthesize(ENVIRONMENT_CONFIGS, relative(process.cwd(), OUTDIR), { write, error: (text) => process.stderr.write(text) }) !== 0) return EXIT.usage;
  const stackFiles = readdirSync(join(OUTDIR, "stacks"))
    .sort()
    .map((stack) => join(OUTDIR, "stacks", stack, "cdk.tf.json"));
  const checkov = checkovExecutable();
  const reports = [
    runCheckov(checkov, "terraform_json", writeJsonViews(stackFiles, join(OUTDIR, "scan", "json"))),
    runCheckov(checkov, "terraform_plan", writePlanViews(stackFiles, join(OUTDIR, "scan"))),
  ];
  write(`checkov over ${stackFiles.length} stacks:`);
  for (const report of reports) write(`  ${summary(report)}`);
  const [, planViewReport] = reports;
  const evaluated = (id: string) => [...planViewReport!.passed, ...planViewReport!.failed].some((r) => r.check_id === id);
  const problems = [
    ...reports.flatMap((r) => [
      ...r.failed.map((f) => `${r.framework}: ${f.check_id} ${f.check_name}\n    ${f.resource} in ${f.file_path}`),
      ...r.parsingErrors.map((file) => `${r.framework}: could not parse ${file}`),
      ...(r.passed.length === 0 ? [`${r.framework}: checkov evaluated nothing`] : []),
    ]),
    ...POLICY_DOCUMENT_CHECKS.filter((id) => !evaluated(id)).map((id) => `terraform_plan: ${id} evaluated no policy document (the plan view no longer feeds it)`),
  ];
  if (problems.length > 0) {
    process.stderr.write(`\n${problems.join("\n")}\n\nFix the resource, or skip the check in .checkov.yaml with its reason in docs/security.md.\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

if (require.main === module) cliMain(SCAN_COMMAND, main);
