/**
 * Every command-line tool behaves the same way: `--help` prints usage with the exit codes and
 * exits 0, an unknown option is refused with the valid ones (exit 2), `--env` is checked against
 * the defined environments (exit 2), and nothing is done before the command line is understood.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CommandSpec, EXIT, HelpRequested, UsageError, checkEnvironment, parseCommandLine, usage } from "../../tools/cli-args";
import { runNode } from "../helpers/node-process";

jest.setTimeout(60_000);

const ROOT = join(__dirname, "..", "..");

/** Every tool in tools/ that a person runs, and whether it takes --env. */
const TOOLS: { name: string; script: string; env?: boolean }[] = [
  { name: "synth", script: "tools/synth.ts" },
  { name: "plan-summary", script: "tools/plan-summary/cli.ts", env: true },
  { name: "compare-plans", script: "tools/plan-summary/compare-cli.ts" },
  { name: "produce", script: "tools/producer/cli.ts", env: true },
  { name: "local", script: "tools/local/cli.ts", env: true },
  { name: "new-pipeline", script: "tools/new-pipeline.ts" },
  { name: "golden", script: "tools/golden-contracts.ts" },
  { name: "q-topic", script: "tools/q-topic.ts", env: true },
  { name: "bench", script: "tools/bench.ts" },
  { name: "python-env", script: "tools/python-env.js" },
  { name: "scan", script: "tools/scan/cli.ts" },
  { name: "cost", script: "tools/cost/cli.ts", env: true },
  { name: "cost-diff", script: "tools/cost/diff-cli.ts", env: true },
  { name: "jobs", script: "tools/jobs/cli.ts", env: true },
  { name: "affected-stacks", script: "tools/stacks/affected-cli.ts", env: true },
  { name: "plan-comment", script: "tools/plan-summary/environment-cli.ts", env: true },
  { name: "migrate-pipelines", script: "tools/migrate-pipelines/cli.ts", env: true },
];

const run = (script: string, args: string[]) => runNode(["-r", "./tools/register.js", script, ...args], { cwd: ROOT, killAfterMs: 50_000 });

describe.each(TOOLS)("$name", ({ script, env }) => {
  it("--help prints its usage and exit codes, and exits 0", async () => {
    const result = await run(script, ["--help"]);
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/^usage: /);
    expect(result.stdout).toMatch(/exit codes:[\s\S]*\b0\b[\s\S]*\b2\b/);
    expect(result.stderr).toBe("");
  });

  it("refuses an unknown option, naming the valid ones, and exits 2", async () => {
    const result = await run(script, ["--no-such-option", "1"]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/unknown option --no-such-option; valid options: .*--help/);
    expect(result.stdout).toBe("");
  });

  if (env) {
    it("refuses an --env that is not a defined environment, naming them, and exits 2", async () => {
      const result = await run(script, [...(script.includes("plan-summary/cli") ? ["plan.json"] : []), ...(script.includes("jobs") ? ["start"] : []), ...(script.includes("migrate-pipelines") ? ["check"] : []), ...(script.includes("diff-cli") ? ["--head", "h.json"] : []), "--env", "nowhere", ...(script.includes("producer") || script.includes("local") ? ["--pipeline", "attendees"] : [])]);
      expect(result.code).toBe(EXIT.usage);
      expect(result.stderr).toMatch(/"nowhere" is not .*: (dev, )?stage, prod/);
    });
  }
});

describe("tools/cli-args", () => {
  const spec: CommandSpec = {
    command: "npm run example --",
    positionals: ["<file>"],
    summary: "An example.",
    options: [
      { flag: "--env", value: "<name>", help: "an environment" },
      { flag: "--dry-run", help: "change nothing" },
    ],
    exitCodes: { [EXIT.failed]: "it failed" },
  };

  it("parses options, flags and positionals", () => {
    const parsed = parseCommandLine(spec, ["a.json", "--env", "dev", "--dry-run"]);
    expect([...parsed.options]).toEqual([["--env", "dev"], ["--dry-run", true]]);
    expect(parsed.positionals).toEqual(["a.json"]);
  });

  it.each([
    [["a.json", "--envv", "dev"], "unknown option --envv; valid options: --env, --dry-run, --help"],
    [["a.json", "--env"], "--env needs a value"],
    [["a.json", "--env", "--dry-run"], "--env needs a value"],
    [["a.json", "--dry-run", "--dry-run"], "--dry-run is given twice"],
    [[], "missing <file>"],
    [["a.json", "b.json"], 'unexpected argument "b.json"; takes <file>'],
  ])("refuses %j: %s", (argv, message) => {
    expect(() => parseCommandLine(spec, argv)).toThrow(new UsageError(message));
  });

  it("stops at --help with the usage, whatever else is given", () => {
    expect(() => parseCommandLine(spec, ["--bogus", "--help"])).toThrow(HelpRequested);
    expect(() => parseCommandLine(spec, ["-h"])).toThrow(new HelpRequested(usage(spec)));
  });

  it("writes usage with every option and every exit code", () => {
    expect(usage(spec)).toBe(
      [
        "usage: npm run example -- <file> [--env <name>] [--dry-run]",
        "",
        "An example.",
        "",
        "options:",
        "  --env <name>  an environment",
        "  --dry-run     change nothing",
        "  --help        print this text and exit 0",
        "",
        "exit codes:",
        "  0  done",
        "  1  it failed",
        "  2  bad input (command line or configuration); nothing was done",
        "",
      ].join("\n"),
    );
  });

  it("checks --env against the defined environments", () => {
    expect(checkEnvironment("prod")).toBe("prod");
    expect(() => checkEnvironment("qa")).toThrow('--env "qa" is not one of the defined environments: dev, stage, prod');
    expect(() => checkEnvironment("dev", { names: ["stage", "prod"], which: "environments with bi.enabled" })).toThrow("environments with bi.enabled: stage, prod");
  });

  it("the README documents the exit codes every tool shares", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    for (const [code, meaning] of [[EXIT.ok, "done"], [EXIT.failed, "found a failure"], [EXIT.usage, "bad input"]] as const) expect(readme).toMatch(new RegExp(`\\| ${code} \\| [^|]*${meaning}`));
  });
});
