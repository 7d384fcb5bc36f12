/**
 * npm run jobs -- start|stop|status --env <name> [--pipeline <name>] [--no-catch-up] [--force]
 *
 * Exit codes: 0 done; 1 an AWS call failed or the environment's streaming.jobs forbids it; 2 a bad command line.
 */
import { GlueClient } from "@aws-sdk/client-glue";
import { SFNClient } from "@aws-sdk/client-sfn";
import { loadEnvironments } from "../../environments";
import { loadPipelines } from "../../pipelines";
import { EXIT, cliMain } from "../cli-args";
import { JOBS_COMMAND, parseArgs } from "./args";
import { refusal, runJobs } from "./run";
import { jobTargets } from "./targets";

cliMain(JOBS_COMMAND, async () => {
  const environments = loadEnvironments();
  const pipelines = loadPipelines(environments.map((e) => e.name));
  const options = parseArgs(process.argv.slice(2), environments.map((e) => e.name), pipelines.map((p) => p.name));
  const env = environments.find((e) => e.name === options.env)!;
  const refused = refusal(options.command, env.streaming.jobs, env.name, options.force);
  if (refused) {
    process.stderr.write(`jobs: ${refused}\n`);
    return EXIT.failed;
  }
  const region = env.account.region;
  try {
    const lines = await runJobs(options.command, jobTargets(env, pipelines, options.pipeline), { glue: new GlueClient({ region }), sfn: new SFNClient({ region }) }, options);
    for (const line of lines) process.stdout.write(`${line}\n`);
    return EXIT.ok;
  } catch (error) {
    const e = error as { name?: string; message?: string };
    process.stderr.write(`jobs: ${options.command} in ${env.name} (${region}) failed: ${e.name ?? "Error"}: ${e.message ?? String(error)}\n`);
    return EXIT.failed;
  }
});
