/** Mutations for seeded fuzzing, after libFuzzer's and AFL's classics: bit flips, interesting
 *  bytes, insertions, deletions, length-prefix inflation, splicing two inputs, truncation, chunk
 *  duplication. Bytes for the binary codecs, text for the file, QR and bridge readers. */
import type { Prng } from './prng.ts';

const INTERESTING_U8 = [0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff];
const INTERESTING_U32 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x400, 0x401, 0x1000, 0xffff, 0x10000, 0x100000, 0x100001,
  0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

function readU32(b: Uint8Array, at: number): number {
  return (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
}

function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 24) & 0xff; b[at + 1] = (v >>> 16) & 0xff; b[at + 2] = (v >>> 8) & 0xff; b[at + 3] = v & 0xff;
}

/** Offsets where a big-endian u32 holds a small value that fits in what follows: likely a length. */
function lengthPrefixes(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= b.length; i++) {
    const v = readU32(b, i);
    if (v <= b.length - i - 4 && v < 0x10000) out.push(i);
  }
  return out;
}

export type ByteMutation = (r: Prng, input: Uint8Array, other: Uint8Array) => Uint8Array;

export const BYTE_MUTATIONS: readonly (readonly [string, ByteMutation])[] = [
  ['flip-bit', (r, b) => {
    if (b.length === 0) return r.bytes(1);
    const out = b.slice();
    const i = r.below(out.length);
    out[i] = (out[i] as number) ^ (1 << r.below(8));
    return out;
  }],
  ['interesting-byte', (r, b) => {
    if (b.length === 0) return Uint8Array.of(r.pick(INTERESTING_U8));
    const out = b.slice();
    out[r.below(out.length)] = r.chance(0.7) ? r.pick(INTERESTING_U8) : r.below(256);
    return out;
  }],
  ['insert', (r, b) => {
    const at = r.below(b.length + 1);
    return concat(b.subarray(0, at), r.bytes(1 + r.below(8)), b.subarray(at));
  }],
  ['delete', (r, b) => {
    if (b.length === 0) return b;
    const at = r.below(b.length);
    const n = 1 + r.below(Math.min(16, b.length - at));
    return concat(b.subarray(0, at), b.subarray(at + n));
  }],
  ['inflate-length', (r, b) => {
    const cands = lengthPrefixes(b);
    const out = b.slice();
    if (out.length < 4) return concat(out, Uint8Array.of(0xff, 0xff, 0xff, 0xff));
    const at = cands.length > 0 ? r.pick(cands) : r.below(out.length - 3);
    const cur = readU32(out, at);
    const next = r.pick([cur + 1, cur - 1, cur * 2 + 1, cur + 0x100, r.pick(INTERESTING_U32)]);
    writeU32(out, at, next >>> 0);
    return out;
  }],
  ['splice', (r, b, other) => {
    const at = r.below(b.length + 1);
    const from = r.below(other.length + 1);
    return concat(b.subarray(0, at), other.subarray(from));
  }],
  ['truncate', (r, b) => b.slice(0, r.below(b.length + 1))],
  ['duplicate-chunk', (r, b) => {
    if (b.length === 0) return b;
    const at = r.below(b.length);
    const n = 1 + r.below(Math.min(32, b.length - at));
    const chunk = b.subarray(at, at + n);
    return concat(b.subarray(0, at + n), chunk, b.subarray(at + n));
  }],
  ['append', (r, b) => concat(b, r.bytes(1 + r.below(4)))],
];

/** One to four stacked mutations; returns the names applied, for the failure report. */
export function mutateBytes(r: Prng, input: Uint8Array, other: Uint8Array): { bytes: Uint8Array; applied: string[] } {
  let b = input;
  const applied: string[] = [];
  const n = 1 + (r.chance(0.5) ? 0 : r.below(4));
  for (let i = 0; i < n; i++) {
    const [name, m] = r.pick(BYTE_MUTATIONS);
    b = m(r, b, other);
    applied.push(name);
  }
  return { bytes: b, applied };
}

const TOKENS = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '\r\n', '\t', 'null', 'true', 'false', '-1', '0', '-0', '1e400',
  '1.5', '0x10', '18446744073709551616', '340282366920938463463374607431768211456', '9'.repeat(80), '"__proto__"',
  '"constructor"', '"toString"', '\u0000', '\uFEFF', '\uD800', '\u202E', '=', '#', 'offset:', ':', 'AAAA', '-_', '+/',
  '%', '\'', '"kind"', '""', '{}', '[]', '[[[[[[[[', '{"a":'.repeat(8)];

const enc = new TextEncoder();
const lossy = new TextDecoder('utf-8');

export type TextMutation = (r: Prng, input: string, other: string) => string;

export const TEXT_MUTATIONS: readonly (readonly [string, TextMutation])[] = [
  ['insert-token', (r, s) => { const at = r.below(s.length + 1); return s.slice(0, at) + r.pick(TOKENS) + s.slice(at); }],
  ['replace-with-token', (r, s) => {
    const at = r.below(s.length + 1);
    return s.slice(0, at) + r.pick(TOKENS) + s.slice(at + 1 + r.below(8));
  }],
  ['replace-json-value', (r, s) => {
    const values = [...s.matchAll(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null/g)];
    if (values.length === 0) return s;
    const m = r.pick(values);
    const at = m.index;
    return s.slice(0, at) + r.pick(TOKENS) + s.slice(at + m[0].length);
  }],
  ['delete', (r, s) => { const at = r.below(s.length + 1); return s.slice(0, at) + s.slice(at + 1 + r.below(12)); }],
  ['duplicate', (r, s) => { const at = r.below(s.length + 1); const n = 1 + r.below(24); return s.slice(0, at + n) + s.slice(at, at + n) + s.slice(at + n); }],
  ['truncate', (r, s) => s.slice(0, r.below(s.length + 1))],
  ['splice', (r, s, o) => s.slice(0, r.below(s.length + 1)) + o.slice(r.below(o.length + 1))],
  ['bytes', (r, s, o) => lossy.decode(mutateBytes(r, enc.encode(s), enc.encode(o)).bytes)],
  ['swap-case', (r, s) => { const at = r.below(s.length); const c = s.charAt(at); return s.slice(0, at) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + s.slice(at + 1); }],
];

export function mutateText(r: Prng, input: string, other: string): { text: string; applied: string[] } {
  let s = input;
  const applied: string[] = [];
  const n = 1 + (r.chance(0.5) ? 0 : r.below(4));
  for (let i = 0; i < n; i++) {
    const [name, m] = r.pick(TEXT_MUTATIONS);
    s = m(r, s, other);
    applied.push(name);
  }
  return { text: s, applied };
}
