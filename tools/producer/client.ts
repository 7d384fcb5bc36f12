/**
 * The few Kinesis Data Streams API calls the producer (and its tests) need, over the service's
 * JSON 1.1 protocol, signed with SigV4. Not the AWS SDK: it is not a dependency here, and
 * PutRecords is one POST with two headers.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { OutgoingRecord } from "./batch";
import { Credentials, signRequest } from "./sigv4";

export const TARGET_PREFIX = "Kinesis_20131202";
export const CONTENT_TYPE = "application/x-amz-json-1.1";
const SERVICE = "kinesis";

export interface HttpRequest {
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: string;
}
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}
/** One HTTP POST; injected so tests can stand a fake server in without a socket. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

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
    /** The `__type` of the error body, without its namespace. */
    readonly type: string,
    message: string,
  ) {
    super(`${action} failed: ${type} (HTTP ${status}): ${message}`);
  }
  /** Throttling, a server error or a lost connection: the same call may succeed later. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || RETRYABLE_ERROR_TYPES.has(this.type);
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
export interface KinesisRecord {
  readonly Data: string;
  readonly PartitionKey: string;
  readonly SequenceNumber: string;
}

export interface KinesisClientOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: Credentials;
  readonly transport?: Transport;
  /** Signing time; injectable for tests. */
  readonly now?: () => Date;
}

/** The public endpoint of a region (the platform's regions are all under amazonaws.com). */
export function defaultEndpoint(region: string): string {
  return `https://kinesis.${region}.amazonaws.com`;
}

/** Credentials from the standard variables; the message says which one is missing. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const missing = [!accessKeyId && "AWS_ACCESS_KEY_ID", !secretAccessKey && "AWS_SECRET_ACCESS_KEY"].filter(Boolean);
  if (missing.length > 0 || !accessKeyId || !secretAccessKey) {
    throw new Error(
      `${missing.join(" and ")} not set: export AWS credentials (and AWS_SESSION_TOKEN for temporary ones); ` +
        "against kinesalite any non-empty values work",
    );
  }
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}

/** `com.amazon.coral.service#ThrottlingException` → `ThrottlingException`. */
export function errorType(body: unknown): string {
  const type = (body as { __type?: unknown } | null)?.__type;
  return typeof type === "string" && type ? (type.split("#").pop() ?? type) : "UnknownError";
}

export class KinesisClient {
  private readonly url: URL;
  private readonly transport: Transport;
  private readonly closeTransport: () => void;
  private readonly now: () => Date;

  constructor(private readonly options: KinesisClientOptions) {
    this.url = new URL(options.endpoint);
    if (this.url.protocol !== "http:" && this.url.protocol !== "https:") {
      throw new Error(`endpoint must be an http:// or https:// URL, not ${options.endpoint}`);
    }
    const owned = options.transport ? undefined : createNodeTransport();
    this.transport = options.transport ?? owned!.send;
    this.closeTransport = owned?.close ?? (() => undefined);
    this.now = options.now ?? (() => new Date());
  }

  /** Releases the client's connections; calls after this open new ones. */
  close(): void {
    this.closeTransport();
  }

  /** One API call: signed POST, JSON in and out; a non-2xx answer becomes a {@link KinesisApiError}. */
  async call<T>(action: string, payload: unknown): Promise<T> {
    const body = JSON.stringify(payload);
    const signed = signRequest(
      { method: "POST", url: this.url, headers: { "content-type": CONTENT_TYPE, "x-amz-target": `${TARGET_PREFIX}.${action}` }, body },
      { region: this.options.region, service: SERVICE, credentials: this.options.credentials, now: this.now() },
    );
    let response: HttpResponse;
    try {
      response = await this.transport({ url: this.url, headers: signed.headers, body });
    } catch (error) {
      throw new KinesisApiError(action, 0, "NetworkError", `${this.url.origin}: ${(error as Error).message}`);
    }
    const parsed = parseJson(response.body);
    if (response.status < 200 || response.status >= 300) {
      const message = (parsed as { message?: unknown; Message?: unknown } | undefined)?.message ?? (parsed as { Message?: unknown } | undefined)?.Message;
      throw new KinesisApiError(action, response.status, errorType(parsed), typeof message === "string" ? message : response.body.slice(0, 200));
    }
    return (parsed ?? {}) as T;
  }

  putRecords(streamName: string, records: readonly OutgoingRecord[]): Promise<PutRecordsResult> {
    return this.call("PutRecords", {
      StreamName: streamName,
      Records: records.map((r) => ({ Data: r.data.toString("base64"), PartitionKey: r.partitionKey })),
    });
  }

  createStream(streamName: string, shardCount: number): Promise<unknown> {
    return this.call("CreateStream", { StreamName: streamName, ShardCount: shardCount });
  }

  describeStreamSummary(streamName: string): Promise<{ StreamDescriptionSummary: { StreamStatus: string; OpenShardCount: number } }> {
    return this.call("DescribeStreamSummary", { StreamName: streamName });
  }

  listShards(streamName: string): Promise<{ Shards: { ShardId: string }[] }> {
    return this.call("ListShards", { StreamName: streamName });
  }

  getShardIterator(streamName: string, shardId: string, type: "TRIM_HORIZON" | "LATEST"): Promise<{ ShardIterator: string }> {
    return this.call("GetShardIterator", { StreamName: streamName, ShardId: shardId, ShardIteratorType: type });
  }

  getRecords(shardIterator: string, limit = 10_000): Promise<{ Records: KinesisRecord[]; NextShardIterator?: string; MillisBehindLatest?: number }> {
    return this.call("GetRecords", { ShardIterator: shardIterator, Limit: limit });
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const REQUEST_TIMEOUT_MS = 30_000;

export interface ClosableTransport {
  readonly send: Transport;
  /** Closes idle keep-alive sockets, which would otherwise keep the process alive. */
  readonly close: () => void;
}

/** POST over node:http(s) with keep-alive; a timeout turns a hung connection into a retryable error. */
export function createNodeTransport(): ClosableTransport {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const send: Transport = (request) =>
    new Promise((resolve, reject) => {
      const secure = request.url.protocol === "https:";
      const req = (secure ? https : http).request(
        request.url,
        {
          method: "POST",
          headers: { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) },
          agent: secure ? agents.https : agents.http,
          timeout: REQUEST_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no response within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on("error", reject);
      req.end(request.body);
    });
  return { send, close: () => (agents.http.destroy(), agents.https.destroy()) };
}
