import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootstrapStackName, platformStackName } from "../../stacks/providers";
import { parseArgs, UsageError } from "../../tools/cost/args";
import { renderDiff } from "../../tools/cost/diff";
import { parseDiffArgs } from "../../tools/cost/diff-cli";
import { estimateEnvironment, type EnvironmentEstimate } from "../../tools/cost/estimate";
import { PRICE_TABLE } from "../../tools/cost/price-table";
import { costReport, renderReport, type CostReport } from "../../tools/cost/render";
import { resourcesOfStack } from "../../tools/cost/synthesized";
import { runNode } from "../helpers/node-process";
import { SHARED_SYNTH_DIR_VARIABLE, synthEnvironment } from "../helpers/synth";

const ENVIRONMENTS = ["dev", "stage", "prod"];

function estimateOf(name: string): EnvironmentEstimate {
  const { environment, platform, bootstrap } = synthEnvironment(name);
  return estimateEnvironment(environment, [...resourcesOfStack(platformStackName(environment), platform), ...resourcesOfStack(bootstrapStackName(environment), bootstrap, "bootstrap")]);
}

describe("arguments of npm run cost", () => {
  it("defaults to every environment as markdown from cdktf.out", () => {
    expect(parseArgs([], ENVIRONMENTS)).toEqual({ format: "md", synthDir: "cdktf.out" });
    expect(parseArgs(["--env", "dev", "--format", "json", "--synth-dir", "out"], ENVIRONMENTS)).toEqual({ env: "dev", format: "json", synthDir: "out" });
  });

  it.each([
    [["--env", "qa"], /--env "qa" is not one of the defined environments: dev, stage, prod/],
    [["--format", "xml"], /--format must be md, json, text, not xml/],
    [["--envs", "dev"], /unknown option --envs; valid options: --env, --format, --synth-dir, --help/],
    [["dev"], /unexpected argument "dev"/],
    [["--env"], /--env needs a value/],
  ])("refuses %j", (args, message) => {
    expect(() => parseArgs(args, ENVIRONMENTS)).toThrow(UsageError);
    expect(() => parseArgs(args, ENVIRONMENTS)).toThrow(message);
  });
});

describe("the report", () => {
  const report = costReport([estimateOf("dev")], PRICE_TABLE);

  it("as JSON: the idle floor, per-resource lines, the assumptions and the unpriced list", () => {
    const parsed = JSON.parse(renderReport(report, "json")) as CostReport;
    const [dev] = parsed.environments;
    expect(dev.idleFloorUsd).toBeLessThanOrEqual(30);
    expect(dev.lines.length).toBeGreaterThan(10);
    expect(dev.lines[0]).toEqual(expect.objectContaining({ address: expect.any(String), item: expect.any(String), unitUsd: expect.any(Number), floorUsd: expect.any(Number), estimateUsd: expect.any(Number), basis: expect.any(String) }));
    expect(dev.assumptions.join("\n")).toMatch(/730 hours/);
    expect(dev.unpriced).toEqual([]);
    // Module totals add up to the environment's.
    expect(dev.modules.reduce((s, m) => s + m.floorUsd, 0)).toBeCloseTo(dev.idleFloorUsd, 2);
  });

  it("as markdown and text: totals, modules, and the unpriced resources said out loud", () => {
    const withUnknown: EnvironmentEstimate = { ...report.environments[0]!, unpriced: [{ module: "warehouse", address: "aws_made_up.x", type: "aws_made_up" }] };
    const md = renderReport(costReport([withUnknown], PRICE_TABLE), "md");
    expect(md).toContain("### Cost estimate: dev");
    expect(md).toMatch(/\| Idle floor \(no data flowing\) \| \$\d+\.\d\d \|/);
    expect(md).toContain("**Not priced (1)**: `aws_made_up.x`");
    expect(renderReport(costReport([withUnknown], PRICE_TABLE), "text")).toContain("NOT PRICED (missing from the totals): aws_made_up.x");
  });
});

describe("the pull request's difference", () => {
  const base = costReport([estimateOf("stage")], PRICE_TABLE);

  it("shows base, head and change, per module and per line, when something changed", () => {
    const stage = base.environments[0]!;
    // The head adds one interface endpoint in one zone: 730 endpoint-hours.
    const added = { ...stage.lines.find((l) => l.type === "aws_vpc_endpoint")!, address: "aws_vpc_endpoint.network_athena-endpoint", floorUsd: 8.03, estimateUsd: 8.03 };
    const head = costReport(
      [
        {
          ...stage,
          lines: [...stage.lines, added],
          idleFloorUsd: stage.idleFloorUsd + 8.03,
          estimateUsd: stage.estimateUsd + 8.03,
          modules: stage.modules.map((m) => (m.module === "network" ? { ...m, floorUsd: m.floorUsd + 8.03, estimateUsd: m.estimateUsd + 8.03 } : m)),
        },
      ],
      PRICE_TABLE,
    );
    const md = renderDiff("stage", head, base);
    expect(md).toContain("| | Base | This pull request | Change |");
    expect(md).toMatch(/\| Idle floor \(no data flowing\) \| \$[\d,.]+ \| \$[\d,.]+ \| \+\$8\.03 \(\+0\.\d%\) \|/);
    expect(md).toContain("| network | +$8.03");
    expect(md).toContain("| `aws_vpc_endpoint.network_athena-endpoint · endpoint-hours` | added | +$8.03");
  });

  it("says so when nothing changed, and when the base has no estimate", () => {
    expect(renderDiff("stage", base, base)).toContain("No module's cost changes.");
    expect(renderDiff("stage", base)).toContain("The base branch has no cost estimate to compare with.");
    expect(() => renderDiff("qa", base)).toThrow(/no environment qa/);
  });

  it("takes --head, --env and an optional --base", () => {
    expect(parseDiffArgs(["--head", "h.json", "--env", "dev"])).toEqual({ head: "h.json", env: "dev" });
    expect(() => parseDiffArgs(["--head", "h.json"])).toThrow(/--env is required/);
    expect(() => parseDiffArgs(["--env", "dev", "--bsae", "b.json"])).toThrow(/unknown option --bsae/);
  });
});

describe("the command line", () => {
  jest.setTimeout(60_000);
  const synthDir = process.env[SHARED_SYNTH_DIR_VARIABLE];
  const cost = (...args: string[]) => runNode(["-r", "./tools/register.js", join("tools", "cost", "cli.ts"), ...args]);

  it("npm run cost -- --env dev --format json: an idle floor of at most $30, with lines, assumptions and the unpriced list", async () => {
    const result = await cost("--env", "dev", "--format", "json", ...(synthDir ? ["--synth-dir", synthDir] : []));
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as CostReport;
    expect(report.environments.map((e) => e.environment)).toEqual(["dev"]);
    const [dev] = report.environments;
    expect(dev.idleFloorUsd).toBeLessThanOrEqual(30);
    expect(dev.lines.length).toBeGreaterThan(0);
    expect(dev.assumptions.length).toBeGreaterThan(0);
    expect(dev.unpriced).toEqual([]);
  });

  it("--help exits 0; a bad flag or environment exits 2 with the usage; unreadable synthesized output exits 1", async () => {
    const help = await cost("--help");
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining("exit codes:")]);
    const bad = await cost("--env", "qa");
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--env "qa" is not one of the defined environments[\s\S]*usage: npm run cost/)]);
    const broken = mkdtempSync(join(tmpdir(), "dp-cost-broken-"));
    const stacks: Record<string, { workingDirectory: string }> = {};
    for (const env of ["dev", "stage", "prod"]) {
      for (const stack of [`data-platform-${env}`, `data-platform-${env}-bootstrap`]) {
        mkdirSync(join(broken, "stacks", stack), { recursive: true });
        writeFileSync(join(broken, "stacks", stack, "cdk.tf.json"), "{ not json");
        stacks[stack] = { workingDirectory: `stacks/${stack}` };
      }
    }
    writeFileSync(join(broken, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks }));
    const unreadable = await cost("--synth-dir", broken);
    expect([unreadable.code, unreadable.stderr]).toEqual([1, expect.stringMatching(/cdk\.tf\.json is not JSON/)]);
  });
});
