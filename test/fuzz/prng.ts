/** A small seeded generator for the fuzzers (mulberry32): the same seed gives the same run, so a
 *  failure printed with its seed replays exactly. Tests only; never for keys. */
export interface Prng {
  /** Uniform in [0, 2^32). */
  u32(): number;
  /** Uniform integer in [0, n); n ≥ 1. */
  below(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Uint8Array;
}

export function prng(seed: number): Prng {
  let a = seed >>> 0;
  const u32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const below = (n: number): number => (n <= 1 ? 0 : Math.floor((u32() / 0x1_0000_0000) * n));
  return {
    u32,
    below,
    chance: (p) => u32() / 0x1_0000_0000 < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[below(items.length)] as T;
    },
    bytes: (n) => Uint8Array.from({ length: n }, () => u32() & 0xff),
  };
}

/** Mixes a run seed with a target name, so every target gets its own stream from one seed. */
export function seedFor(runSeed: number, name: string): number {
  let h = (runSeed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
