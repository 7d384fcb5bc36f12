import { DEFAULT_BACKOFF, backoffCeilingMs, backoffDelayMs } from "../../tools/producer/backoff";
import { ManualClock } from "../../tools/producer/clock";
import { mulberry32 } from "../../tools/producer/prng";
import { TokenBucket, waitMs } from "../../tools/producer/rate-limit";

describe("backoff with full jitter", () => {
  const policy = { baseMs: 100, capMs: 5_000 };

  it("doubles the ceiling per retry up to the cap", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((r) => backoffCeilingMs(r, policy))).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    expect(backoffCeilingMs(2000, policy)).toBe(5000);
  });

  it("draws delays uniformly below the ceiling", () => {
    const random = mulberry32(1);
    const delays = Array.from({ length: 2000 }, () => backoffDelayMs(3, policy, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(800);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeGreaterThan(360);
    expect(mean).toBeLessThan(440);
  });

  it("is reproducible with a seeded source and hits the bounds exactly", () => {
    const a = Array.from({ length: 10 }, (_, i) => backoffDelayMs(i, DEFAULT_BACKOFF, mulberry32(9)));
    const b = Array.from({ length: 10 }, (_, i) => backoffDelayMs(i, DEFAULT_BACKOFF, mulberry32(9)));
    expect(a).toEqual(b);
    expect(backoffDelayMs(4, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(4, policy, () => 0.999999)).toBe(1599);
  });

  it("refuses a negative or fractional retry number", () => {
    expect(() => backoffCeilingMs(-1, policy)).toThrow("retry must be a non-negative integer, not -1");
  });
});

describe("TokenBucket", () => {
  it("lets the first second's worth go at once, then paces at the rate", async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(50, clock);
    await bucket.take(50);
    expect(clock.now()).toBe(0);
    await bucket.take(50);
    expect(clock.now()).toBe(1000);
    await bucket.take(10);
    expect(clock.now()).toBe(1200);
  });

  it("sends N records at rate R in about (N - R) / R seconds", async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(200, clock);
    for (let sent = 0; sent < 1000; sent += 40) await bucket.take(40);
    expect(clock.now()).toBeGreaterThanOrEqual(4000);
    expect(clock.now()).toBeLessThanOrEqual(4000 + 25);
  });

  it("refills from elapsed time without sleeping, and never beyond one second of tokens", async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(10, clock);
    await bucket.take(10);
    clock.advance(60_000);
    await bucket.take(10);
    expect(clock.sleeps).toEqual([]);
    await bucket.take(1);
    expect(clock.sleeps).toEqual([100]);
  });

  it("supports rates below one per second", async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(0.5, clock);
    await bucket.take(1);
    await bucket.take(1);
    expect(clock.now()).toBe(2000);
  });

  it("refuses a batch larger than the bucket and a non-positive rate", async () => {
    await expect(new TokenBucket(10, new ManualClock()).take(11)).rejects.toThrow("cannot take 11 tokens at once from a bucket of 10");
    expect(() => new TokenBucket(0, new ManualClock())).toThrow("rate must be a positive number of records per second, not 0");
  });

  it("rounds waits up to whole milliseconds", () => {
    expect(waitMs(1, 3)).toBe(334);
    expect(waitMs(0.0001, 1000)).toBe(1);
  });
});
