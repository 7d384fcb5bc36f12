import type { OutgoingRecord } from "../../tools/producer/batch";
import { KinesisApiError, PutRecordsResult } from "../../tools/producer/client";
import { ManualClock } from "../../tools/producer/clock";
import { mulberry32 } from "../../tools/producer/prng";
import { TokenBucket } from "../../tools/producer/rate-limit";
import { PutRecordsApi, SendOptions, failedRecords, sendRecords } from "../../tools/producer/send";

const records = (n: number): OutgoingRecord[] => Array.from({ length: n }, (_, i) => ({ data: Buffer.from(`{"i":${i}}`), partitionKey: `k${i}` }));
const accepted = { SequenceNumber: "1", ShardId: "shardId-000000000000" };
const throttled = { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "Rate exceeded for shard shardId-000000000000" };

/** A fake PutRecords that decides per call which keys fail, and remembers every call. */
function fakeApi(fails: (key: string, call: number) => boolean | Error): PutRecordsApi & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async putRecords(_stream, batch): Promise<PutRecordsResult> {
      calls.push(batch.map((r) => r.partitionKey));
      const entries = batch.map((r) => fails(r.partitionKey, calls.length));
      const error = entries.find((e): e is Error => e instanceof Error);
      if (error) throw error;
      return { FailedRecordCount: entries.filter(Boolean).length, Records: entries.map((failed) => (failed ? throttled : accepted)) };
    },
  };
}

function options(api: PutRecordsApi, clock = new ManualClock(), overrides: Partial<SendOptions> = {}): SendOptions {
  return { streamName: "s", api, clock, limiter: new TokenBucket(1000, clock), backoff: { baseMs: 100, capMs: 1000 }, random: mulberry32(1), maxAttempts: 4, ...overrides };
}

describe("sendRecords", () => {
  it("retries only the records that failed, until they are accepted", async () => {
    const clock = new ManualClock();
    // k1 and k3 fail on their first send; k3 on its second as well.
    const seen = new Map<string, number>();
    const api = fakeApi((key) => {
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      return (key === "k1" && n === 1) || (key === "k3" && n <= 2);
    });
    const summary = await sendRecords(records(5), options(api, clock));
    expect(api.calls).toEqual([["k0", "k1", "k2", "k3", "k4"], ["k1", "k3"], ["k3"]]);
    expect(summary).toEqual({ sent: 5, retried: 3, failed: 0, calls: 3, failures: [] });
    // One backoff per retry, each under its ceiling (100 ms, then 200 ms).
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[0]).toBeLessThan(100);
    expect(clock.sleeps[1]).toBeLessThan(200);
  });

  it("retries a whole call that was throttled or hit a server error", async () => {
    const api = fakeApi((_key, call) =>
      call === 1 ? new KinesisApiError("PutRecords", 400, "ProvisionedThroughputExceededException", "slow down") : call === 2 ? new KinesisApiError("PutRecords", 503, "ServiceUnavailable", "") : false,
    );
    const summary = await sendRecords(records(3), options(api));
    expect(api.calls).toHaveLength(3);
    expect(summary).toMatchObject({ sent: 3, retried: 6, failed: 0 });
  });

  it("gives up after maxAttempts and reports what failed and why", async () => {
    const api = fakeApi((key) => key === "k2");
    const summary = await sendRecords(records(4), options(api, undefined, { maxAttempts: 3 }));
    expect(api.calls).toEqual([["k0", "k1", "k2", "k3"], ["k2"], ["k2"]]);
    expect(summary).toEqual({ sent: 3, retried: 2, failed: 1, calls: 3, failures: [{ partitionKey: "k2", errorCode: throttled.ErrorCode, message: throttled.ErrorMessage }] });
  });

  it("stops at once on an error a retry cannot fix", async () => {
    const api = fakeApi(() => new KinesisApiError("PutRecords", 400, "ResourceNotFoundException", "Stream s not found"));
    await expect(sendRecords(records(2), options(api))).rejects.toThrow("PutRecords failed: ResourceNotFoundException (HTTP 400): Stream s not found");
    expect(api.calls).toHaveLength(1);
  });

  it("keeps batches within the rate limiter's bucket and paces them", async () => {
    const clock = new ManualClock();
    const api = fakeApi(() => false);
    await sendRecords(records(100), options(api, clock, { limiter: new TokenBucket(20, clock) }));
    expect(api.calls.map((c) => c.length)).toEqual([20, 20, 20, 20, 20]);
    expect(clock.now()).toBe(4000);
  });

  it("reports progress after each batch", async () => {
    const progress: number[] = [];
    await sendRecords(records(1200), options(fakeApi(() => false), undefined, { onProgress: (p) => progress.push(p.sent) }));
    expect(progress).toEqual([500, 1000, 1200]);
  });

  it("refuses a result that does not match the request record for record", () => {
    expect(() => failedRecords(records(2), { FailedRecordCount: 0, Records: [accepted] })).toThrow("PutRecords answered 1 result entries for 2 records");
  });
});
