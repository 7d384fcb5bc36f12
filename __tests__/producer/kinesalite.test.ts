/**
 * End to end on loopback: the producer against kinesalite (a Kinesis-compatible server), directly
 * and through a proxy that throttles part of each batch the way Kinesis does, then the stream read
 * back with GetRecords. Every server is started and stopped here, on 127.0.0.1 with a free port.
 */
import * as http from "node:http";
import type { Environment } from "../../environments";
import type { CompiledPipeline } from "../../pipelines";
import { parseArgs } from "../../tools/producer/args";
import { ManualClock } from "../../tools/producer/clock";
import { generateEvents } from "../../tools/producer/generate";
import { loadCountryCodes, loadReferenceValues } from "../../tools/producer/reference-values";
import { EXIT, runProducer, streamNameFor } from "../../tools/producer/run";
import { environments, pipelineNamed } from "./helpers";
import { LoopbackServers, StoredRecord, TEST_CREDENTIALS, createStream, forward, readBody, readStream } from "./local-kinesis";

jest.setTimeout(30_000);

const ANCHOR = "2026-03-07T05:00:00Z";
const dev = environments.find((e) => e.name === "dev")!;

const servers = new LoopbackServers();
afterEach(() => servers.closeAll());

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
    credentials: TEST_CREDENTIALS,
    backoff: { baseMs: 10, capMs: 50 },
  });
  return { code, stderr: stderr.join(""), stdout: stdout.join(""), clock };
}

/** What the producer must have sent for these arguments, by partition key. */
function expectedPayloads(pipeline: CompiledPipeline, seed: number, count: number, badRatio = 0): Map<string, string> {
  const inputs = { contract: pipeline.contract, seed, anchor: new Date(ANCHOR), badRatio, referenceValues: loadReferenceValues(pipeline), countryCodes: loadCountryCodes() };
  return new Map([...generateEvents(inputs, count)].map((e) => [e.eventId, e.data]));
}

const decoded = (records: readonly StoredRecord[]) => records.map((r) => [r.partitionKey, r.data] as const);
const summaryCounts = (stderr: string) => {
  const match = /^sent (\d+), retried (\d+), failed (\d+) in /m.exec(stderr);
  if (!match) throw new Error(`no summary in: ${stderr}`);
  return { sent: Number(match[1]), retried: Number(match[2]), failed: Number(match[3]) };
};

describe("producer against kinesalite", () => {
  const attendees = pipelineNamed("attendees");

  it("sends 1200 events that read back complete and byte for byte, at the requested rate", async () => {
    const endpoint = await servers.startKinesalite();
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
    const endpoint = await servers.startKinesalite();
    const stream = streamNameFor(dev, "session_checkins");
    await createStream(endpoint, stream, 1);

    const run = await produce(dev, checkins, ["--endpoint", endpoint, "--count", "300", "--rate", "10000", "--seed", "7", "--bad-ratio", "0.1"]);

    expect(run.code).toBe(EXIT.ok);
    const expected = expectedPayloads(checkins, 7, 300, 0.1);
    expect(new Map(decoded(await readStream(endpoint, stream)))).toEqual(expected);
    expect([...expected.values()].filter((data) => !data.endsWith("}")).length).toBeGreaterThan(0);
  });

  it("retries only the throttled records: every record arrives exactly once and the retries are reported", async () => {
    const upstream = await servers.startKinesalite();
    const stream = streamNameFor(dev, "attendees");
    await createStream(upstream, stream, 2);
    const proxy = throttlingProxy(upstream, { failEvery: 7, failWholeCall: 1 });
    const endpoint = await servers.listen(proxy.server);

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
    const upstream = await servers.startKinesalite();
    const stream = streamNameFor(dev, "attendees");
    await createStream(upstream, stream, 1);
    const [victim] = expectedPayloads(attendees, 3, 1).keys();
    const proxy = throttlingProxy(upstream, { alwaysFail: victim });
    const endpoint = await servers.listen(proxy.server);

    const run = await produce(dev, attendees, ["--endpoint", endpoint, "--count", "50", "--rate", "1000", "--seed", "3", "--max-attempts", "3"]);

    expect(run.code).toBe(EXIT.recordsFailed);
    expect(summaryCounts(run.stderr)).toEqual({ sent: 49, retried: 2, failed: 1 });
    expect(run.stderr).toContain(`failed: partition key ${victim}: ProvisionedThroughputExceededException`);
    expect((await readStream(upstream, stream)).map((r) => r.partitionKey)).not.toContain(victim);
  });

  it("explains a stream that does not exist", async () => {
    const endpoint = await servers.startKinesalite();
    const run = await produce(dev, attendees, ["--endpoint", endpoint, "--count", "5"]);
    expect(run.code).toBe(EXIT.recordsFailed);
    expect(run.stderr).toContain("ResourceNotFoundException");
    expect(run.stderr).toContain(`stream dp-dev-attendees does not exist at ${endpoint}`);
  });
});

describe("one retry policy: the producer's, not the SDK's as well", () => {
  const attendees = pipelineNamed("attendees");

  it.each([
    [500, "InternalFailure"],
    [400, "ProvisionedThroughputExceededException"],
    [400, "ThrottlingException"],
  ])("a call refused as a whole (HTTP %i %s) reaches the server once per attempt, and its records fail after --max-attempts", async (status, type) => {
    const refusing = refusingServer(status, type);
    const endpoint = await servers.listen(refusing.server);

    const run = await produce(dev, attendees, ["--endpoint", endpoint, "--count", "4", "--rate", "1000", "--seed", "5", "--max-attempts", "3"]);

    expect(run.code).toBe(EXIT.recordsFailed);
    expect(refusing.requests).toBe(3);
    expect(summaryCounts(run.stderr)).toEqual({ sent: 0, retried: 8, failed: 4 });
    expect(run.stderr).toContain(`: ${type}: PutRecords failed: ${type} (HTTP ${status}): injected`);
    // The waits were the producer's backoff, on its clock: one before each retry.
    expect(run.clock.sleeps.filter((ms) => ms <= 50)).toHaveLength(2);
  });

  it.each([
    ["UnrecognizedClientException", "the credentials the AWS SDK's default chain found were refused"],
    ["AccessDeniedException", "the caller needs kinesis:PutRecords on dp-dev-attendees and kms:GenerateDataKey"],
  ])("stops at once when the stream refuses the caller (%s), and says what to check", async (type, hint) => {
    const refusing = refusingServer(400, type);
    const endpoint = await servers.listen(refusing.server);

    const run = await produce(dev, attendees, ["--endpoint", endpoint, "--count", "4", "--max-attempts", "3"]);

    expect(run.code).toBe(EXIT.recordsFailed);
    expect(refusing.requests).toBe(1);
    expect(run.stderr).toContain(`produce: PutRecords failed: ${type} (HTTP 400): injected by the test\n  ${hint}`);
  });
});

/** Answers every call with the same whole-call error, and counts the requests that reached it. */
function refusingServer(status: number, type: string) {
  const state = { server: http.createServer(), requests: 0 };
  state.server.on("request", async (req: http.IncomingMessage, res: http.ServerResponse) => {
    await readBody(req);
    state.requests++;
    res.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify({ __type: type, message: "injected by the test" }));
  });
  return state;
}

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
    const body = await readBody(req);
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
