/** Command-line arguments of `npm run jobs`, parsed without a library. */
import { UsageError, valueOf } from "../cli-args";

export { UsageError };

export const COMMANDS = ["start", "stop", "status"] as const;
export type JobsCommand = (typeof COMMANDS)[number];

export interface JobsOptions {
  readonly command: JobsCommand;
  readonly env: string;
  /** Only this pipeline's jobs; all the environment's otherwise. */
  readonly pipeline?: string;
  /** After `stop`: start each pipeline's catalog catch-up (crawl and refresh once). */
  readonly catchUp: boolean;
  /** `stop` where a keep-alive restarts the jobs. */
  readonly force: boolean;
}

export const USAGE = `usage: npm run jobs -- start|stop|status --env <name> [--pipeline <name>] [--no-catch-up] [--force]

Starts, stops or shows the streaming Glue jobs of an environment, with the AWS credentials of your
shell (the SDK's default chain) for that environment's account and region. See docs/cost.md.

  start          start each streaming job that is not running (one that runs is left alone)
  stop           stop each running streaming job, then start each pipeline's catalog catch-up
                 (one crawl and view refresh for what the session wrote)
  status         the latest run of each streaming job
  --env <name>   the environment (required)
  --pipeline <p> only this pipeline's job
  --no-catch-up  stop without the catch-up
  --force        stop although streaming.jobs is always-on (the keep-alive restarts them within 15 minutes)

Exit codes: 0 done; 1 an AWS call failed or the environment's mode forbids it; 2 a bad command line.`;

export function parseArgs(args: readonly string[], environments: readonly string[], pipelines: readonly string[]): JobsOptions | "help" {
  if (args.includes("--help") || args.includes("-h")) return "help";
  const [command, ...rest] = args;
  if (!command || !(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`the first argument must be ${COMMANDS.join(", ")}, not ${command ?? "nothing"}`);
  let env: string | undefined;
  let pipeline: string | undefined;
  let catchUp = true;
  let force = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? "";
    switch (arg) {
      case "--env":
        env = valueOf(rest, i++, arg);
        if (!environments.includes(env)) throw new UsageError(`--env ${env} is not an environment; the environments are ${environments.join(", ")}`);
        break;
      case "--pipeline":
        pipeline = valueOf(rest, i++, arg);
        if (!pipelines.includes(pipeline)) throw new UsageError(`--pipeline ${pipeline} is not a pipeline; the pipelines are ${pipelines.join(", ")}`);
        break;
      case "--no-catch-up":
        catchUp = false;
        break;
      case "--force":
        force = true;
        break;
      default:
        throw new UsageError(arg.startsWith("-") ? `unknown option ${arg}` : `unexpected argument ${arg}`);
    }
  }
  if (env === undefined) throw new UsageError("--env is required");
  return { command: command as JobsCommand, env, ...(pipeline ? { pipeline } : {}), catchUp, force };
}
