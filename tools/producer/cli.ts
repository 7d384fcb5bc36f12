/**
 * npm run produce -- --env <env> --pipeline <pipeline> [--rate N] [--count N] [--seed N] ...
 * (see USAGE in args.ts and README.md). Exit codes: 0 every record sent; 1 records failed or the
 * stream refused the run; 2 bad arguments or configuration.
 */
import { loadEnvironments } from "../../environments";
import { ConfigValidationError } from "../../lib/validation";
import { loadPipelines } from "../../pipelines";
import { HelpRequested, USAGE, UsageError, parseArgs } from "./args";
import { systemClock } from "./clock";
import { EXIT, runProducer } from "./run";

async function main(args: readonly string[]): Promise<number> {
  try {
    const environments = loadEnvironments();
    const pipelines = loadPipelines(environments.map((e) => e.name));
    const options = parseArgs(args, { environments: environments.map((e) => e.name), pipelines: pipelines.map((p) => p.name) });
    return await runProducer({
      options,
      environment: environments.find((e) => e.name === options.env)!,
      pipeline: pipelines.find((p) => p.name === options.pipeline)!,
      stdout: process.stdout,
      stderr: process.stderr,
      clock: systemClock,
      wallClock: () => new Date(),
    });
  } catch (error) {
    if (error instanceof HelpRequested) return process.stdout.write(`${USAGE}\n`), EXIT.ok;
    if (error instanceof UsageError) return process.stderr.write(`produce: ${error.message}\n${USAGE}\n`), EXIT.usage;
    if (error instanceof ConfigValidationError) return process.stderr.write(`produce: ${error.message}\n`), EXIT.usage;
    throw error;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
