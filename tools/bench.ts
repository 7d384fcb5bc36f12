/**
 * `npm run bench`: a benchmark, not a test. Measures, in one run on this machine:
 *  - synthesis of every environment (the `npm run synth` path), wall time and peak memory;
 *  - the same with fifty scaffolded pipelines besides the two samples, and the resources of each
 *    stack (a plan refreshes one stack's: the core, or one pipeline's), with both;
 *  - the same synthesis with provider classes loaded through the `@cdktf/provider-aws` barrel;
 *  - a cold test run: type-check without its incremental cache, jest without its cache, python;
 *  - the Glue jobs' throughput through validate -> join -> mask -> Parquet on local Spark, with
 *    Python validation and with JVM validation (glue-jobs/bench/throughput.py, in the project's .venv).
 * Each synthesis is run several times and the median is reported.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS } from "../environments";
import { CommandSpec, EXIT, UsageError, cliMain } from "./cli-args";
import { readStackFile, synthesizedStacks } from "./stacks/synthesized";
import { countResources } from "./synth";

const ROOT = join(__dirname, "..");
const DEFAULT_RUNS = 5;
/** Scaffolded pipelines synthesized beside the two samples in the second measurement. */
export const GENERATED_PIPELINES = 50;

export const BENCH: CommandSpec = {
  command: "npm run bench --",
  summary:
    "Measures, in one run on this machine: synthesis of every environment (deep provider imports and through the barrel),\nthe same with fifty scaffolded pipelines besides the two samples and the resources of the core and of each\npipeline stack, and a cold test run (tsc, jest, python). A benchmark, not a test: it prints times and peak memory.",
  options: [{ flag: "--runs", value: "<n>", help: `syntheses per measurement, the median is reported (default ${DEFAULT_RUNS}, or BENCH_RUNS)` }],
  exitCodes: { [EXIT.failed]: "a measured command failed" },
};

interface Measurement {
  readonly seconds: number;
  readonly maxRssMb?: number;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Measurement {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env, CHECKPOINT_DISABLE: "1" }, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new MeasuredCommandFailed(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  const rss = /BENCH_MAX_RSS_KB=(\d+)/.exec(result.stderr ?? "")?.[1] ?? /^MAXRSS_KB=(\d+)$/m.exec(result.stderr ?? "")?.[1];
  return { seconds, maxRssMb: rss ? Number(rss) / 1024 : undefined };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

class MeasuredCommandFailed extends Error {}

/** Resources of each stack a synthesis wrote, per environment: its core, and its pipeline stacks by name. */
interface StackSizes {
  readonly stacks: number;
  readonly byEnvironment: readonly { readonly environment: string; readonly core: number; readonly pipelines: readonly { readonly name: string; readonly resources: number }[] }[];
}

function stackSizes(outdir: string): StackSizes {
  const stacks = synthesizedStacks(outdir, ENVIRONMENT_CONFIGS.map((e) => e.name));
  const count = (stack: (typeof stacks)[number]) => countResources(readStackFile(stack));
  return {
    stacks: stacks.filter((s) => s.kind !== "bootstrap").length,
    byEnvironment: ENVIRONMENT_CONFIGS.map(({ name }) => {
      const mine = stacks.filter((s) => s.environment === name);
      return { environment: name, core: count(mine.find((s) => s.kind === "core")!), pipelines: mine.filter((s) => s.kind === "pipeline").map((s) => ({ name: s.name, resources: count(s) })) };
    }),
  };
}

function synthesis(preloads: string[], runs: number, entry: readonly string[] = ["main.ts"]): Measurement & { firstSeconds: number; sizes: StackSizes } {
  const outdir = mkdtempSync(join(tmpdir(), "dp-bench-"));
  // The first sample starts with an empty transpile cache: what a fresh clone sees once.
  rmSync(join(ROOT, "node_modules", ".cache", "dp-register"), { recursive: true, force: true });
  const samples = Array.from({ length: runs }, () =>
    run(process.execPath, [...preloads.flatMap((p) => ["-r", p]), "-r", "./tools/bench/report-usage.js", "-r", "./tools/register.js", ...entry], {
      CDKTF_OUTDIR: outdir,
    }),
  );
  const sizes = stackSizes(outdir);
  rmSync(outdir, { recursive: true, force: true });
  return {
    seconds: median(samples.map((s) => s.seconds)),
    maxRssMb: Math.max(...samples.map((s) => s.maxRssMb ?? 0)),
    firstSeconds: samples[0].seconds,
    sizes,
  };
}

/** `core 149, pipeline stacks 26-26 (2)` per environment, and the largest stack a plan refreshes. */
function describeSizes(sizes: StackSizes): string[] {
  const lines = sizes.byEnvironment.map(({ environment, core, pipelines }) => {
    const counts = pipelines.map((p) => p.resources);
    const total = core + counts.reduce((a, b) => a + b, 0);
    return `  ${environment}: core ${core} resources; ${pipelines.length} pipeline stacks of ${Math.min(...counts)}-${Math.max(...counts)} resources (${total} in all)`;
  });
  const largestPipeline = Math.max(...sizes.byEnvironment.flatMap((e) => e.pipelines.map((p) => p.resources)));
  return [...lines, `  ${sizes.stacks} stacks besides bootstrap; the largest pipeline stack holds ${largestPipeline} resources`];
}

/** Peak memory of a command and all its children, where GNU time is installed. */
function withPeakMemory(command: string, args: string[]): Measurement {
  if (!existsSync("/usr/bin/time")) return run(command, args);
  return run("/usr/bin/time", ["-f", "MAXRSS_KB=%M", command, ...args]);
}

function coldTestRun(): { parts: [string, Measurement][]; total: number } {
  rmSync(join(ROOT, "node_modules", ".cache", "tsbuildinfo"), { force: true });
  const parts: [string, Measurement][] = [
    ["tsc --noEmit (no incremental cache)", withPeakMemory("npx", ["tsc", "--noEmit"])],
    ["jest --no-cache", withPeakMemory("npx", ["jest", "--no-cache", "--silent"])],
  ];
  if (existsSync(join(ROOT, "glue-jobs", "tests"))) parts.push(["python3 -m unittest", withPeakMemory("npm", ["run", "--silent", "test:python"])]);
  return { parts, total: parts.reduce((sum, [, m]) => sum + m.seconds, 0) };
}

/** Runs the Spark throughput benchmark; it prints its own report (200,000 records, a few minutes). */
function glueThroughput(): string {
  const env = spawnSync(process.execPath, [join(ROOT, "tools", "python-env.js")], { cwd: ROOT, encoding: "utf8" });
  if (env.status !== 0) throw new Error(`the throughput benchmark needs the project's .venv:\n${env.stderr}`);
  const result = spawnSync(env.stdout.trim(), [join("glue-jobs", "bench", "throughput.py")], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`glue-jobs/bench/throughput.py failed (it needs Java 17):\n${result.stderr}`);
  return result.stdout;
}

const fmt = (m: Measurement) => `${m.seconds.toFixed(2)} s wall, ${m.maxRssMb ? `${m.maxRssMb.toFixed(0)} MB peak` : "peak n/a"}`;

function main(runs: number): void {
  process.stdout.write(`benchmark on ${require("node:os").cpus().length} cores, node ${process.version}, median of ${runs} runs\n\n`);
  const deep = synthesis([], runs);
  process.stdout.write(`synthesis, all environments, the 2 sample pipelines (deep imports): ${fmt(deep)} (first run, empty transpile cache: ${deep.firstSeconds.toFixed(2)} s)\n`);
  process.stdout.write(`${describeSizes(deep.sizes).join("\n")}\n`);
  const many = synthesis([], runs, ["tools/bench/synth-with-generated.ts", String(GENERATED_PIPELINES)]);
  process.stdout.write(`synthesis, all environments, the 2 samples + ${GENERATED_PIPELINES} scaffolded pipelines (deep imports): ${fmt(many)}\n`);
  process.stdout.write(`${describeSizes(many.sizes).join("\n")}\n`);
  process.stdout.write(`${GENERATED_PIPELINES + 2} / 2 pipelines: ${(many.seconds / deep.seconds).toFixed(1)}x wall, ${((many.maxRssMb ?? 0) / (deep.maxRssMb ?? 1)).toFixed(1)}x memory\n\n`);
  const barrel = synthesis(["./tools/bench/through-barrel.js"], runs);
  process.stdout.write(`synthesis, all environments (barrel import): ${fmt(barrel)}\n`);
  process.stdout.write(`barrel / deep: ${(barrel.seconds / deep.seconds).toFixed(1)}x wall, ${((barrel.maxRssMb ?? 0) / (deep.maxRssMb ?? 1)).toFixed(1)}x memory\n\n`);
  const cold = coldTestRun();
  for (const [name, m] of cold.parts) process.stdout.write(`cold test run: ${name}: ${fmt(m)}\n`);
  process.stdout.write(`cold test run, total: ${cold.total.toFixed(2)} s\n\n`);
  process.stdout.write(`Glue job throughput (glue-jobs/bench/throughput.py):\n${glueThroughput()}`);
}

if (require.main === module) cliMain(BENCH, ({ options }) => {
  const text = options.get("--runs") ?? process.env.BENCH_RUNS ?? String(DEFAULT_RUNS);
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be a whole number >= 1, not ${String(text)}`);
  try {
    main(runs);
  } catch (error) {
    if (!(error instanceof MeasuredCommandFailed)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
});
