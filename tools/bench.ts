/**
 * `npm run bench`: a benchmark, not a test. Measures, in one run on this machine:
 *  - synthesis of every environment (the `npm run synth` path), wall time and peak memory;
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
import { CommandSpec, EXIT, UsageError, cliMain } from "./cli-args";

const ROOT = join(__dirname, "..");
const DEFAULT_RUNS = 5;

export const BENCH: CommandSpec = {
  command: "npm run bench --",
  summary: "Measures, in one run on this machine: synthesis of every environment (deep provider imports and through the barrel),\nand a cold test run (tsc, jest, python). A benchmark, not a test: it prints times and peak memory.",
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

function synthesis(preloads: string[], runs: number): Measurement & { firstSeconds: number } {
  const outdir = mkdtempSync(join(tmpdir(), "dp-bench-"));
  // The first sample starts with an empty transpile cache: what a fresh clone sees once.
  rmSync(join(ROOT, "node_modules", ".cache", "dp-register"), { recursive: true, force: true });
  const samples = Array.from({ length: runs }, () =>
    run(process.execPath, [...preloads.flatMap((p) => ["-r", p]), "-r", "./tools/bench/report-usage.js", "-r", "./tools/register.js", "main.ts"], {
      CDKTF_OUTDIR: outdir,
    }),
  );
  rmSync(outdir, { recursive: true, force: true });
  return {
    seconds: median(samples.map((s) => s.seconds)),
    maxRssMb: Math.max(...samples.map((s) => s.maxRssMb ?? 0)),
    firstSeconds: samples[0].seconds,
  };
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
  process.stdout.write(`synthesis, all environments (deep imports): ${fmt(deep)} (first run, empty transpile cache: ${deep.firstSeconds.toFixed(2)} s)\n`);
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
