/**
 * End to end on loopback: the producer against kinesalite (a Kinesis-compatible server), directly
 * and through a proxy that throttles part of each batch the way Kinesis does, then the stream read
 * back with GetRecords. Every server is started and stopped here, on 127.0.0.1 with a free port.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Environment } from "../../environments";
import type { CompiledPipeline } from "../../pipelines";
import { parseArgs } from "../../tools/producer/args";
import { KinesisClient, KinesisRecord } from "../../tools/producer/client";
import { ManualClock } from "../../tools/producer/clock";
import { generateEvents } from "../../tools/producer/generate";
import { loadCountryCodes, loadReferenceValues } from "../../tools/producer/reference-values";
import { EXIT, runProducer, streamNameFor } from "../../tools/producer/run";
import { environments, pipelineNamed } from "./helpers";

jest.setTimeout(30_000);

const LOOPBACK = "127.0.0.1";
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const ANCHOR = "2026-03-07T05:00:00Z";
const dev = environments.find((e) => e.name === "dev")!;

const servers: http.Server[] = [];

async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  return `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const closing = servers.splice(0).map((s) => new Promise((resolve) => (s.closeAllConnections?.(), s.close(resolve))));
  await Promise.all(closing);
});

async function startKinesalite(): Promise<string> {
  const kinesalite = require("kinesalite") as (options: object) => http.Server;
  return listen(kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 }));
}

async function createStream(endpoint: string, name: string, shards: number): Promise<void> {
  const client = new KinesisClient({ endpoint, region: dev.account.region, credentials: CREDENTIALS });
  try {
    await client.createStream(name, shards);
    for (let attempt = 0; attempt < 50; attempt++) {
      if ((await client.describeStreamSummary(name)).StreamDescriptionSummary.StreamStatus === "ACTIVE") return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`stream ${name} did not become ACTIVE`);
  } finally {
    client.close();
  }
}

/** Every record in the stream, from every shard's start. */
async function readStream(endpoint: string, name: string): Promise<KinesisRecord[]> {
  const client = new KinesisClient({ endpoint, region: dev.account.region, credentials: CREDENTIALS });
  try {
    const out: KinesisRecord[] = [];
    for (const shard of (await client.listShards(name)).Shards) {
      let iterator: string | undefined = (await client.getShardIterator(name, shard.ShardId, "TRIM_HORIZON")).ShardIterator;
      for (let page = 0; iterator && page < 100; page++) {
        const result = await client.getRecords(iterator);
        out.push(...result.Records);
        if (result.Records.length === 0) break;
        iterator = result.NextShardIterator;
      }
    }
    return out;
  } finally {
    client.close();
  }
}

interface Run {
  readonly code: number;
  readonly stderr: string;
  readonly stdout: string;
  readonly clock: ManualClock;
}

async function produce(environment: Environment, pipeline: CompiledPipeline, args: string[]): Promise<Run> {
  const options = parseArgs(["--env", environment.name, "--pipeline", pipeline.name, "--anchor", ANCHOR, ...args], {
    environments: environments.map((e) => e.name),
    pipelines: [pipeline.name],
  });
  const stderr: string[] = [];
  const stdout: string[] = [];
  const clock = new ManualClock();
  const code = await runProducer({
    options,
    environment,
    pipeline,
    stdout: { write: (t: string) => stdout.push(t) },
    stderr: { write: (t: string) => stderr.push(t), isTTY: false },
    clock,
    wallClock: () => new Date(ANCHOR),
    variables: { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey },
    backoff: { baseMs: 10, capMs: 50 },
  });
  return { code, stderr: stderr.join(""), stdout: stdout.join(""), clock };
}

/** What the producer must have sent for these arguments, by partition key. */
function expectedPayloads(pipeline: CompiledPipeline, seed: number, count: number, badRatio = 0): Map<string, string> {
  const inputs = { contract: pipeline.contract, seed, anchor: new Date(ANCHOR), badRatio, referenceValues: loadReferenceValues(pipeline), countryCodes: loadCountryCodes() };
  return new Map([...generateEvents(inputs, count)].map((e) => [e.eventId, e.data]));
}

const decoded = (records: readonly KinesisRecord[]) => records.map((r) => [r.PartitionKey, Buffer.from(r.Data, "base64").toString("utf8")] as const);
const summaryCounts = (stderr: string) => {
  const match = /^sent (\d+), retried (\d+), failed (\d+) in /m.exec(stderr);
  if (!match) throw new Error(`no summary in: ${stderr}`);
  return { sent: Number(match[1]), retried: Number(match[2]), failed: Number(match[3]) };
};

describe("producer against kinesalite", () => {
  const attendees = pipelineNamed("attendees");

  it("sends 1200 events that read back complete and byte for byte, at the requested rate", async () => {
    const endpoint = await startKinesalite();
    const stream = streamNameFor(dev, "attendees");
    await createStream(endpoint, stream, 2);

    const run = await produce(dev, attendees, ["--endpoint", endpoint, "--count", "1200", "--rate", "400", "--seed", "42"]);

    expect(run.code).toBe(EXIT.ok);
    expect(summaryCounts(run.stderr)).toEqual({ sent: 1200, retried: 0, failed: 0 });
    expect(run.stderr).toContain(`to stream dp-dev-attendees at ${endpoint}`);
    const stored = decoded(await readStream(endpoint, stream));
    expect(stored).toHaveLength(1200);
    expect(new Map(stored)).toEqual(expectedPayloads(attendees, 42, 1200));
    // A full bucket of 400, then 800 more at 400/s: two seconds of (virtual) pacing.
    expect(run.clock.now()).toBeGreaterThanOrEqual(2000);
    expect(run.clock.now()).toBeLessThan(2100);
  });

  it("sends the bad records too, exactly as generated, for the job to quarantine", async () => {
    const checkins = pipelineNamed("session_checkins");
    const endpoint = await startKinesalite();
    const stream = streamNameFor(dev, "session_checkins");
    await createStream(endpoint, stream, 1);

    const run = await produce(dev, checkins, ["--endpoint", endpoint, "--count", "300", "--rate", "10000", "--seed", "7", "--bad-ratio", "0.1"]);

    expect(run.code).toBe(EXIT.ok);
    const expected = expectedPayloads(checkins, 7, 300, 0.1);
    expect(new Map(decoded(await readStream(endpoint, stream)))).toEqual(expected);
    expect([...expected.values()].filter((data) => !data.endsWith("}")).length).toBeGreaterThan(0);
  });

  it("retries only the throttled records: every record arrives exactly once and the retries are reported", async () => {
    const upstream = await startKinesalite();
    const stream = streamNameFor(dev, "attendees");
    await createStream(upstream, stream, 2);
    const proxy = throttlingProxy(upstream, { failEvery: 7, failWholeCall: 1 });
    const endpoint = await listen(proxy.server);

    const run = await produce(dev, attendees, ["--endpoint", endpoint, "--count", "1200", "--rate", "100000", "--seed", "42"]);

    expect(run.code).toBe(EXIT.ok);
    expect(proxy.stats.recordsThrottled).toBeGreaterThan(100);
    expect(proxy.stats.wholeCallRecords).toBe(500);
    expect(summaryCounts(run.stderr)).toEqual({ sent: 1200, retried: proxy.stats.recordsThrottled + proxy.stats.wholeCallRecords, failed: 0 });
    const stored = decoded(await readStream(upstream, stream));
    const timesStored = new Map<string, number>();
    for (const [key] of stored) timesStored.set(key, (timesStored.get(key) ?? 0) + 1);
    expect([...timesStored.values()].every((n) => n === 1)).toBe(true);
    expect(new Map(stored)).toEqual(expectedPayloads(attendees, 42, 1200));
  });

  it("exits non-zero and names the records that never got through", async () => {
    const upstream = await startKinesalite();
    const stream = streamNameFor(dev, "attendees");
    await createStream(upstream, stream, 1);
    const [victim] = expectedPayloads(attendees, 3, 1).keys();
    const proxy = throttlingProxy(upstream, { alwaysFail: victim });
    const endpoint = await listen(proxy.server);

    const run = await produce(dev, attendees, ["--endpoint", endpoint, "--count", "50", "--rate", "1000", "--seed", "3", "--max-attempts", "3"]);

    expect(run.code).toBe(EXIT.recordsFailed);
    expect(summaryCounts(run.stderr)).toEqual({ sent: 49, retried: 2, failed: 1 });
    expect(run.stderr).toContain(`failed: partition key ${victim}: ProvisionedThroughputExceededException`);
    expect((await readStream(upstream, stream)).map((r) => r.PartitionKey)).not.toContain(victim);
  });

  it("explains a stream that does not exist", async () => {
    const endpoint = await startKinesalite();
    const run = await produce(dev, attendees, ["--endpoint", endpoint, "--count", "5"]);
    expect(run.code).toBe(EXIT.recordsFailed);
    expect(run.stderr).toContain("ResourceNotFoundException");
    expect(run.stderr).toContain(`stream dp-dev-attendees does not exist at ${endpoint}`);
  });
});

interface ProxyOptions {
  /** Fail every n-th record of a PutRecords call, each record at most once. */
  readonly failEvery?: number;
  /** Answer this PutRecords call (1-based) with a whole-call 500, storing nothing. */
  readonly failWholeCall?: number;
  /** Fail this partition key on every attempt. */
  readonly alwaysFail?: string;
}

/**
 * Stands in front of kinesalite and throttles like Kinesis: marks some records of a PutRecords
 * call as ProvisionedThroughputExceededException and forwards only the others, so a throttled
 * record is stored only when the producer sends it again.
 */
function throttlingProxy(upstream: string, options: ProxyOptions) {
  const stats = { putRecordsCalls: 0, recordsThrottled: 0, wholeCallRecords: 0 };
  const throttledOnce = new Set<string>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const target = String(req.headers["x-amz-target"] ?? "");
    const reply = (status: number, json: unknown) => res.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(json));
    if (!target.endsWith(".PutRecords")) {
      const forwarded = await forward(upstream, req.headers, body);
      res.writeHead(forwarded.status, { "content-type": "application/x-amz-json-1.1" }).end(forwarded.body);
      return;
    }
    stats.putRecordsCalls++;
    const request = JSON.parse(body) as { StreamName: string; Records: { Data: string; PartitionKey: string }[] };
    if (stats.putRecordsCalls === options.failWholeCall) {
      stats.wholeCallRecords += request.Records.length;
      reply(500, { __type: "InternalFailure", message: "injected by the test proxy" });
      return;
    }
    const throttle = request.Records.map((record, i) => {
      if (record.PartitionKey === options.alwaysFail) return true;
      if (!options.failEvery || i % options.failEvery !== 0 || throttledOnce.has(record.PartitionKey)) return false;
      throttledOnce.add(record.PartitionKey);
      return true;
    });
    stats.recordsThrottled += throttle.filter(Boolean).length;
    const kept = request.Records.filter((_, i) => !throttle[i]);
    const upstreamResult = kept.length
      ? (JSON.parse((await forward(upstream, req.headers, JSON.stringify({ ...request, Records: kept }))).body) as { Records: object[]; FailedRecordCount: number })
      : { Records: [], FailedRecordCount: 0 };
    let next = 0;
    const records = throttle.map((t) => (t ? { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "Rate exceeded for shard shardId-000000000000 (test proxy)" } : upstreamResult.Records[next++]));
    reply(200, { FailedRecordCount: upstreamResult.FailedRecordCount + throttle.filter(Boolean).length, Records: records });
  });
  return { server, stats };
}

/** Forwards a request as is (kinesalite accepts any signature, so a rewritten body still passes). */
function forward(upstream: string, headers: http.IncomingHttpHeaders, body: string): Promise<{ status: number; body: string }> {
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
