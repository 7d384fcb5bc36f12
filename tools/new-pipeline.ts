/**
 * `npm run new-pipeline -- <name> --owner <team> [--description <text>]`: scaffolds
 * `pipelines/<name>.ts` (a valid, commented definition), a test beside it in
 * `__tests__/pipelines/`, and registers the pipeline in `pipelines/index.ts`. Refuses a name that
 * validation would refuse, before writing anything.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PIPELINE_DEFINITIONS } from "../pipelines";
import { CommandSpec, EXIT, ParsedCommandLine, UsageError, cliMain } from "./cli-args";
import { defaultDescription, definitionSource, fileName, registerInIndex, scaffoldProblems, testSource } from "./scaffold/pipeline-template";

const ROOT = join(__dirname, "..");

export const NEW_PIPELINE: CommandSpec = {
  command: "npm run new-pipeline --",
  positionals: ["<name>"],
  summary: "Scaffolds pipelines/<name>.ts (a valid, commented definition to edit), its test, and registers it in pipelines/index.ts.\n<name> is lowercase snake_case, e.g. clickstream_events.",
  options: [
    { flag: "--owner", value: "<team>", help: "the owning team, lowercase letters, digits and hyphens (required)" },
    { flag: "--description", value: "<text>", help: 'what the events are, as a sentence (default from the name: "clickstream_events" gives "Clickstream events")' },
  ],
  exitCodes: { [EXIT.failed]: "a file could not be written" },
};

export interface NewPipelineArgs {
  readonly name: string;
  readonly owner: string;
  readonly description: string;
}

/** The scaffold's arguments from a parsed command line: a usage error for anything validation would refuse. */
export function newPipelineArgs({ options, positionals: [name] }: ParsedCommandLine, existing: readonly string[] = PIPELINE_DEFINITIONS.map((d) => d.name)): NewPipelineArgs {
  const owner = options.get("--owner");
  if (typeof owner !== "string") throw new UsageError("--owner is required: the team that owns the pipeline");
  const given = options.get("--description");
  const description = typeof given === "string" ? given.trim() : defaultDescription(name);
  const problems = scaffoldProblems(name, owner, existing, description);
  if (problems.length > 0) throw new UsageError(`cannot create pipeline "${name}":\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return { name, owner, description };
}

function scaffold(args: NewPipelineArgs): number {
  const definitionPath = join(ROOT, "pipelines", `${fileName(args.name)}.ts`);
  const testPath = join(ROOT, "__tests__", "pipelines", `${fileName(args.name)}.test.ts`);
  const existing = [definitionPath, testPath].filter((path) => existsSync(path));
  if (existing.length > 0) throw new UsageError(`cannot create pipeline "${args.name}": ${existing.join(" and ")} already exist(s)`);
  const indexPath = join(ROOT, "pipelines", "index.ts");
  try {
    const index = registerInIndex(readFileSync(indexPath, "utf8"), args.name);
    writeFileSync(definitionPath, definitionSource(args.name, args.owner, "./types", args.description));
    writeFileSync(testPath, testSource(args.name, `../../pipelines/${fileName(args.name)}`));
    writeFileSync(indexPath, index);
  } catch (error) {
    process.stderr.write(`new-pipeline: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
  process.stdout.write(
    `created pipelines/${fileName(args.name)}.ts ("${args.description}"), __tests__/pipelines/${fileName(args.name)}.test.ts, and registered it in pipelines/index.ts\n` +
      `next: edit the definition, then \`npm run synth\` and \`npm test\` (docs/onboarding.md)\n`,
  );
  return EXIT.ok;
}

if (require.main === module) cliMain(NEW_PIPELINE, (parsed) => scaffold(newPipelineArgs(parsed)));
