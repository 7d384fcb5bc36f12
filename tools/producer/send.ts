/**
 * Sends records with PutRecords: batches within the API limits, paced by a token bucket, and
 * retried with backoff. A call that fails as a whole (throttled, 5xx, connection lost) is retried
 * whole; a call that partly fails retries only its failed records, as the API asks
 * (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html). Delivery is
 * at-least-once: a call that timed out may have been stored, and its retry stores it again; the
 * pipeline de-duplicates by event id.
 */
import { BackoffPolicy, backoffDelayMs } from "./backoff";
import { BatchLimits, OutgoingRecord, PUT_RECORDS_LIMITS, batchRecords } from "./batch";
import { KinesisApiError, PutRecordsResult } from "./client";
import type { Clock } from "./clock";
import type { Random } from "./prng";

export interface PutRecordsApi {
  putRecords(streamName: string, records: readonly OutgoingRecord[]): Promise<PutRecordsResult>;
}

/** What {@link sendRecords} needs to take tokens from; {@link TokenBucket} is one. */
export interface RateLimiter {
  readonly capacity: number;
  take(count: number): Promise<void>;
}

export interface SendOptions {
  readonly streamName: string;
  readonly api: PutRecordsApi;
  readonly limiter: RateLimiter;
  readonly clock: Clock;
  readonly backoff: BackoffPolicy;
  /** Jitter source; seeded, so a run's retry timing is reproducible too. */
  readonly random: Random;
  /** Calls per batch, the first included: 1 means no retry. */
  readonly maxAttempts: number;
  readonly limits?: BatchLimits;
  readonly onProgress?: (progress: SendProgress) => void;
}

export interface SendProgress {
  /** Records Kinesis accepted. */
  readonly sent: number;
  /** Record sends that were repeats of an earlier attempt. */
  readonly retried: number;
  /** Records given up on after the last attempt. */
  readonly failed: number;
  readonly calls: number;
}

export interface RecordFailure {
  readonly partitionKey: string;
  readonly errorCode: string;
  readonly message: string;
}

export interface SendSummary extends SendProgress {
  /** The first failures, for the report (a throttled stream can fail thousands alike). */
  readonly failures: readonly RecordFailure[];
}

const MAX_REPORTED_FAILURES = 20;

export async function sendRecords(records: Iterable<OutgoingRecord>, options: SendOptions): Promise<SendSummary> {
  if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be an integer >= 1, not ${options.maxAttempts}`);
  }
  const limits = options.limits ?? PUT_RECORDS_LIMITS;
  // A batch must fit the bucket, or it could never take its tokens.
  const maxRecords = Math.max(1, Math.min(limits.maxRecords, Math.floor(options.limiter.capacity)));
  const state = { sent: 0, retried: 0, failed: 0, calls: 0 };
  const failures: RecordFailure[] = [];
  const giveUp = (failed: readonly FailedRecord[]) => {
    state.failed += failed.length;
    for (const f of failed.slice(0, Math.max(0, MAX_REPORTED_FAILURES - failures.length))) {
      failures.push({ partitionKey: f.record.partitionKey, errorCode: f.errorCode, message: f.message });
    }
  };

  for (const batch of batchRecords(records, { ...limits, maxRecords })) {
    let pending: readonly OutgoingRecord[] = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) {
        state.retried += pending.length;
        await options.clock.sleep(backoffDelayMs(attempt - 2, options.backoff, options.random));
      }
      await options.limiter.take(pending.length);
      state.calls++;
      let result: PutRecordsResult;
      try {
        result = await options.api.putRecords(options.streamName, pending);
      } catch (error) {
        if (!(error instanceof KinesisApiError) || !error.retryable) throw error;
        if (attempt >= options.maxAttempts) {
          giveUp(pending.map((record) => ({ record, errorCode: error.type, message: error.message })));
          pending = [];
        }
        continue;
      }
      const failed = failedRecords(pending, result);
      state.sent += pending.length - failed.length;
      pending = failed.map((f) => f.record);
      if (pending.length > 0 && attempt >= options.maxAttempts) {
        giveUp(failed);
        pending = [];
      }
    }
    options.onProgress?.({ ...state });
  }
  return { ...state, failures };
}

export interface FailedRecord {
  readonly record: OutgoingRecord;
  readonly errorCode: string;
  readonly message: string;
}

/** Pairs each request record with its result entry (same order, per the API) and keeps the failed ones. */
export function failedRecords(records: readonly OutgoingRecord[], result: PutRecordsResult): FailedRecord[] {
  if (!Array.isArray(result.Records) || result.Records.length !== records.length) {
    throw new Error(`PutRecords answered ${result.Records?.length ?? "no"} result entries for ${records.length} records; cannot tell which failed`);
  }
  return records.flatMap((record, i) => {
    const entry = result.Records[i]!;
    return entry.ErrorCode ? [{ record, errorCode: entry.ErrorCode, message: entry.ErrorMessage ?? "" }] : [];
  });
}
