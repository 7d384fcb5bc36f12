/**
 * Splits records into PutRecords calls within the API's limits
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html): at most 500
 * records and 5 MiB per call, each record (data blob before base64, plus partition key) at most
 * 1 MiB, partition keys 1-256 characters.
 */

export interface OutgoingRecord {
  /** The payload as sent; the API carries it base64-encoded, but limits count the raw bytes. */
  readonly data: Buffer;
  readonly partitionKey: string;
}

export interface BatchLimits {
  readonly maxRecords: number;
  readonly maxBatchBytes: number;
  readonly maxRecordBytes: number;
}

const MIB = 1024 * 1024;
export const PUT_RECORDS_LIMITS: BatchLimits = { maxRecords: 500, maxBatchBytes: 5 * MIB, maxRecordBytes: MIB };
export const MAX_PARTITION_KEY_CHARS = 256;

export class RecordRejectedError extends Error {
  override readonly name = "RecordRejectedError";
}

/** What a record counts against the limits: its data bytes plus its partition key's UTF-8 bytes. */
export function recordBytes(record: OutgoingRecord): number {
  return record.data.length + Buffer.byteLength(record.partitionKey, "utf8");
}

/** Throws a {@link RecordRejectedError} naming the record, its size and the limit, if Kinesis would refuse it. */
export function checkRecord(record: OutgoingRecord, limits: BatchLimits = PUT_RECORDS_LIMITS): void {
  const keyChars = [...record.partitionKey].length;
  if (keyChars < 1 || keyChars > MAX_PARTITION_KEY_CHARS) {
    throw new RecordRejectedError(
      `record with partition key ${JSON.stringify(record.partitionKey.slice(0, 40))}: partition key is ${keyChars} characters; Kinesis accepts 1 to ${MAX_PARTITION_KEY_CHARS}`,
    );
  }
  const size = recordBytes(record);
  if (size > limits.maxRecordBytes) {
    throw new RecordRejectedError(
      `record with partition key ${JSON.stringify(record.partitionKey)} is ${size} bytes (data + partition key); ` +
        `a Kinesis record may be at most ${limits.maxRecordBytes} bytes (1 MiB)`,
    );
  }
}

/**
 * Groups records, in order, into batches that respect every limit. Lazy: records are pulled only
 * as batches are consumed, so a count of millions never sits in memory. `maxRecords` may be lowered
 * below 500 by the caller (the rate limiter's bucket size).
 */
export function* batchRecords(records: Iterable<OutgoingRecord>, limits: BatchLimits = PUT_RECORDS_LIMITS): Generator<OutgoingRecord[]> {
  if (!(limits.maxRecords >= 1)) throw new RangeError(`maxRecords must be at least 1, not ${limits.maxRecords}`);
  let batch: OutgoingRecord[] = [];
  let batchBytes = 0;
  for (const record of records) {
    checkRecord(record, limits);
    const size = recordBytes(record);
    if (batch.length > 0 && (batch.length >= limits.maxRecords || batchBytes + size > limits.maxBatchBytes)) {
      yield batch;
      batch = [];
      batchBytes = 0;
    }
    batch.push(record);
    batchBytes += size;
  }
  if (batch.length > 0) yield batch;
}
