/** Command-line arguments of `npm run jobs`, declared with the tools' shared conventions (tools/cli-args.ts). */
import { CommandSpec, UsageError, checkEnvironment, parseCommandLine } from "../cli-args";

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

export const JOBS_COMMAND: CommandSpec = {
  command: "npm run jobs --",
  positionals: ["start|stop|status"],
  summary: [
    "Starts, stops or shows the streaming Glue jobs of an environment, with the AWS credentials of your",
    "shell (the SDK's default chain) for that environment's account and region. See docs/cost.md.",
    "  start   start each streaming job that is not running (one that runs is left alone)",
    "  stop    stop each running streaming job, then start each pipeline's catalog catch-up",
    "          (one crawl and view refresh for what the session wrote)",
    "  status  the latest run of each streaming job",
  ].join("\n"),
  options: [
    { flag: "--env", value: "<name>", help: "the environment (required)" },
    { flag: "--pipeline", value: "<name>", help: "only this pipeline's job" },
    { flag: "--no-catch-up", help: "stop without the catch-up" },
    { flag: "--force", help: "stop although streaming.jobs is always-on (the keep-alive restarts them within 15 minutes)" },
  ],
  exitCodes: { 1: "an AWS call failed, or the environment's streaming.jobs forbids it" },
};

export function parseArgs(args: readonly string[], environments: readonly string[], pipelines: readonly string[]): JobsOptions {
  const { options, positionals } = parseCommandLine(JOBS_COMMAND, args);
  const command = positionals[0]!;
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`the first argument must be ${COMMANDS.join(", ")}, not ${command}`);
  const env = options.get("--env") as string | undefined;
  if (env === undefined) throw new UsageError("--env is required");
  const pipeline = options.get("--pipeline") as string | undefined;
  if (pipeline !== undefined && !pipelines.includes(pipeline)) throw new UsageError(`--pipeline ${pipeline} is not a pipeline; the pipelines are ${pipelines.join(", ")}`);
  return {
    command: command as JobsCommand,
    env: checkEnvironment(env, { names: environments, which: "defined environments" }),
    ...(pipeline ? { pipeline } : {}),
    catchUp: !options.has("--no-catch-up"),
    force: options.has("--force"),
  };
}
