/** Byte strings as map keys: lower-case hex. */
export type Hex = string;

export function toHex(b: Uint8Array): Hex {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(h: Hex): Uint8Array {
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const enc = new TextEncoder();
/** Rust `String` order: byte-wise over UTF-8 (reference/funder.md §0.3), not JS UTF-16 order. */
export function compareCurrencies(a: string, b: string): number {
  const x = enc.encode(a);
  const y = enc.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}
