/** Deterministic randomness for tests and simulations only, never for keys. */
export function seededRandom(seed: number): (n: number) => Uint8Array {
  let x = seed | 0 || 1; // xorshift32
  return (n) => Uint8Array.from({ length: n }, () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return x & 0xff;
  });
}
