/** Reads the fields of one parsed document (a JSON object or a TOML-lite table) strictly:
 *  each field named in camelCase may also be spelled in snake_case (the original's files);
 *  missing, unknown, duplicated and malformed fields are errors naming the field. */
import { U128_MAX, fromBase64Url } from '../codec/index.ts';
import { MAX_CURRENCY_BYTES } from '../proto/index.ts';
import { parseNetAddress } from './address.ts';
import { parseU128Decimal } from './decimal.ts';
import { type FileKind, fail } from './file-error.ts';

export type Doc = Record<string, unknown>;

const utf8 = new TextEncoder();

export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function isPlainObject(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function show(v: unknown): string {
  if (typeof v === 'string') return v.length > 60 ? `${JSON.stringify(v.slice(0, 60))}…` : JSON.stringify(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

export class FieldReader {
  private readonly used = new Set<string>();

  constructor(readonly fileKind: FileKind, private readonly doc: Doc, private readonly prefix = '') {}

  private path(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** The raw value under `name` or its snake_case spelling (not both). */
  raw(name: string, aliases: readonly string[] = []): unknown {
    const spellings = [...new Set([name, snakeCase(name), ...aliases, ...aliases.map(snakeCase)])];
    const present = spellings.filter((s) => Object.prototype.hasOwnProperty.call(this.doc, s));
    for (const s of present) this.used.add(s);
    if (present.length > 1) fail('bad-value', this.fileKind, this.path(name), `given more than once (${present.join(', ')})`);
    return present.length === 1 ? this.doc[present[0] as string] : undefined;
  }

  private required(name: string, aliases: readonly string[] = []): unknown {
    const v = this.raw(name, aliases);
    if (v === undefined) fail('missing-field', this.fileKind, this.path(name), 'missing');
    return v;
  }

  string(name: string, opts: { maxBytes: number; aliases?: readonly string[] }): string {
    return this.checkString(name, this.required(name, opts.aliases), opts.maxBytes);
  }

  optionalString(name: string, opts: { maxBytes: number }): string | undefined {
    const v = this.raw(name);
    return v === undefined ? undefined : this.checkString(name, v, opts.maxBytes);
  }

  /** An instant as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds), read as seconds since the epoch. */
  optionalTimestamp(name: string): number | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    const seconds = typeof v === 'string' ? parseUtcTimestamp(v) : undefined;
    if (seconds === undefined) fail('bad-value', this.fileKind, this.path(name), `expected a UTC time like 2026-01-31T12:00:00Z, got ${show(v)}`);
    return seconds;
  }

  private checkString(name: string, v: unknown, maxBytes: number): string {
    if (typeof v !== 'string') fail('bad-value', this.fileKind, this.path(name), `expected a string, got ${show(v)}`);
    if (utf8.encode(v).length > maxBytes) fail('bad-value', this.fileKind, this.path(name), `expected at most ${maxBytes} bytes of UTF-8`);
    if (/[\u0000-\u001f\u007f]/.test(v)) fail('bad-value', this.fileKind, this.path(name), 'control characters are not allowed');
    return v;
  }

  /** base64url without padding of exactly `length` bytes (a 32-byte key is 43 characters). */
  bytes(name: string, length: number, aliases: readonly string[] = []): Uint8Array {
    return this.checkBytes(name, this.required(name, aliases), length);
  }

  optionalBytes(name: string, length: number): Uint8Array | undefined {
    const v = this.raw(name);
    return v === undefined ? undefined : this.checkBytes(name, v, length);
  }

  private checkBytes(name: string, v: unknown, length: number): Uint8Array {
    const chars = Math.ceil((length * 4) / 3);
    const expected = `expected ${chars} base64url characters (${length} bytes)`;
    if (typeof v !== 'string') fail('bad-value', this.fileKind, this.path(name), `${expected}, got ${show(v)}`);
    const b = v.length === chars ? fromBase64Url(v) : undefined;
    if (b === undefined || b.length !== length) fail('bad-value', this.fileKind, this.path(name), `${expected}, got ${show(v)}`);
    return b;
  }

  amount(name: string, aliases: readonly string[] = []): bigint {
    const v = this.required(name, aliases);
    // a bare TOML integer (`dest_payment = 60`) arrives as a bigint; JSON numbers never do
    if (typeof v === 'bigint') {
      if (v > U128_MAX) fail('bad-value', this.fileKind, this.path(name), `amount out of range (at most 2^128-1), got ${v}`);
      return v;
    }
    if (typeof v !== 'string') {
      fail('bad-value', this.fileKind, this.path(name), `expected a decimal string such as "60", got ${show(v)}`);
    }
    const r = parseU128Decimal(v);
    if (!r.ok) {
      fail('bad-value', this.fileKind, this.path(name), r.problem === 'out-of-range'
        ? `amount out of range (at most 2^128-1), got ${show(v)}`
        : `expected a decimal string of digits without sign or leading zeros, got ${show(v)}`);
    }
    return r.value;
  }

  /** 1..16 bytes of UTF-8 (MAX_CURRENCY_LEN of the original). */
  currency(name: string): string {
    const v = this.required(name);
    if (typeof v !== 'string' || v.length === 0) {
      fail('bad-value', this.fileKind, this.path(name), `expected a currency name of 1 to ${MAX_CURRENCY_BYTES} bytes, got ${show(v)}`);
    }
    return this.checkString(name, v, MAX_CURRENCY_BYTES);
  }

  bool(name: string): boolean {
    const v = this.required(name);
    if (typeof v !== 'boolean') fail('bad-value', this.fileKind, this.path(name), `expected true or false, got ${show(v)}`);
    return v;
  }

  optionalBool(name: string, aliases: readonly string[] = []): boolean | undefined {
    const v = this.raw(name, aliases);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') fail('bad-value', this.fileKind, this.path(name), `expected true or false, got ${show(v)}`);
    return v;
  }

  address(name: string): string {
    const v = this.required(name);
    if (typeof v !== 'string') fail('bad-value', this.fileKind, this.path(name), `expected host:port, got ${show(v)}`);
    const r = parseNetAddress(v);
    if (!r.ok) fail('bad-value', this.fileKind, this.path(name), r.problem);
    return v;
  }

  object(name: string, aliases: readonly string[] = []): FieldReader {
    const v = this.required(name, aliases);
    if (!isPlainObject(v)) fail('bad-value', this.fileKind, this.path(name), `expected an object, got ${show(v)}`);
    return new FieldReader(this.fileKind, v, `${this.path(name)}.`);
  }

  list(name: string, max: number): FieldReader[] {
    const v = this.required(name);
    if (!Array.isArray(v)) fail('bad-value', this.fileKind, this.path(name), `expected a list, got ${show(v)}`);
    if (v.length > max) fail('bad-value', this.fileKind, this.path(name), `expected at most ${max} entries, got ${v.length}`);
    return v.map((item: unknown, i) => {
      if (!isPlainObject(item)) fail('bad-value', this.fileKind, this.path(`${name}[${i}]`), `expected an object, got ${show(item)}`);
      return new FieldReader(this.fileKind, item, `${this.path(name)}[${i}].`);
    });
  }

  /** The optional `kind` tag: when present it must name this kind of file. */
  kind(expected: string): void {
    const v = this.raw('kind');
    if (v !== undefined && v !== expected) {
      fail('wrong-kind', this.fileKind, '', `this is ${typeof v === 'string' ? `a ${v} file` : 'not one'}, expected kind ${JSON.stringify(expected)}`);
    }
  }

  /** Call last: any field not read is an error, so typos do not pass silently. */
  end(): void {
    for (const k of Object.keys(this.doc)) {
      // a key from the file is shown quoted when odd, so the message stays one line
      const shown = /^[A-Za-z0-9_$-]{1,64}$/.test(k) ? k : JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k);
      if (!this.used.has(k)) fail('unknown-field', this.fileKind, this.path(shown), 'unknown field');
    }
  }
}

const TIMESTAMP = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z$/;
/** Largest instant a file may name: the year 9999 keeps the text form four digits long. */
export const MAX_TIMESTAMP_SECONDS = 253402300799;

/** Strict: the text must name a real instant and be its only spelling (no 24:00, no Feb 30). */
export function parseUtcTimestamp(text: string): number | undefined {
  if (!TIMESTAMP.test(text)) return undefined;
  const ms = Date.parse(text);
  if (!Number.isSafeInteger(ms) || ms < 0 || ms / 1000 > MAX_TIMESTAMP_SECONDS || formatUtcTimestamp(ms / 1000) !== text) return undefined;
  return ms / 1000;
}

export function formatUtcTimestamp(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > MAX_TIMESTAMP_SECONDS) throw new RangeError(`time out of range: ${seconds}`);
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
