/** Command-line arguments of the plan summarizer (tools/cli-args.ts: usage, unknown options, exit codes). */
import { CommandSpec, ParsedCommandLine, UsageError, checkEnvironment, parseCommandLine } from "../cli-args";
import { DEFAULT_MAX_CHARS, type OutputFormat } from "./render";
import { EXIT } from "./summarize";

export { UsageError };

export interface CliOptions {
  readonly planFile: string;
  readonly env: string;
  readonly stack?: string;
  readonly format: OutputFormat;
  readonly allowDestroy: boolean;
  readonly maxChars: number;
}

/** Below this the marker, heading and truncation note no longer fit. */
const MIN_MAX_CHARS = 1000;
/** The label of a plan that names no environment (`<!-- plan-summary:default -->`). */
export const NO_ENVIRONMENT = "default";

export const PLAN_SUMMARY: CommandSpec = {
  command: "npm run plan-summary --",
  positionals: ["<plan.json>"],
  summary:
    "Summarizes `terraform show -json` output for review: a Markdown PR comment (or text), stateful resources that would be\ndestroyed or replaced listed first. The report goes to stdout whenever there is one; the reason for a non-zero exit to stderr.",
  options: [
    { flag: "--env", value: "<name>", help: `the environment the plan is for (one of the defined environments; default: "${NO_ENVIRONMENT}")` },
    { flag: "--stack", value: "<name>", help: "the stack the plan is for (data-platform-<env> or a pipeline's data-platform-<env>-<pipeline>)" },
    { flag: "--format", value: "md|text|json", help: "Markdown for a PR comment (default), plain text for a terminal, or JSON for the environment's comment (npm run plan-comment)" },
    { flag: "--allow-destroy", help: "do not fail when a stateful resource would be destroyed or replaced (the PR's allow-destroy label)" },
    { flag: "--max-chars", value: "<n>", help: `cap the report at n characters (default ${DEFAULT_MAX_CHARS}; at least ${MIN_MAX_CHARS})` },
  ],
  exitCodes: {
    [EXIT.failed]: "the plan errored: Terraform could not finish planning",
    [EXIT.unusable]: "bad input: command line, or a file that is not a readable plan",
    [EXIT.guardrail]: "a stateful resource would be destroyed or replaced and --allow-destroy was not given",
  },
};

export function parseArgs(args: readonly string[]): CliOptions {
  return optionsFrom(parseCommandLine(PLAN_SUMMARY, args));
}

/** The summarizer's options from a parsed command line; values are checked here. */
export function optionsFrom({ options, positionals }: ParsedCommandLine): CliOptions {
  const env = options.get("--env");
  const format = options.get("--format") ?? "md";
  if (format !== "md" && format !== "text" && format !== "json") throw new UsageError(`--format must be md, text or json, not ${String(format)}`);
  const stack = options.get("--stack");
  if (stack !== undefined && (typeof stack !== "string" || !/^data-platform-[a-z0-9-]+$/.test(stack))) throw new UsageError(`--stack must be a stack name like data-platform-prod-attendees, not ${String(stack)}`);
  const maxText = options.get("--max-chars");
  const maxChars = maxText === undefined ? DEFAULT_MAX_CHARS : Number(maxText);
  if (!Number.isInteger(maxChars) || maxChars < MIN_MAX_CHARS) throw new UsageError(`--max-chars must be an integer >= ${MIN_MAX_CHARS}, not ${String(maxText)}`);
  return {
    planFile: positionals[0],
    env: typeof env === "string" ? checkEnvironment(env) : NO_ENVIRONMENT,
    ...(typeof stack === "string" ? { stack } : {}),
    format,
    allowDestroy: options.has("--allow-destroy"),
    maxChars,
  };
}
