/**
 * `npm run plan-comment -- --env <name> --plans <dir> [--cost <file.md>] [--max-chars <n>]`: the
 * environment's one PR comment from what each affected stack's plan job left in `<dir>/<stack>/`:
 * `planned.json` (from `npm run affected-stacks`), and where the plan finished, `summary.json` and
 * `summary.md` (`npm run plan-summary -- --stack … --format json|md`). The cost estimate's Markdown,
 * when given, follows the plans.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CommandSpec, EXIT, UsageError, checkEnvironment, cliMain } from "../cli-args";
import type { PlannedStack } from "../stacks/affected";
import { type StackPlanFiles, environmentComment } from "./environment";
import type { StackPlanResult } from "./summarize";

/** Room left for the cost estimate under GitHub's 65536 characters. */
const DEFAULT_MAX_CHARS = 56000;

export const PLAN_COMMENT: CommandSpec = {
  command: "npm run plan-comment --",
  summary:
    "Writes an environment's pull-request comment from the plans of its affected stacks: an overview (why each stack was\nplanned, its changes, its guardrail), every stateful destroy first, each stack's summary folded, then the cost estimate.",
  options: [
    { flag: "--env", value: "<name>", help: "the environment (required)" },
    { flag: "--plans", value: "<dir>", help: "one folder per stack: planned.json, and summary.json and summary.md where its plan finished (required)" },
    { flag: "--cost", value: "<file.md>", help: "the environment's cost estimate to append (npm run cost-diff)" },
    { flag: "--max-chars", value: "<n>", help: `cap for the plans' part (default ${DEFAULT_MAX_CHARS})` },
  ],
  exitCodes: { [EXIT.failed]: "a planned.json or summary.json that cannot be read" },
};

/** The affected stacks of `env` found in `dir`, core first, in the order `npm run affected-stacks` listed them. */
export function readStackPlans(dir: string, env: string): StackPlanFiles[] {
  if (!existsSync(dir)) return [];
  const read = <T>(file: string): T | undefined => (existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined);
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .flatMap((folder): StackPlanFiles[] => {
      const planned = read<PlannedStack>(join(folder, "planned.json"));
      if (!planned || planned.env !== env) return [];
      const markdown = existsSync(join(folder, "summary.md")) ? readFileSync(join(folder, "summary.md"), "utf8") : undefined;
      return [{ planned, result: read<StackPlanResult>(join(folder, "summary.json")), ...(markdown ? { markdown } : {}) }];
    })
    .sort((a, b) => (a.planned.kind === b.planned.kind ? a.planned.stack.localeCompare(b.planned.stack) : a.planned.kind === "core" ? -1 : 1));
}

if (require.main === module) {
  cliMain(PLAN_COMMENT, ({ options }) => {
    const given = options.get("--env");
    if (typeof given !== "string") throw new UsageError("--env is required");
    const env = checkEnvironment(given);
    const plans = options.get("--plans");
    if (typeof plans !== "string") throw new UsageError("--plans is required");
    const maxText = options.get("--max-chars");
    const maxChars = maxText === undefined ? DEFAULT_MAX_CHARS : Number(maxText);
    if (!Number.isInteger(maxChars) || maxChars < 1000) throw new UsageError(`--max-chars must be an integer >= 1000, not ${String(maxText)}`);
    let stacks: StackPlanFiles[];
    try {
      stacks = readStackPlans(plans, env);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      process.stderr.write(`plan-comment: ${plans}: ${error.message}\n`);
      return EXIT.failed;
    }
    const cost = options.get("--cost");
    const costText = typeof cost === "string" && existsSync(cost) ? `\n${readFileSync(cost, "utf8")}` : "\n> [!NOTE]\n> No cost estimate: see the cost job.\n";
    process.stdout.write(environmentComment(env, stacks, maxChars) + costText);
    return EXIT.ok;
  });
}
