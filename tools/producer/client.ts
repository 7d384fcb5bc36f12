/**
 * The producer's side of Kinesis: the AWS SDK for JavaScript v3 client, configured once here, and
 * its errors turned into the producer's own ({@link KinesisApiError}, retryable or not;
 * {@link CredentialsUnavailableError}), so that send.ts decides every retry.
 *
 * The SDK is loaded on first use, not at import: it is most of the producer's start-up time, and
 * `--help`, argument errors and `--dry-run` never need it.
 */
import type { KinesisClient, KinesisClientConfig } from "@aws-sdk/client-kinesis";
import type { OutgoingRecord } from "./batch";

/** Error codes that mean "slow down and try again", by the API reference's error lists. */
export const RETRYABLE_ERROR_TYPES: ReadonlySet<string> = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "LimitExceededException",
  "KMSThrottlingException",
  "InternalFailure",
  "ServiceUnavailable",
  "NetworkError",
]);

export class KinesisApiError extends Error {
  override readonly name = "KinesisApiError";
  constructor(
    readonly action: string,
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    /** The service's error code (`ResourceNotFoundException`), or `NetworkError`. */
    readonly type: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${action} failed: ${type} (HTTP ${status}): ${message}`, options);
  }
  /** Throttling, a server error or a lost connection: the same call may succeed later. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || RETRYABLE_ERROR_TYPES.has(this.type);
  }
}

/** Where the SDK's default credential chain looks, in its order: what a user can configure. */
export const CREDENTIAL_SOURCES = [
  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), unless AWS_PROFILE is set",
  "the profile AWS_PROFILE names (else `default`) in ~/.aws/config and ~/.aws/credentials: keys, SSO (after `aws sso login --profile <name>`), role_arn, credential_process",
  "AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (EKS service accounts)",
  "the container's role (ECS task role, EKS Pod Identity), then the EC2 instance's role",
] as const;

/** No credentials could be resolved: a configuration problem, said before anything is sent. */
export class CredentialsUnavailableError extends Error {
  override readonly name = "CredentialsUnavailableError";
  constructor(cause: unknown) {
    super(
      [
        `no usable AWS credentials: ${(cause as Error)?.message ?? String(cause)}`,
        "  the AWS SDK's default credential chain looks at, in order:",
        ...CREDENTIAL_SOURCES.map((source) => `  - ${source}`),
        "  configure one of them; against kinesalite any non-empty AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY work",
      ].join("\n"),
      { cause },
    );
  }
}

export interface PutRecordsResultEntry {
  readonly SequenceNumber?: string;
  readonly ShardId?: string;
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
}
export interface PutRecordsResult {
  readonly FailedRecordCount: number;
  /** One entry per request record, in request order. */
  readonly Records: readonly PutRecordsResultEntry[];
}

export interface KinesisConnection {
  readonly region: string;
  /** Another endpoint (kinesalite, a VPC endpoint). @default the SDK's for the region (which honours AWS_ENDPOINT_URL_KINESIS and a profile's endpoint_url) */
  readonly endpoint?: string;
  /** Fixed credentials, for tests against kinesalite. @default the SDK's default credential provider chain */
  readonly credentials?: KinesisClientConfig["credentials"];
}

const CONNECT_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 30_000;

/** An SDK Kinesis client for the producer and its tests; `destroy()` it when done. */
export async function createKinesisClient(connection: KinesisConnection): Promise<KinesisClient> {
  const [{ KinesisClient }, { NodeHttpHandler }] = await Promise.all([import("@aws-sdk/client-kinesis"), import("@smithy/node-http-handler")]);
  return new KinesisClient({
    // Always the environment's (or --region): the stream lives there, whatever AWS_REGION or a profile says.
    region: connection.region,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(connection.credentials ? { credentials: connection.credentials } : {}),
    // One retry policy, the producer's (send.ts): it retries only the records a call reports as
    // failed, counts every retry in the progress, and is bounded by --max-attempts. The SDK would
    // otherwise retry throttled and 5xx calls itself (3 attempts, its own backoff) inside each of
    // ours. Explicit values also win over AWS_MAX_ATTEMPTS and AWS_RETRY_MODE (`adaptive` would
    // add a client-side rate limiter to the producer's token bucket).
    maxAttempts: 1,
    retryMode: "standard",
    // HTTP/1.1 with keep-alive instead of the Kinesis client's default HTTP/2 handler (there for
    // SubscribeToShard, which the producer never calls): kinesalite speaks only HTTP/1.1, and the
    // tests must run the handler that production runs. A hung call becomes a retryable timeout.
    requestHandler: new NodeHttpHandler({ connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true }),
  });
}

/** What the producer needs from Kinesis. */
export interface ProducerKinesis {
  /** Resolves credentials now, so that a missing configuration stops the run before anything is sent. */
  checkCredentials(): Promise<void>;
  putRecords(streamName: string, records: readonly OutgoingRecord[]): Promise<PutRecordsResult>;
  /** Releases the client's connections, which would otherwise keep the process alive. */
  close(): void;
}

export async function connectKinesis(connection: KinesisConnection): Promise<ProducerKinesis> {
  const client = await createKinesisClient(connection);
  const { PutRecordsCommand } = await import("@aws-sdk/client-kinesis");
  return {
    async checkCredentials() {
      try {
        await client.config.credentials();
      } catch (error) {
        // Whatever the chain threw (no source, an expired SSO session, STS refusing a role_arn).
        throw new CredentialsUnavailableError(error);
      }
    },
    async putRecords(streamName, records) {
      try {
        const output = await client.send(
          new PutRecordsCommand({ StreamName: streamName, Records: records.map((r) => ({ Data: r.data, PartitionKey: r.partitionKey })) }),
        );
        return { FailedRecordCount: output.FailedRecordCount ?? 0, Records: output.Records ?? [] };
      } catch (error) {
        throw producerError("PutRecords", error);
      }
    },
    close: () => client.destroy(),
  };
}

/** The SDK's credential chain and SSO token errors (credentials can also expire mid-run). */
const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set(["CredentialsProviderError", "TokenProviderError"]);

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  /** Node's system error code (`ECONNREFUSED`) for a call that got no response. */
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/**
 * An error the SDK threw for one call, as the producer's: a service answer keeps its status and
 * code; a call that got no answer (refused, reset, timed out) is a retryable `NetworkError`;
 * anything else (a defect) is thrown as it is.
 */
export function producerError(action: string, error: unknown): Error {
  const e = (error ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === "number") return new KinesisApiError(action, status, e.name ?? "UnknownError", e.message ?? "", { cause: error });
  if (CREDENTIAL_ERRORS.has(e.name ?? "")) return new CredentialsUnavailableError(error);
  if (typeof e.code === "string" || e.name === "TimeoutError") return new KinesisApiError(action, 0, "NetworkError", e.message ?? String(e.code), { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}
