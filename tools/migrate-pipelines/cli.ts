/**
 * `npm run migrate-pipelines -- prepare --env <name> --state <core.tfstate> [--synth-dir cdktf.out] [--out <dir>]`
 * `npm run migrate-pipelines -- check --env <name> --migration <dir>/migration.json --stack <name> --plan <plan.json>`
 *
 * Moves an environment deployed as one stack into its core stack and its pipeline stacks, nothing
 * destroyed (docs/stacks.md, "Moving a deployed environment"). `prepare` reads the core's pulled
 * state and the new synthesis and writes: each pipeline stack's `migration-imports.tf.json` (into
 * its synthesized folder), the core's `core-state-rm.sh`, `migration.json` and `report.md`.
 * `check` refuses a stack's plan that would destroy, replace, or create what must be imported.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CommandSpec, EXIT, UsageError, checkEnvironment, cliMain } from "../cli-args";
import { parsePlan } from "../plan-summary/parse";
import { readStackFile, synthesizedStacks, SynthesizedLayoutError } from "../stacks/synthesized";
import { migrationPlanProblems } from "./check";
import { Migration, importBlocks, migrationPlan, stateRemovalScript } from "./plan";

export const MIGRATE_PIPELINES: CommandSpec = {
  command: "npm run migrate-pipelines --",
  positionals: ["prepare|check"],
  summary:
    "Moves a deployed environment's pipelines from its one state into their own stacks, with import blocks and\nterraform state rm: nothing is destroyed. prepare writes the imports, the state removals and a report; check\nrefuses a stack's plan that would destroy, replace, or create what must be imported (docs/stacks.md).",
  options: [
    { flag: "--env", value: "<name>", help: "the environment (required)" },
    { flag: "--state", value: "<file>", help: "prepare: the core's state as `terraform state pull` writes it (required)" },
    { flag: "--synth-dir", value: "<dir>", help: "prepare: the new synthesis (default cdktf.out); the imports go into its pipeline stacks' folders" },
    { flag: "--out", value: "<dir>", help: "prepare: where migration.json, core-state-rm.sh and report.md go (default migration/<env>)" },
    { flag: "--migration", value: "<file>", help: "check: the migration.json prepare wrote (required)" },
    { flag: "--stack", value: "<name>", help: "check: the stack the plan is for (required)" },
    { flag: "--plan", value: "<file>", help: "check: the stack's `terraform show -json` plan (required)" },
  ],
  exitCodes: { [EXIT.failed]: "the migration cannot go ahead as is (prepare), or the plan is not the migration's (check): see the problems" },
};

export const IMPORTS_FILE = "migration-imports.tf.json";

const required = (value: string | true | undefined, flag: string): string => {
  if (typeof value !== "string") throw new UsageError(`${flag} is required`);
  return value;
};

/** The report a person reads before running anything. */
export function migrationReport(migration: Migration): string {
  const list = (items: readonly string[]) => (items.length ? items.map((i) => `- ${i}`).join("\n") : "- none");
  return [
    `# Moving ${migration.core} into its pipeline stacks`,
    "",
    `Imported into a pipeline stack: ${migration.moves.length}. Re-created: ${migration.recreated.length}. Retired (forgotten, left in AWS): ${migration.retired.length}. Kept by the core: ${migration.stays.length}.`,
    "",
    "## Imported",
    list(migration.moves.map((m) => `\`${m.address}\` → ${m.stack} (id \`${m.importId}\`)`)),
    "",
    "## Re-created by the pipeline stack, forgotten by the core",
    list(migration.recreated.map((r) => `\`${r.address}\` → ${r.stack}: ${r.why}`)),
    "",
    "## Retired: forgotten by the core, still in AWS; delete each by hand once it holds nothing you need",
    list(migration.retired.map((r) => `\`${r.address}\`${r.stateful ? " (look inside first: it may hold dead letters or log events)" : ""}: \`${r.command}\``)),
    "",
    "## New in a pipeline stack (created)",
    list(migration.created.map((c) => `\`${c.address}\` → ${c.stack}`)),
    "",
    "## Problems",
    list(migration.problems),
    "",
  ].join("\n");
}

function prepare(options: ReadonlyMap<string, string | true>): number {
  const env = checkEnvironment(required(options.get("--env"), "--env"));
  const statePath = required(options.get("--state"), "--state");
  const synthDir = String(options.get("--synth-dir") ?? "cdktf.out");
  const out = String(options.get("--out") ?? join("migration", env));
  if (!existsSync(statePath)) throw new UsageError(`--state ${statePath} does not exist: terraform state pull > ${statePath} in the core's folder`);
  let migration: Migration;
  let folders: Map<string, string>;
  try {
    const stacks = synthesizedStacks(synthDir, [env]);
    const core = stacks.find((s) => s.kind === "core")!;
    const pipelines = stacks.filter((s) => s.kind === "pipeline");
    folders = new Map(pipelines.map((s) => [s.name, s.dir]));
    migration = migrationPlan({
      core: { stack: core.name, json: readStackFile(core) },
      pipelines: pipelines.map((s) => ({ stack: s.name, json: readStackFile(s) })),
      state: JSON.parse(readFileSync(statePath, "utf8")),
    });
  } catch (error) {
    if (!(error instanceof SynthesizedLayoutError) && !(error instanceof SyntaxError) && !/not a Terraform state/.test((error as Error).message)) throw error;
    process.stderr.write(`migrate-pipelines: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "migration.json"), `${JSON.stringify(migration, null, 2)}\n`);
  writeFileSync(join(out, "report.md"), migrationReport(migration));
  if (migration.problems.length > 0) {
    process.stderr.write(`migrate-pipelines: ${migration.problems.length} problem(s); nothing to run until they are solved (${join(out, "report.md")}):\n${migration.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return EXIT.failed;
  }
  writeFileSync(join(out, "core-state-rm.sh"), stateRemovalScript(migration), { mode: 0o755 });
  for (const [stack, dir] of folders) writeFileSync(join(dir, IMPORTS_FILE), `${JSON.stringify(importBlocks(migration, stack), null, 2)}\n`);
  process.stdout.write(
    `${migration.moves.length} resources to import into ${folders.size} pipeline stacks, ${migration.recreated.length} to re-create, ${migration.retired.length} retired (forgotten, left in AWS), ${migration.stays.length} kept by the core.\n` +
      `next: ${join(out, "core-state-rm.sh")} in the core's folder, then plan and check each stack, core first (docs/stacks.md)\n`,
  );
  return EXIT.ok;
}

function check(options: ReadonlyMap<string, string | true>): number {
  checkEnvironment(required(options.get("--env"), "--env"));
  const migration = JSON.parse(readFileSync(required(options.get("--migration"), "--migration"), "utf8")) as Migration;
  const stack = required(options.get("--stack"), "--stack");
  const problems = migrationPlanProblems(parsePlan(JSON.parse(readFileSync(required(options.get("--plan"), "--plan"), "utf8"))), migration, stack);
  if (problems.length > 0) {
    process.stderr.write(`migrate-pipelines: the plan of ${stack} is not the migration's:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return EXIT.failed;
  }
  process.stdout.write(`${stack}: the plan destroys nothing${stack === migration.core ? "" : " and imports every moved resource"}; apply it\n`);
  return EXIT.ok;
}

if (require.main === module) {
  cliMain(MIGRATE_PIPELINES, ({ options, positionals: [command] }) => {
    if (command === "prepare") return prepare(options);
    if (command === "check") return check(options);
    throw new UsageError(`the command is prepare or check, not ${JSON.stringify(command)}`);
  });
}
