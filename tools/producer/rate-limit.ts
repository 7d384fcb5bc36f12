/**
 * A token bucket: `ratePerSecond` tokens accrue continuously up to `capacity`; sending n records
 * takes n tokens, waiting until they are there. Capacity is one second of tokens, so a producer
 * that paused cannot burst more than a second's worth afterwards.
 */
import type { Clock } from "./clock";

export class TokenBucket {
  private tokens: number;
  private last: number;
  readonly capacity: number;

  constructor(
    readonly ratePerSecond: number,
    private readonly clock: Clock,
  ) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new RangeError(`rate must be a positive number of records per second, not ${ratePerSecond}`);
    }
    this.capacity = Math.max(1, ratePerSecond);
    // Starts full: the first second's records go out at once, like every later second's.
    this.tokens = this.capacity;
    this.last = clock.now();
  }

  /** Takes `count` tokens, sleeping until they have accrued. `count` may not exceed the capacity. */
  async take(count: number): Promise<void> {
    if (count > this.capacity) {
      throw new RangeError(`cannot take ${count} tokens at once from a bucket of ${this.capacity}; split the batch`);
    }
    this.refill();
    while (this.tokens < count) {
      await this.clock.sleep(waitMs(count - this.tokens, this.ratePerSecond));
      this.refill();
    }
    this.tokens -= count;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }
}

/** How long `missing` tokens take to accrue, rounded up to a whole millisecond. */
export function waitMs(missing: number, ratePerSecond: number): number {
  return Math.max(1, Math.ceil((missing / ratePerSecond) * 1000));
}
