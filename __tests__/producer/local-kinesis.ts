/**
 * Kinesis on loopback for the producer's tests: kinesalite (a Kinesis-compatible server) and
 * proxies in front of it, each on 127.0.0.1 with a free port, all closed by {@link LoopbackServers}.
 */
import { CreateStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from "@aws-sdk/client-kinesis";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createKinesisClient } from "../../tools/producer/client";

export const LOOPBACK = "127.0.0.1";
/** kinesalite checks that requests are signed, not by whom. */
export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
/** Any region: kinesalite ignores it, but the SDK signs with one. */
const REGION = "eu-west-1";

/** Servers a test started; `closeAll()` in `afterEach`. */
export class LoopbackServers {
  private readonly servers: http.Server[] = [];

  /** Starts the server on a free loopback port; returns its URL. */
  async listen(server: http.Server): Promise<string> {
    this.servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
    return `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.servers.splice(0).map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve)))));
  }

  startKinesalite(): Promise<string> {
    const kinesalite = require("kinesalite") as (options: object) => http.Server;
    return this.listen(kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 }));
  }
}

async function withClient<T>(endpoint: string, use: (client: Awaited<ReturnType<typeof createKinesisClient>>) => Promise<T>): Promise<T> {
  const client = await createKinesisClient({ endpoint, region: REGION, credentials: TEST_CREDENTIALS });
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

export function createStream(endpoint: string, name: string, shards: number): Promise<void> {
  return withClient(endpoint, async (client) => {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    for (let attempt = 0; attempt < 50; attempt++) {
      const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      if (StreamDescriptionSummary?.StreamStatus === "ACTIVE") return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`stream ${name} did not become ACTIVE`);
  });
}

export interface StoredRecord {
  readonly partitionKey: string;
  readonly data: string;
}

/** Every record in the stream, from every shard's start. */
export function readStream(endpoint: string, name: string): Promise<StoredRecord[]> {
  return withClient(endpoint, async (client) => {
    const out: StoredRecord[] = [];
    for (const shard of (await client.send(new ListShardsCommand({ StreamName: name }))).Shards ?? []) {
      const start = await client.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }));
      let iterator = start.ShardIterator;
      for (let page = 0; iterator && page < 100; page++) {
        const result = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        const records = result.Records ?? [];
        out.push(...records.map((r) => ({ partitionKey: r.PartitionKey ?? "", data: Buffer.from(r.Data ?? []).toString("utf8") })));
        if (records.length === 0) break;
        iterator = result.NextShardIterator;
      }
    }
    return out;
  });
}

/** Forwards a request as is (kinesalite accepts any signature, so a rewritten body still passes). */
export function forward(upstream: string, headers: http.IncomingHttpHeaders, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(upstream, { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)), connection: "close" }, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("timeout", () => req.destroy(new Error("upstream timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export interface SignedCall {
  /** `PutRecords`, from the X-Amz-Target header. */
  readonly action: string;
  /** The access key id the request was signed with (SigV4's `Credential=<id>/...`). */
  readonly accessKeyId: string | undefined;
}

/** Passes every call to `upstream` unchanged and notes who signed it: which credentials the producer found. */
export function signatureRecorder(upstream: string): { server: http.Server; calls: SignedCall[] } {
  const calls: SignedCall[] = [];
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    calls.push({
      action: String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "",
      accessKeyId: /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ""))?.[1],
    });
    const forwarded = await forward(upstream, req.headers, body);
    res.writeHead(forwarded.status, { "content-type": "application/x-amz-json-1.1" }).end(forwarded.body);
  });
  return { server, calls };
}
