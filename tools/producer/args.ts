/** Command-line arguments of the producer, parsed without a library and checked with clear errors. */
import { AWS_REGIONS } from "../../environments/aws-regions";
import { UsageError, valueOf } from "../cli-args";

export { UsageError };

export interface ProducerOptions {
  readonly env: string;
  readonly pipeline: string;
  /** Records per second. */
  readonly rate: number;
  readonly count: number;
  /** `undefined`: the CLI picks one from the clock and prints it, so the run can be repeated. */
  readonly seed: number | undefined;
  /** Event times fall in the 30 days before this; `undefined`: the start of the current UTC day. */
  readonly anchor: Date | undefined;
  readonly endpoint: string | undefined;
  readonly region: string | undefined;
  readonly dryRun: boolean;
  readonly badRatio: number;
  readonly maxAttempts: number;
}

/** What the arguments are checked against: the names that exist, from the configuration. */
export interface ArgumentChoices {
  readonly environments: readonly string[];
  readonly pipelines: readonly string[];
}

export const USAGE = `usage: npm run produce -- --env <env> --pipeline <pipeline> [options]
  --env <name>           environment whose stream receives the records (its name, account and region)
  --pipeline <name>      pipeline whose contract the events follow and whose stream they go to
  --rate <n>             records per second (default ${100})
  --count <n>            records to send (default ${1000})
  --seed <n>             PRNG seed: the same seed and anchor give the same events (default: from the clock, printed)
  --anchor <iso-8601>    event times fall in the 30 days before this instant (default: start of today, UTC)
  --bad-ratio <0..1>     share of deliberately invalid records, to exercise quarantine (default 0)
  --endpoint <url>       Kinesis endpoint, e.g. http://127.0.0.1:4567 for kinesalite (default: the region's)
  --region <region>      signing region and default endpoint's region (default: the environment's)
  --max-attempts <n>     PutRecords calls per batch before its records count as failed (default ${5})
  --dry-run              print the first ${10} events as JSON lines to stdout; send nothing
  --help                 this text

exit codes: 0 every record sent; 1 records failed or the stream refused the run; 2 bad input (command line or configuration)`;

/** Every option, as USAGE lists them: named when an unknown one is refused. */
export const OPTIONS = [...USAGE.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);

export const DEFAULTS = { rate: 100, count: 1000, badRatio: 0, maxAttempts: 5, maxAttemptsLimit: 20 } as const;
/** The seed feeds a 32-bit generator: bigger values would silently alias smaller ones. */
const MAX_SEED = 2 ** 32 - 1;

/** Thrown for `--help`: not an error, but parsing stops there. */
export class HelpRequested extends Error {
  override readonly name = "HelpRequested";
}

function numberOf(flag: string, text: string, valid: (n: number) => boolean, what: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || !valid(value)) throw new UsageError(`${flag} ${JSON.stringify(text)} is not valid: must be ${what}`);
  return value;
}

function oneOf(flag: string, value: string, valid: readonly string[], noun: string): string {
  if (!valid.includes(value)) throw new UsageError(`${flag} ${JSON.stringify(value)} is not ${noun}; valid: ${valid.join(", ")}`);
  return value;
}

export function parseArgs(args: readonly string[], choices: ArgumentChoices): ProducerOptions {
  let env: string | undefined;
  let pipeline: string | undefined;
  let rate: number = DEFAULTS.rate;
  let count: number = DEFAULTS.count;
  let seed: number | undefined;
  let anchor: Date | undefined;
  let endpoint: string | undefined;
  let region: string | undefined;
  let dryRun = false;
  let badRatio: number = DEFAULTS.badRatio;
  let maxAttempts: number = DEFAULTS.maxAttempts;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] ?? "";
    switch (flag) {
      case "--env":
        env = oneOf(flag, valueOf(args, i++, flag), choices.environments, "an environment");
        break;
      case "--pipeline":
        pipeline = oneOf(flag, valueOf(args, i++, flag), choices.pipelines, "a pipeline");
        break;
      case "--rate":
        rate = numberOf(flag, valueOf(args, i++, flag), (n) => n > 0, "a number of records per second greater than 0");
        break;
      case "--count":
        count = numberOf(flag, valueOf(args, i++, flag), (n) => Number.isSafeInteger(n) && n >= 0, "a whole number >= 0");
        break;
      case "--seed":
        seed = numberOf(flag, valueOf(args, i++, flag), (n) => Number.isInteger(n) && n >= 0 && n <= MAX_SEED, `a whole number from 0 to ${MAX_SEED}`);
        break;
      case "--anchor": {
        const text = valueOf(args, i++, flag);
        anchor = new Date(text);
        if (!/^\d{4}-\d{2}-\d{2}(T.*(Z|[+-]\d{2}:\d{2}))?$/.test(text) || Number.isNaN(anchor.getTime())) {
          throw new UsageError(`${flag} ${JSON.stringify(text)} is not valid: must be an ISO-8601 date or a timestamp with Z or an offset`);
        }
        break;
      }
      case "--bad-ratio":
        badRatio = numberOf(flag, valueOf(args, i++, flag), (n) => n >= 0 && n <= 1, "a fraction from 0 to 1, e.g. 0.05");
        break;
      case "--endpoint":
        endpoint = checkEndpoint(valueOf(args, i++, flag));
        break;
      case "--region":
        region = oneOf(flag, valueOf(args, i++, flag), AWS_REGIONS, "an AWS region");
        break;
      case "--max-attempts":
        maxAttempts = numberOf(flag, valueOf(args, i++, flag), (n) => Number.isInteger(n) && n >= 1 && n <= DEFAULTS.maxAttemptsLimit, `a whole number from 1 to ${DEFAULTS.maxAttemptsLimit}`);
        break;
      case "--dry-run":
        dryRun = true;
        break;
      case "--help":
      case "-h":
        throw new HelpRequested(USAGE);
      default:
        throw new UsageError(flag.startsWith("-") ? `unknown option ${flag}; valid options: ${OPTIONS.join(", ")}` : `unexpected argument ${JSON.stringify(flag)}: every value follows its option`);
    }
  }
  if (env === undefined) throw new UsageError(`--env is required; valid: ${choices.environments.join(", ")}`);
  if (pipeline === undefined) throw new UsageError(`--pipeline is required; valid: ${choices.pipelines.join(", ")}`);
  return { env, pipeline, rate, count, seed, anchor, endpoint, region, dryRun, badRatio, maxAttempts };
}

function checkEndpoint(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--endpoint ${JSON.stringify(text)} is not valid: must be a URL such as http://127.0.0.1:4567`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || (url.pathname !== "/" && url.pathname !== "") || url.search) {
    throw new UsageError(`--endpoint ${JSON.stringify(text)} is not valid: must be http(s)://host[:port] with no path or query`);
  }
  return url.origin;
}
