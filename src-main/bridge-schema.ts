/** Bridge schemas: strict two-way mapping between typed values and the JSON the bridge carries.
 *
 *  Browser-safe (the renderer's bridge client uses it too). Every decoder rejects anything that is
 *  not exactly the declared shape: wrong types, missing or extra fields, over-long strings and
 *  lists, non-canonical amounts. Amounts are bigint in code and decimal strings in JSON
 *  (STYLE §6); binary values are base64url without padding (ARCHITECTURE §4). */
import { fromBase64Url, toBase64Url } from '../src-core/codec/index.ts';

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** Thrown only inside decoders and caught by the bridge codec; never crosses a module edge. */
export class SchemaError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'SchemaError';
  }
}

export interface Schema<T> {
  toJson(value: T): Json;
  /** Throws SchemaError naming the path when `json` is not exactly this shape. */
  fromJson(json: unknown, path: string): T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const U128_MAX = (1n << 128n) - 1n;
const I128_MIN = -(1n << 127n);
const I128_MAX = (1n << 127n) - 1n;

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function str(opts: { readonly maxLength: number; readonly minLength?: number; readonly pattern?: RegExp }): Schema<string> {
  return {
    toJson: (v) => v,
    fromJson(j, path) {
      if (typeof j !== 'string') throw new SchemaError(path, `expected a string, got ${typeName(j)}`);
      if (j.length > opts.maxLength) throw new SchemaError(path, `longer than ${opts.maxLength} characters`);
      if (j.length < (opts.minLength ?? 0)) throw new SchemaError(path, `shorter than ${opts.minLength ?? 0} characters`);
      if (opts.pattern !== undefined && !opts.pattern.test(j)) throw new SchemaError(path, 'has an invalid format');
      return j;
    },
  };
}

export function int(opts: { readonly min: number; readonly max: number }): Schema<number> {
  return {
    toJson: (v) => v,
    fromJson(j, path) {
      if (typeof j !== 'number' || !Number.isSafeInteger(j)) throw new SchemaError(path, `expected an integer, got ${typeName(j)}`);
      if (j < opts.min || j > opts.max) throw new SchemaError(path, `out of range ${opts.min}..${opts.max}`);
      return j;
    },
  };
}

export const bool: Schema<boolean> = {
  toJson: (v) => v,
  fromJson(j, path) {
    if (typeof j !== 'boolean') throw new SchemaError(path, `expected a boolean, got ${typeName(j)}`);
    return j;
  },
};

function decimal(min: bigint, max: bigint, re: RegExp): Schema<bigint> {
  return {
    toJson(v) {
      if (typeof v !== 'bigint' || v < min || v > max) throw new RangeError(`amount out of range: ${String(v)}`);
      return v.toString();
    },
    fromJson(j, path) {
      if (typeof j !== 'string') throw new SchemaError(path, `expected a decimal string, got ${typeName(j)}`);
      if (j.length > 41 || !re.test(j)) throw new SchemaError(path, 'is not a canonical decimal integer');
      const v = BigInt(j);
      if (v < min || v > max) throw new SchemaError(path, 'is out of range');
      return v;
    },
  };
}

/** Unsigned 128-bit amount as a canonical decimal string (no sign, no leading zeros). */
export const u128: Schema<bigint> = decimal(0n, U128_MAX, /^(0|[1-9][0-9]*)$/);
/** Signed 128-bit balance as a canonical decimal string (no `-0`, no leading zeros). */
export const i128: Schema<bigint> = decimal(I128_MIN, I128_MAX, /^(0|-?[1-9][0-9]*)$/);

export function bytes(opts: { readonly maxBytes: number; readonly length?: number }): Schema<Uint8Array> {
  const maxChars = Math.ceil((opts.maxBytes * 4) / 3);
  return {
    toJson: (v) => toBase64Url(v),
    fromJson(j, path) {
      if (typeof j !== 'string') throw new SchemaError(path, `expected base64url, got ${typeName(j)}`);
      if (j.length > maxChars) throw new SchemaError(path, `longer than ${opts.maxBytes} bytes`);
      const b = fromBase64Url(j);
      if (b === undefined) throw new SchemaError(path, 'is not canonical base64url');
      if (opts.length !== undefined && b.length !== opts.length) throw new SchemaError(path, `expected ${opts.length} bytes`);
      return b;
    },
  };
}

export function literal<const L extends string>(...values: readonly L[]): Schema<L> {
  return {
    toJson: (v) => v,
    fromJson(j, path) {
      if (typeof j !== 'string' || !(values as readonly string[]).includes(j)) {
        throw new SchemaError(path, `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
      }
      return j as L;
    },
  };
}

export function list<T>(item: Schema<T>, opts: { readonly max: number }): Schema<readonly T[]> {
  return {
    toJson: (v) => v.map((x) => item.toJson(x)),
    fromJson(j, path) {
      if (!Array.isArray(j)) throw new SchemaError(path, `expected a list, got ${typeName(j)}`);
      if (j.length > opts.max) throw new SchemaError(path, `more than ${opts.max} items`);
      return j.map((x, i) => item.fromJson(x, `${path}[${i}]`));
    },
  };
}

type Fields = Record<string, Schema<unknown>>;
export type ObjOf<F extends Fields> = { readonly [K in keyof F]: Infer<F[K]> };

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** An object with exactly these fields: a missing or an extra field is an error. */
export function obj<F extends Fields>(fields: F): Schema<ObjOf<F>> {
  const names = Object.keys(fields);
  return {
    toJson(v) {
      const out: Record<string, Json> = {};
      for (const k of names) out[k] = (fields[k] as Schema<unknown>).toJson((v as Record<string, unknown>)[k]);
      return out;
    },
    fromJson(j, path) {
      if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new SchemaError(path, `expected an object, got ${typeName(j)}`);
      for (const k of Object.keys(j)) if (!own(fields, k)) throw new SchemaError(path, `has an unknown field ${JSON.stringify(k)}`);
      const out: Record<string, unknown> = {};
      for (const k of names) {
        if (!own(j, k)) throw new SchemaError(path, `misses the field ${JSON.stringify(k)}`);
        out[k] = (fields[k] as Schema<unknown>).fromJson((j as Record<string, unknown>)[k], `${path}.${k}`);
      }
      return out as ObjOf<F>;
    },
  };
}

/** `null` in JSON and in code, or a value of `inner`. */
export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return {
    toJson: (v) => (v === null ? null : inner.toJson(v)),
    fromJson: (j, path) => (j === null ? null : inner.fromJson(j, path)),
  };
}

/** `null` in JSON, `undefined` in code: the result of a request that returns nothing. */
export const nothing: Schema<void> = {
  toJson: () => null,
  fromJson(j, path) {
    if (j !== null) throw new SchemaError(path, `expected null, got ${typeName(j)}`);
  },
};
