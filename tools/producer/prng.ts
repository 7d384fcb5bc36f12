/**
 * A small seeded PRNG, so that the same seed always gives the same events (and the same jitter):
 * `Math.random` cannot be seeded. mulberry32 has a 2^32 period, ample for test data; it is not
 * cryptographic and nothing here needs it to be.
 */
export type Random = () => number;

/** mulberry32: a uniform float in [0, 1) per call, fully determined by the seed. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent stream derived from a seed and a label (so jitter draws never shift the events). */
export function deriveRandom(seed: number, label: string): Random {
  let hash = 2166136261 ^ (seed >>> 0);
  for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return mulberry32(hash >>> 0);
}

/** Integer in [min, max], both inclusive. */
export function intBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error("pick: no items to choose from");
  return items[Math.floor(random() * items.length)] as T;
}

/** Picks by weight: `[["standard", 70], ["student", 15]]`. */
export function pickWeighted<T>(random: Random, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random() * total;
  for (const [item, weight] of weighted) {
    draw -= weight;
    if (draw < 0) return item;
  }
  return weighted[weighted.length - 1]![0];
}

export function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

/** `length` lowercase hex digits. */
export function hexString(random: Random, length: number): string {
  let out = "";
  while (out.length < length) out += Math.floor(random() * 16).toString(16);
  return out;
}
