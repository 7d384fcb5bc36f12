/**
 * One producer run, from parsed options to exit code, with every outside dependency passed in
 * (clock, output streams, credentials) so that tests run it end to end.
 */
import type { Environment } from "../../environments";
import { Namer } from "../../lib/naming";
import { CompiledPipeline, resolvePipelineSettings } from "../../pipelines";
import type { ProducerOptions } from "./args";
import { BackoffPolicy, DEFAULT_BACKOFF } from "./backoff";
import { OutgoingRecord, RecordRejectedError } from "./batch";
import { CredentialsUnavailableError, KinesisApiError, KinesisConnection, connectKinesis } from "./client";
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
  /** Fixed credentials (tests against kinesalite). @default the AWS SDK's default credential chain */
  readonly credentials?: KinesisConnection["credentials"];
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
  const where = options.endpoint ? `at ${options.endpoint} (${region})` : `in ${region}`;
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
    ctx.stderr.write(`dry run: ${options.count} ${pipeline.name} events would go to stream ${streamName} ${where}; the first ${Math.min(options.count, DRY_RUN_EVENTS)} follow (${repeatHint})\n`);
    for (const event of generateEvents(inputs, Math.min(options.count, DRY_RUN_EVENTS))) ctx.stdout.write(`${event.data}\n`);
    return EXIT.ok;
  }

  const kinesis = await connectKinesis({ region, ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...(ctx.credentials ? { credentials: ctx.credentials } : {}) });
  try {
    await kinesis.checkCredentials();
    ctx.stderr.write(`producing ${options.count} ${pipeline.name} events to stream ${streamName} ${where}, ${options.rate} rec/s, bad ratio ${options.badRatio} (${repeatHint})\n`);
    const reporter = new ProgressReporter(ctx.stderr, options.count, ctx.clock);
    const summary = await sendRecords(toOutgoing(generateEvents(inputs, options.count)), {
      streamName,
      api: kinesis,
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
    if (error instanceof CredentialsUnavailableError) return fail(EXIT.usage, error.message);
    if (error instanceof KinesisApiError) return fail(EXIT.recordsFailed, `${error.message}${hintFor(error, streamName, where)}`);
    if (error instanceof RecordRejectedError) return fail(EXIT.recordsFailed, error.message);
    throw error;
  } finally {
    kinesis.close();
  }
}

function hintFor(error: KinesisApiError, streamName: string, where: string): string {
  switch (error.type) {
    case "ResourceNotFoundException":
      return `\n  stream ${streamName} does not exist ${where}: deploy the environment, or create it (kinesalite: a CreateStream call)`;
    case "AccessDeniedException":
    case "KMSAccessDeniedException":
      return `\n  the caller needs kinesis:PutRecords on ${streamName} and kms:GenerateDataKey on the platform key; \`aws sts get-caller-identity\` shows who the caller is`;
    case "UnrecognizedClientException":
    case "InvalidSignatureException":
    case "ExpiredTokenException":
      return `\n  the credentials the AWS SDK's default chain found were refused: refresh them (\`aws sso login\`, new session credentials) or select others (AWS_PROFILE)`;
    default:
      return "";
  }
}
