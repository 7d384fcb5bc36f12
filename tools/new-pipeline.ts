/**
 * `npm run new-pipeline -- <name> --owner <team>`: scaffolds `pipelines/<name>.ts` (a valid,
 * commented definition), a test beside it in `__tests__/pipelines/`, and registers the pipeline in
 * `pipelines/index.ts`. Refuses a name that validation would refuse, before writing anything.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PIPELINE_DEFINITIONS } from "../pipelines";
import { definitionSource, fileName, registerInIndex, scaffoldProblems, testSource } from "./scaffold/pipeline-template";

const ROOT = join(__dirname, "..");
const USAGE = "usage: npm run new-pipeline -- <name> --owner <team>";

export function parseArgs(argv: readonly string[]): { name: string; owner: string } | string {
  const ownerAt = argv.indexOf("--owner");
  const owner = ownerAt >= 0 ? argv[ownerAt + 1] : undefined;
  const positional = argv.filter((a, i) => !a.startsWith("--") && i !== ownerAt + 1);
  if (positional.length !== 1 || !owner) return USAGE;
  return { name: positional[0], owner };
}

function main(argv: readonly string[]): number {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    process.stderr.write(`${args}\n`);
    return 1;
  }
  const problems = scaffoldProblems(args.name, args.owner, PIPELINE_DEFINITIONS.map((d) => d.name));
  const definitionPath = join(ROOT, "pipelines", `${fileName(args.name)}.ts`);
  const testPath = join(ROOT, "__tests__", "pipelines", `${fileName(args.name)}.test.ts`);
  for (const path of [definitionPath, testPath]) if (existsSync(path)) problems.push(`${path} already exists`);
  if (problems.length > 0) {
    process.stderr.write(`Cannot create pipeline:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return 1;
  }
  const indexPath = join(ROOT, "pipelines", "index.ts");
  const index = registerInIndex(readFileSync(indexPath, "utf8"), args.name);
  writeFileSync(definitionPath, definitionSource(args.name, args.owner));
  writeFileSync(testPath, testSource(args.name, `../../pipelines/${fileName(args.name)}`));
  writeFileSync(indexPath, index);
  process.stdout.write(
    `created pipelines/${fileName(args.name)}.ts, __tests__/pipelines/${fileName(args.name)}.test.ts, and registered it in pipelines/index.ts\n` +
      `next: edit the definition, then \`npm run synth\` and \`npm test\` (docs/onboarding.md)\n`,
  );
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
