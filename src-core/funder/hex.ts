/** Byte strings as map keys: lower-case hex. */
export type Hex = string;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Nibble value of a char code ('0'-'9', 'a'-'f', 'A'-'F'), -1 for anything else. */
const NIBBLE = Int8Array.from({ length: 128 }, (_, c) =>
  (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1));

/** Lower-case hex (a table lookup per byte: map keys are made on every step). */
export function toHex(b: Uint8Array): Hex {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i] as number] as string;
  return s;
}

/** The bytes of `h`, two hex digits each (a trailing odd digit is ignored). Keys always come
 *  from toHex; anything else is read as parseInt reads each pair, as this always did. */
export function fromHex(h: Hex): Uint8Array {
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const hi = NIBBLE[h.charCodeAt(2 * i)] ?? -1;
    const lo = NIBBLE[h.charCodeAt(2 * i + 1)] ?? -1;
    out[i] = hi >= 0 && lo >= 0 ? (hi << 4) | lo : parseInt(h.slice(2 * i, 2 * i + 2), 16);
  }
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
