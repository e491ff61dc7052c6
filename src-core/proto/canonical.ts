/** The original's canonical serialization, used only under hashes and signatures
 *  (reference/funder.md §0.4): fixed bytes raw, bool 1 byte, u32/u64/u128 big-endian, i128 two's
 *  complement, Vec as a u64 count then items, Option as 0x00 | 0x01 ‖ value.
 *  Strings: 'raw' (UTF-8 bytes, no length — the original, ambiguous in lists, §7.6) or
 *  'length-prefixed' (u64 byte count then UTF-8 — ours for move tokens, ARCHITECTURE §4). */
import { I128_MAX, I128_MIN, U128_MAX, U64_MAX, Writer } from '../codec/index.ts';

export type StringMode = 'raw' | 'length-prefixed';

const utf8 = new TextEncoder();

export class CanonicalWriter {
  private readonly w = new Writer();
  constructor(readonly stringMode: StringMode) {}

  bytes(b: Uint8Array): this { this.w.bytes(b); return this; }
  bool(v: boolean): this { this.w.u8(v ? 1 : 0); return this; }
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`u32 out of range: ${v}`);
    this.w.u32(v);
    return this;
  }
  u64(v: bigint): this {
    if (v < 0n || v > U64_MAX) throw new RangeError(`u64 out of range: ${v}`);
    this.w.u64(v);
    return this;
  }
  u128(v: bigint): this {
    if (v < 0n || v > U128_MAX) throw new RangeError(`u128 out of range: ${v}`);
    this.w.u64(v >> 64n);
    this.w.u64(v & U64_MAX);
    return this;
  }
  i128(v: bigint): this {
    if (v < I128_MIN || v > I128_MAX) throw new RangeError(`i128 out of range: ${v}`);
    return this.u128(v < 0n ? v + (1n << 128n) : v);
  }
  str(s: string): this {
    const b = utf8.encode(s);
    if (this.stringMode === 'length-prefixed') this.w.u64(BigInt(b.length));
    this.w.bytes(b);
    return this;
  }
  vec<T>(items: readonly T[], each: (w: this, item: T) => void): this {
    this.w.u64(BigInt(items.length));
    for (const item of items) each(this, item);
    return this;
  }
  option<T>(value: T | undefined, each: (w: this, item: T) => void): this {
    if (value === undefined) { this.w.u8(0); return this; }
    this.w.u8(1);
    each(this, value);
    return this;
  }
  finish(): Uint8Array { return this.w.finish(); }
}
