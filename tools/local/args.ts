/** Command-line arguments of `npm run local`, declared with the tools' shared conventions (tools/cli-args.ts). */
import { isAbsolute, join, resolve } from "node:path";
import { CommandSpec, UsageError, checkEnvironment, parseCommandLine } from "../cli-args";

export { UsageError };

export interface LocalRunOptions {
  readonly pipeline: string;
  /** The environment whose stream name, shards and settings the run takes. */
  readonly env: string;
  readonly records: number;
  /** Records per second. */
  readonly rate: number;
  readonly badRatio: number;
  /** `undefined`: from the clock (printed, with the anchor, so that the run can be repeated). */
  readonly seed: number | undefined;
  /** Event times fall in the 30 days before it; `undefined`: the start of the current UTC day. */
  readonly anchor: Date | undefined;
  /** Absolute. */
  readonly out: string;
}

export const DEFAULTS = { records: 1000, rate: 200, badRatio: 0.05, env: "dev", outRoot: ".local-run" } as const;
const MAX_SEED = 2 ** 32 - 1;

export const LOCAL_COMMAND: CommandSpec = {
  command: "npm run local --",
  summary: [
    "Runs one pipeline's whole flow on this machine, without AWS: kinesalite with the pipeline's stream, the",
    "streaming job (glue-jobs/streaming_etl.py) on local Spark through the Glue shim, the producer sending",
    "generated records, PostgreSQL as the warehouse when its server is installed. Waits until every record is",
    "accounted for, stops everything it started and prints a summary (also written to <out>/summary.json).",
    "Ctrl-C stops everything it started. A second run with the same seed and output directory adds no row.",
  ].join("\n"),
  options: [
    { flag: "--pipeline", value: "<name>", help: "the pipeline to run (required)" },
    { flag: "--records", value: "<n>", help: `records to send (default ${DEFAULTS.records})` },
    { flag: "--rate", value: "<n>", help: `records per second (default ${DEFAULTS.rate})` },
    { flag: "--bad-ratio", value: "<0..1>", help: `share of deliberately invalid records (default ${DEFAULTS.badRatio})` },
    { flag: "--seed", value: "<n>", help: "the producer's seed: the same seed and anchor send the same records (default: from the clock, printed)" },
    { flag: "--anchor", value: "<iso-8601>", help: "event times fall in the 30 days before it (default: the start of today, UTC)" },
    { flag: "--out", value: "<dir>", help: `output directory: curated/, quarantine/, warehouse/, summary.json (default ${DEFAULTS.outRoot}/<pipeline>)` },
    { flag: "--env", value: "<name>", help: `the environment whose stream name, shards and pipeline settings the run takes (default ${DEFAULTS.env})` },
  ],
  exitCodes: { 1: "the run failed (the message names what), or records were not accounted for", 130: "interrupted (Ctrl-C): everything it started was stopped" },
};

function numberOf(flag: string, text: string, valid: (n: number) => boolean, what: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || !valid(value)) throw new UsageError(`${flag} ${JSON.stringify(text)} is not valid: must be ${what}`);
  return value;
}

export function parseArgs(args: readonly string[], choices: { readonly pipelines: readonly string[]; readonly environments: readonly string[] }, cwd: string): LocalRunOptions {
  const { options } = parseCommandLine(LOCAL_COMMAND, args);
  const text = (flag: string): string | undefined => options.get(flag) as string | undefined;
  const pipeline = text("--pipeline");
  if (pipeline === undefined) throw new UsageError(`--pipeline is required; valid: ${choices.pipelines.join(", ")}`);
  if (!choices.pipelines.includes(pipeline)) throw new UsageError(`--pipeline ${JSON.stringify(pipeline)} is not a pipeline; valid: ${choices.pipelines.join(", ")}`);
  const anchorText = text("--anchor");
  const anchor = anchorText === undefined ? undefined : new Date(anchorText);
  if (anchorText !== undefined && (!/^\d{4}-\d{2}-\d{2}(T.*(Z|[+-]\d{2}:\d{2}))?$/.test(anchorText) || Number.isNaN(anchor!.getTime()))) {
    throw new UsageError(`--anchor ${JSON.stringify(anchorText)} is not valid: must be an ISO-8601 date or a timestamp with Z or an offset`);
  }
  const out = text("--out") ?? join(DEFAULTS.outRoot, pipeline);
  const seed = text("--seed");
  return {
    pipeline,
    env: checkEnvironment(text("--env") ?? DEFAULTS.env, { names: choices.environments, which: "defined environments" }),
    records: numberOf("--records", text("--records") ?? String(DEFAULTS.records), (n) => Number.isSafeInteger(n) && n >= 1, "a whole number >= 1"),
    rate: numberOf("--rate", text("--rate") ?? String(DEFAULTS.rate), (n) => n > 0, "a number of records per second greater than 0"),
    badRatio: numberOf("--bad-ratio", text("--bad-ratio") ?? String(DEFAULTS.badRatio), (n) => n >= 0 && n <= 1, "a fraction from 0 to 1, e.g. 0.05"),
    seed: seed === undefined ? undefined : numberOf("--seed", seed, (n) => Number.isInteger(n) && n >= 0 && n <= MAX_SEED, `a whole number from 0 to ${MAX_SEED}`),
    anchor,
    out: isAbsolute(out) ? out : resolve(cwd, out),
  };
}
