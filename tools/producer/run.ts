/**
 * One producer run, from parsed options to exit code, with every outside dependency passed in
 * (clock, credentials, transport, output streams) so that tests run it end to end.
 */
import type { Environment } from "../../environments";
import { Namer } from "../../lib/naming";
import { CompiledPipeline, resolvePipelineSettings } from "../../pipelines";
import type { ProducerOptions } from "./args";
import { BackoffPolicy, DEFAULT_BACKOFF } from "./backoff";
import { OutgoingRecord, RecordRejectedError } from "./batch";
import { KinesisApiError, KinesisClient, Transport, credentialsFromEnv, defaultEndpoint } from "./client";
import type { Clock } from "./clock";
import { GeneratedEvent, GeneratorInputs, generateEvents } from "./generate";
import { deriveRandom } from "./prng";
import { ProgressReporter, ProgressSink } from "./progress";
import { TokenBucket } from "./rate-limit";
import { loadCountryCodes, loadReferenceValues } from "./reference-values";
import { sendRecords } from "./send";

export const EXIT = { ok: 0, recordsFailed: 1, usage: 2 } as const;
export const DRY_RUN_EVENTS = 10;

export interface RunContext {
  readonly options: ProducerOptions;
  readonly environment: Environment;
  readonly pipeline: CompiledPipeline;
  readonly stdout: ProgressSink;
  readonly stderr: ProgressSink;
  /** Paces sending and backoff. */
  readonly clock: Clock;
  /** Wall time, for the default seed and anchor. */
  readonly wallClock: () => Date;
  /** Where credentials are read from (the standard AWS_* variables). */
  readonly variables: NodeJS.ProcessEnv;
  readonly transport?: Transport;
  readonly backoff?: BackoffPolicy;
}

/** The stream the pipeline's events go to: the same name the streaming module gives it. */
export function streamNameFor(environment: Environment, pipeline: string): string {
  return new Namer(environment.name, environment.account.id, environment.account.region).name("kinesisStream", pipeline);
}

export function startOfUtcDay(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}

export function toOutgoing(events: Iterable<GeneratedEvent>): Iterable<OutgoingRecord> {
  return {
    *[Symbol.iterator]() {
      for (const event of events) yield { data: Buffer.from(event.data, "utf8"), partitionKey: event.eventId };
    },
  };
}

export async function runProducer(ctx: RunContext): Promise<number> {
  const { options, environment, pipeline } = ctx;
  const fail = (code: number, message: string) => (ctx.stderr.write(`produce: ${message}\n`), code);

  if (!resolvePipelineSettings(pipeline.definition, environment).enabled) {
    return fail(EXIT.usage, `pipeline ${pipeline.name} is disabled in ${environment.name} (environments.${environment.name}.enabled in its definition): it has no stream there`);
  }
  const streamName = streamNameFor(environment, pipeline.name);
  const region = options.region ?? environment.account.region;
  const endpoint = options.endpoint ?? defaultEndpoint(region);
  const seed = options.seed ?? ctx.wallClock().getTime() % 2 ** 32;
  const anchor = options.anchor ?? startOfUtcDay(ctx.wallClock());
  const inputs: GeneratorInputs = {
    contract: pipeline.contract,
    seed,
    anchor,
    badRatio: options.badRatio,
    referenceValues: loadReferenceValues(pipeline),
    countryCodes: loadCountryCodes(),
  };
  const repeatHint = `--seed ${seed} --anchor ${anchor.toISOString()}`;

  if (options.dryRun) {
    ctx.stderr.write(`dry run: ${options.count} ${pipeline.name} events would go to stream ${streamName} at ${endpoint}; the first ${Math.min(options.count, DRY_RUN_EVENTS)} follow (${repeatHint})\n`);
    for (const event of generateEvents(inputs, Math.min(options.count, DRY_RUN_EVENTS))) ctx.stdout.write(`${event.data}\n`);
    return EXIT.ok;
  }

  let client: KinesisClient;
  try {
    client = new KinesisClient({ endpoint, region, credentials: credentialsFromEnv(ctx.variables), ...(ctx.transport ? { transport: ctx.transport } : {}) });
  } catch (error) {
    return fail(EXIT.usage, (error as Error).message);
  }
  ctx.stderr.write(`producing ${options.count} ${pipeline.name} events to stream ${streamName} at ${endpoint} (${region}), ${options.rate} rec/s, bad ratio ${options.badRatio} (${repeatHint})\n`);
  const reporter = new ProgressReporter(ctx.stderr, options.count, ctx.clock);
  try {
    const summary = await sendRecords(toOutgoing(generateEvents(inputs, options.count)), {
      streamName,
      api: client,
      limiter: new TokenBucket(options.rate, ctx.clock),
      clock: ctx.clock,
      backoff: ctx.backoff ?? DEFAULT_BACKOFF,
      random: deriveRandom(seed, "jitter"),
      maxAttempts: options.maxAttempts,
      onProgress: (progress) => reporter.update(progress),
    });
    reporter.finish(summary);
    return summary.failed > 0 ? EXIT.recordsFailed : EXIT.ok;
  } catch (error) {
    if (error instanceof KinesisApiError) return fail(EXIT.recordsFailed, `${error.message}${hintFor(error, streamName, endpoint)}`);
    if (error instanceof RecordRejectedError) return fail(EXIT.recordsFailed, error.message);
    throw error;
  } finally {
    client.close();
  }
}

function hintFor(error: KinesisApiError, streamName: string, endpoint: string): string {
  switch (error.type) {
    case "ResourceNotFoundException":
      return `\n  stream ${streamName} does not exist at ${endpoint}: deploy the environment, or create it (kinesalite: a CreateStream call)`;
    case "AccessDeniedException":
    case "UnrecognizedClientException":
    case "InvalidSignatureException":
    case "ExpiredTokenException":
      return `\n  the credentials in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN were refused for kinesis:PutRecords on ${streamName}`;
    default:
      return "";
  }
}
