import { MAX_PARTITION_KEY_CHARS, OutgoingRecord, PUT_RECORDS_LIMITS, RecordRejectedError, batchRecords, recordBytes } from "../../tools/producer/batch";

const MIB = 1024 * 1024;
const record = (bytes: number, key = "k"): OutgoingRecord => ({ data: Buffer.alloc(bytes, 0x61), partitionKey: key });

describe("batchRecords", () => {
  it("puts at most 500 records in a call", () => {
    const batches = [...batchRecords(Array.from({ length: 1201 }, (_, i) => record(10, `key-${i}`)))];
    expect(batches.map((b) => b.length)).toEqual([500, 500, 201]);
    expect(batches.flat().map((r) => r.partitionKey)).toEqual(Array.from({ length: 1201 }, (_, i) => `key-${i}`));
  });

  it("keeps a call within 5 MiB, counting data and partition keys", () => {
    // 12 records of 1 MiB minus 1 byte (with a 1-byte key: exactly 1 MiB each): five fit, the sixth would pass 5 MiB.
    const big = Array.from({ length: 12 }, () => record(MIB - 1));
    const batches = [...batchRecords(big)];
    expect(batches.map((b) => b.length)).toEqual([5, 5, 2]);
    for (const batch of batches) expect(batch.reduce((sum, r) => sum + recordBytes(r), 0)).toBeLessThanOrEqual(5 * MIB);
  });

  it("counts the partition key in the size", () => {
    expect(recordBytes(record(100, "é"))).toBe(102);
    // Five records of exactly 1 MiB fill a call; a sixth of even one byte starts the next.
    const batches = [...batchRecords([...Array.from({ length: 5 }, () => record(MIB - 1)), record(0, "x")])];
    expect(batches.map((b) => b.length)).toEqual([5, 1]);
  });

  it("rejects a record over 1 MiB with a clear error, before anything is sent", () => {
    const records = [record(10, "fine"), record(MIB, "too-big-event")];
    expect(() => [...batchRecords(records)]).toThrow(RecordRejectedError);
    expect(() => [...batchRecords(records)]).toThrow(
      `record with partition key "too-big-event" is ${MIB + 13} bytes (data + partition key); a Kinesis record may be at most ${MIB} bytes (1 MiB)`,
    );
    expect(() => [...batchRecords([record(MIB - 1, "k")])]).not.toThrow();
  });

  it("rejects empty and over-long partition keys", () => {
    expect(() => [...batchRecords([record(1, "")])]).toThrow(/partition key is 0 characters; Kinesis accepts 1 to 256/);
    expect(() => [...batchRecords([record(1, "k".repeat(MAX_PARTITION_KEY_CHARS + 1))])]).toThrow(/257 characters/);
  });

  it("honours a lower record limit (the rate limiter's bucket) and pulls records lazily", () => {
    let pulled = 0;
    function* source() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield record(1, `k${i}`);
      }
    }
    const batches = batchRecords(source(), { ...PUT_RECORDS_LIMITS, maxRecords: 50 });
    expect(batches.next().value).toHaveLength(50);
    expect(pulled).toBeLessThanOrEqual(51);
  });

  it("yields nothing for no records", () => {
    expect([...batchRecords([])]).toEqual([]);
  });
});
