/** Combinators for the one strict, canonical binary codec used on every wire.
 *  Integers are fixed-width big-endian; variable-length values carry a u32 length and an explicit
 *  maximum checked before anything is allocated; bools are exactly 0 or 1; tags must be known. */
import { DecodeError, type Result, err, ok } from './errors.ts';
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

export interface Codec<T> {
  encode(w: Writer, v: T): void;
  /** Throws DecodeError on bad input. */
  decode(r: Reader): T;
}

export type Infer<C> = C extends Codec<infer T> ? T : never;

export const U64_MAX = (1n << 64n) - 1n;
export const U128_MAX = (1n << 128n) - 1n;
export const I128_MIN = -(1n << 127n);
export const I128_MAX = (1n << 127n) - 1n;

function intCodec(bits: 8 | 16 | 32): Codec<number> {
  const max = 2 ** bits - 1;
  return {
    encode(w, v) {
      if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`u${bits} out of range: ${v}`);
      if (bits === 8) w.u8(v); else if (bits === 16) w.u16(v); else w.u32(v);
    },
    decode: (r) => (bits === 8 ? r.u8() : bits === 16 ? r.u16() : r.u32()),
  };
}
export const u8 = intCodec(8);
export const u16 = intCodec(16);
export const u32 = intCodec(32);

export const u64: Codec<bigint> = {
  encode(w, v) {
    if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) throw new RangeError(`u64 out of range: ${String(v)}`);
    w.u64(v);
  },
  decode: (r) => r.u64(),
};

export const u128: Codec<bigint> = {
  encode(w, v) {
    if (typeof v !== 'bigint' || v < 0n || v > U128_MAX) throw new RangeError(`u128 out of range: ${String(v)}`);
    w.u64(v >> 64n);
    w.u64(v & U64_MAX);
  },
  decode: (r) => (r.u64() << 64n) | r.u64(),
};

/** Two's complement, 16 bytes big-endian. */
export const i128: Codec<bigint> = {
  encode(w, v) {
    if (typeof v !== 'bigint' || v < I128_MIN || v > I128_MAX) throw new RangeError(`i128 out of range: ${String(v)}`);
    u128.encode(w, v < 0n ? v + (1n << 128n) : v);
  },
  decode(r) {
    const x = u128.decode(r);
    return x > I128_MAX ? x - (1n << 128n) : x;
  },
};

export const bool: Codec<boolean> = {
  encode(w, v) {
    if (typeof v !== 'boolean') throw new TypeError('bool expected');
    w.u8(v ? 1 : 0);
  },
  decode(r) {
    const b = r.u8();
    if (b > 1) r.fail('bad-bool', `byte ${b}`, r.offset - 1);
    return b === 1;
  },
};

export function fixedBytes(n: number): Codec<Uint8Array> {
  return {
    encode(w, v) {
      if (!(v instanceof Uint8Array) || v.length !== n) throw new RangeError(`expected ${n} bytes, got ${v?.length}`);
      w.bytes(v);
    },
    decode: (r) => r.take(n),
  };
}

function readLength(r: Reader, max: number, unit: string): number {
  const n = r.u32();
  if (n > max) r.fail('too-long', `${n} ${unit} > max ${max}`, r.offset - 4);
  return n;
}

export function bytes(opts: { max: number }): Codec<Uint8Array> {
  return {
    encode(w, v) {
      if (!(v instanceof Uint8Array)) throw new TypeError('Uint8Array expected');
      if (v.length > opts.max) throw new RangeError(`bytes too long: ${v.length} > ${opts.max}`);
      w.u32(v.length);
      w.bytes(v);
    },
    decode: (r) => r.take(readLength(r, opts.max, 'bytes')),
  };
}

const textEncoder = new TextEncoder();
// ignoreBOM: a leading U+FEFF is text like any other; by default TextDecoder drops it, and a string
// starting with one would not survive encode∘decode. fatal: overlongs, surrogates and bad bytes throw.
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** UTF-8 string, length-prefixed in bytes; invalid UTF-8 is rejected. Well-formed UTF-8 has exactly
 *  one encoding per string, so this is canonical. Encoding a string with a lone surrogate throws
 *  RangeError (TextEncoder would silently turn it into U+FFFD). */
export function utf8(opts: { maxBytes: number }): Codec<string> {
  return {
    encode(w, v) {
      if (typeof v !== 'string') throw new TypeError('string expected');
      if (LONE_SURROGATE.test(v)) throw new RangeError('string has a lone surrogate (not encodable as UTF-8)');
      const b = textEncoder.encode(v);
      if (b.length > opts.maxBytes) throw new RangeError(`string too long: ${b.length} > ${opts.maxBytes} bytes`);
      w.u32(b.length);
      w.bytes(b);
    },
    decode(r) {
      const start = r.offset;
      const b = r.take(readLength(r, opts.maxBytes, 'bytes'));
      try {
        return textDecoder.decode(b);
      } catch {
        return r.fail('bad-utf8', '', start);
      }
    },
  };
}

export function list<T>(item: Codec<T>, opts: { max: number }): Codec<readonly T[]> {
  return {
    encode(w, v) {
      if (!Array.isArray(v)) throw new TypeError('array expected');
      if (v.length > opts.max) throw new RangeError(`list too long: ${v.length} > ${opts.max}`);
      w.u32(v.length);
      for (const x of v) item.encode(w, x);
    },
    decode(r) {
      // The max bounds the work; no "n items need n bytes" shortcut, items may encode to nothing
      const n = readLength(r, opts.max, 'items');
      const out: T[] = [];
      for (let i = 0; i < n; i++) {
        r.path.push(`[${i}]`);
        out.push(item.decode(r));
        r.path.pop();
      }
      return out;
    },
  };
}

export function option<T>(inner: Codec<T>): Codec<T | undefined> {
  return {
    encode(w, v) {
      if (v === undefined) { w.u8(0); return; }
      w.u8(1);
      inner.encode(w, v);
    },
    decode(r) {
      const tag = r.u8();
      if (tag === 0) return undefined;
      if (tag !== 1) r.fail('bad-tag', `option tag ${tag}`, r.offset - 1);
      return inner.decode(r);
    },
  };
}

type Fields = Record<string, Codec<unknown>>;
type StructOf<F extends Fields> = { readonly [K in keyof F]: Infer<F[K]> };

/** Fields are encoded in the order the object literal lists them. */
export function struct<F extends Fields>(fields: F): Codec<StructOf<F>> {
  const entries = Object.entries(fields);
  return {
    encode(w, v) {
      for (const [name, c] of entries) {
        try {
          c.encode(w, (v as Record<string, unknown>)[name]);
        } catch (e) {
          if (e instanceof RangeError || e instanceof TypeError) {
            const E = e.constructor as new (m: string) => Error;
            throw new E(`${name}: ${e.message}`);
          }
          throw e;
        }
      }
    },
    decode(r) {
      const out: Record<string, unknown> = {};
      for (const [name, c] of entries) {
        r.path.push(name);
        out[name] = c.decode(r);
        r.path.pop();
      }
      return out as StructOf<F>;
    },
  };
}

type Variants = Record<string, readonly [tag: number, body: Codec<Record<string, unknown>>]>;
type UnionOf<V extends Variants> = {
  [K in keyof V]: { readonly kind: K } & Infer<V[K][1]>;
}[keyof V];

/** Tagged union on the `kind` property: a u8 tag, then the variant's body struct. */
export function union<V extends Variants>(variants: V): Codec<UnionOf<V>> {
  const byTag = new Map<number, [string, Codec<Record<string, unknown>>]>();
  for (const [kind, [tag, body]] of Object.entries(variants)) {
    if (byTag.has(tag)) throw new Error(`duplicate tag ${tag}`);
    byTag.set(tag, [kind, body]);
  }
  return {
    encode(w, v) {
      const kind = (v as { kind: unknown }).kind;
      // own keys only: kind 'toString' must not find Object.prototype.toString
      const variant = typeof kind === 'string' && Object.hasOwn(variants, kind) ? variants[kind] : undefined;
      if (variant === undefined) throw new TypeError(`unknown variant ${String((v as { kind: unknown }).kind)}`);
      w.u8(variant[0]);
      variant[1].encode(w, v as Record<string, unknown>);
    },
    decode(r) {
      const tag = r.u8();
      const v = byTag.get(tag);
      if (v === undefined) return r.fail('bad-tag', `tag ${tag}`, r.offset - 1);
      r.path.push(v[0]);
      const body = v[1].decode(r);
      r.path.pop();
      return { kind: v[0], ...body } as UnionOf<V>;
    },
  };
}

export const unit: Codec<Record<string, never>> = { encode() {}, decode: () => ({}) };

/** Maps a decoded value through a check; `check` returns an error string to reject it. */
export function refine<T>(inner: Codec<T>, check: (v: T) => string | undefined): Codec<T> {
  return {
    encode(w, v) {
      const problem = check(v);
      if (problem !== undefined) throw new RangeError(problem);
      inner.encode(w, v);
    },
    decode(r) {
      const start = r.offset;
      const v = inner.decode(r);
      const problem = check(v);
      if (problem !== undefined) throw new DecodeError('invalid', start, r.field, problem);
      return v;
    },
  };
}

/** A codec for a value derived from another, e.g. a branded type: `map(u128, asAmount, (a) => a)`.
 *  `to` must accept every value `inner` decodes (put a `refine` inside to reject some); whatever
 *  `to` or `from` throws is a bug, not bad input, and propagates. */
export function map<A, B>(inner: Codec<A>, to: (a: A) => B, from: (b: B) => A): Codec<B> {
  return {
    encode: (w, v) => inner.encode(w, from(v)),
    decode: (r) => to(inner.decode(r)),
  };
}

/** All or nothing: bytes are returned only when the whole value encoded. */
export function encode<T>(c: Codec<T>, v: T): Uint8Array {
  const w = new Writer();
  c.encode(w, v);
  return w.finish();
}

export function decodeExact<T>(c: Codec<T>, input: Uint8Array): Result<T, DecodeError> {
  const r = new Reader(input);
  try {
    const value = c.decode(r);
    if (r.remaining !== 0) return err(new DecodeError('trailing-bytes', r.offset, '', `${r.remaining} extra bytes`));
    return ok(value);
  } catch (e) {
    if (e instanceof DecodeError) return err(e);
    throw e; // a bug, not bad input
  }
}
