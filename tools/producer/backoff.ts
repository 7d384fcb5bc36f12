/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * sleep = random(0, min(cap, base * 2^attempt)). Full jitter spreads retries of many producers
 * that were throttled together, which is exactly when Kinesis throttles.
 */
import type { Random } from "./prng";

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay, in ms. */
  readonly baseMs: number;
  /** No delay ceiling grows beyond this, in ms. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 100, capMs: 5_000 };

/** The upper bound of the delay before retry number `retry` (0 = the first retry). */
export function backoffCeilingMs(retry: number, policy: BackoffPolicy): number {
  if (!Number.isInteger(retry) || retry < 0) throw new RangeError(`retry must be a non-negative integer, not ${retry}`);
  // 2^retry overflows to Infinity long after it passes any sane cap; min() keeps it finite.
  return Math.min(policy.capMs, policy.baseMs * 2 ** retry);
}

/** The delay before retry number `retry`: uniform in [0, ceiling), drawn from `random`. */
export function backoffDelayMs(retry: number, policy: BackoffPolicy, random: Random): number {
  return Math.floor(random() * backoffCeilingMs(retry, policy));
}
