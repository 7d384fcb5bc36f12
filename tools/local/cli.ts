/**
 * npm run local -- --pipeline <name> [--records N] [--rate N] [--bad-ratio R] [--seed N] [--anchor ISO] [--out DIR] [--env NAME]
 *
 * Decides everything that comes from the configuration (the compiled contract, the warehouse's
 * first-deploy statements, the stream's name and shards, the producer's command line), writes it to
 * `<out>/_local/run.json`, and hands over to the Python side, which starts and stops every service
 * (glue-jobs/local/glue_local/run.py). Signals are passed on; the exit code is the run's.
 * See README.md "See it run".
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironments } from "../../environments";
import { loadPipelines, resolvePipelineSettings } from "../../pipelines";
import { startOfUtcDay, streamNameFor } from "../producer/run";
import { cliMain } from "../cli-args";
import { goldenWarehouse } from "../golden-contracts";
import { LOCAL_COMMAND, LocalRunOptions, parseArgs } from "./args";

const ROOT = join(__dirname, "..", "..");
const GLUE_JOBS = join(ROOT, "glue-jobs");
/** The job's window in a local run: short, so that a run shows its results in seconds (Glue's default is 100 s). */
export const LOCAL_WINDOW_SECONDS = 2;

/** What the Python side runs (glue_local.run.RunSpec). */
export interface RunSpec {
  readonly pipeline: string;
  readonly environment: string;
  readonly contract: unknown;
  readonly warehouse: { readonly users: unknown; readonly statements: readonly string[] } | null;
  readonly stream_name: string;
  readonly stream_arn: string;
  readonly shards: number;
  readonly window_seconds: number;
  readonly records: number;
  readonly rate: number;
  readonly bad_ratio: number;
  readonly seed: number;
  readonly anchor: string;
  readonly out: string;
  readonly producer: readonly string[];
}

export function runSpec(options: LocalRunOptions, now: Date): RunSpec {
  const environment = loadEnvironments().find((e) => e.name === options.env)!;
  const pipeline = loadPipelines(loadEnvironments().map((e) => e.name)).find((p) => p.name === options.pipeline)!;
  const settings = resolvePipelineSettings(pipeline.definition, environment);
  const stream = streamNameFor(environment, pipeline.name);
  const seed = options.seed ?? now.getTime() % 2 ** 32;
  const anchor = (options.anchor ?? startOfUtcDay(now)).toISOString();
  return {
    pipeline: pipeline.name,
    environment: environment.name,
    contract: JSON.parse(pipeline.contractJson),
    warehouse: pipeline.contract.warehouse ? goldenWarehouse(pipeline) : null,
    stream_name: stream,
    stream_arn: `arn:aws:kinesis:${environment.account.region}:${environment.account.id}:stream/${stream}`,
    shards: settings.shards,
    window_seconds: LOCAL_WINDOW_SECONDS,
    records: options.records,
    rate: options.rate,
    bad_ratio: options.badRatio,
    seed,
    anchor,
    out: options.out,
    producer: [process.execPath, "-r", join(ROOT, "tools", "register.js"), join(ROOT, "tools", "producer", "cli.ts"),
      "--env", environment.name, "--pipeline", pipeline.name, "--count", String(options.records), "--rate", String(options.rate),
      "--bad-ratio", String(options.badRatio), "--seed", String(seed), "--anchor", anchor],
  };
}

/** The project's virtual environment's python (built or refreshed from requirements-dev.txt if needed). */
function venvPython(): string {
  const result = spawnSync(process.execPath, [join(ROOT, "tools", "python-env.js")], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (result.status !== 0) throw new Error("could not prepare the Python environment (npm run python:env)");
  return result.stdout.trim().split("\n").pop()!;
}

function run(spec: RunSpec): Promise<number> {
  const specPath = join(spec.out, "_local", "run.json");
  mkdirSync(join(spec.out, "_local"), { recursive: true });
  writeFileSync(specPath, `${JSON.stringify(spec, null, 2)}\n`);
  const child = spawn(venvPython(), ["-m", "glue_local.run", "--spec", specPath], {
    cwd: GLUE_JOBS,
    env: { ...process.env, PYTHONPATH: [join(GLUE_JOBS, "local"), GLUE_JOBS].join(":"), PYTHONUNBUFFERED: "1" },
    stdio: "inherit",
  });
  // A Ctrl-C at the terminal reaches both processes; a signal sent to this one alone is passed on.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? 128 + (signal === "SIGKILL" ? 9 : signal === "SIGTERM" ? 15 : 2)));
  });
}

cliMain(LOCAL_COMMAND, async () => {
  const environments = loadEnvironments().map((e) => e.name);
  const options = parseArgs(process.argv.slice(2), { pipelines: loadPipelines(environments).map((p) => p.name), environments }, process.env.INIT_CWD ?? process.cwd());
  return run(runSpec(options, new Date()));
});
