/** The combinators: encode∘decode is the identity, the encoding is the documented big-endian one,
 *  and out-of-range values are programmer errors (RangeError/TypeError) at encode time. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Codec, I128_MAX, I128_MIN, U128_MAX, U64_MAX, bool, bytes, decodeExact, encode, fixedBytes, i128, list, map, option, refine, struct, u128, u16, u32, u64, u8, union, unit, utf8,
} from './index.ts';
import { envelope, payment } from './test-fixtures.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function roundTrips<T>(c: Codec<T>, v: T): void {
  const encoded = encode(c, v);
  const decoded = decodeExact(c, encoded);
  expect(decoded).toEqual({ ok: true, value: v });
  if (decoded.ok) expect(encode(c, decoded.value)).toEqual(encoded);
}

const byteArray = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max });
const fixed = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n });
const text = (maxBytes: number): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', maxLength: maxBytes }).filter((s) => new TextEncoder().encode(s).length <= maxBytes);
const paymentArb = fc.oneof(
  fc.record({ kind: fc.constant('request' as const), requestId: fixed(16), route: fc.array(fixed(32), { maxLength: 8 }),
    amount: fc.bigInt({ min: 0n, max: U128_MAX }) }),
  fc.record({ kind: fc.constant('cancel' as const), requestId: fixed(16) }),
  fc.record({ kind: fc.constant('note' as const), text: text(40), urgent: fc.boolean() }),
  fc.constant({ kind: 'ping' as const }),
);
const envelopeArb = fc.record({
  version: fc.integer({ min: 0, max: 255 }),
  balance: fc.bigInt({ min: I128_MIN, max: I128_MAX }),
  sequence: fc.bigInt({ min: 0n, max: U64_MAX }),
  ops: fc.array(paymentArb, { maxLength: 5 }),
  memo: fc.option(byteArray(20), { nil: undefined }),
});

describe('round trips (fast-check)', () => {
  it.each([
    ['u8', u8, fc.integer({ min: 0, max: 0xff })],
    ['u16', u16, fc.integer({ min: 0, max: 0xffff })],
    ['u32', u32, fc.integer({ min: 0, max: 0xffffffff })],
    ['u64', u64, fc.bigInt({ min: 0n, max: U64_MAX })],
    ['u128', u128, fc.bigInt({ min: 0n, max: U128_MAX })],
    ['i128', i128, fc.bigInt({ min: I128_MIN, max: I128_MAX })],
    ['bool', bool, fc.boolean()],
    ['fixedBytes(32)', fixedBytes(32), fixed(32)],
    ['bytes({ max: 100 })', bytes({ max: 100 }), byteArray(100)],
    ['utf8({ maxBytes: 64 }) over all of Unicode', utf8({ maxBytes: 64 }), text(64)],
    ['list(u16)', list(u16, { max: 20 }), fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 20 })],
    ['list(unit) (zero-size items)', list(unit, { max: 6 }), fc.array(fc.constant({}), { maxLength: 6 })],
    ['option(u32)', option(u32), fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined })],
    ['union', payment, paymentArb],
    ['nested struct/list/union/option', envelope, envelopeArb],
  ] as [string, Codec<unknown>, fc.Arbitrary<unknown>][])('decodes what it encodes for %s', (_name, c, arb) => {
    fc.assert(fc.property(arb, (v) => roundTrips(c, v)), { numRuns: 200 });
  });

  it.each([
    ['u8', u8, [0, 0xff]], ['u16', u16, [0, 0xffff]], ['u32', u32, [0, 0xffffffff]],
    ['u64', u64, [0n, 1n, U64_MAX]], ['u128', u128, [0n, 1n, U64_MAX, U64_MAX + 1n, U128_MAX]],
    ['i128', i128, [I128_MIN, I128_MIN + 1n, -1n, 0n, 1n, I128_MAX]],
  ] as [string, Codec<unknown>, unknown[]][])('decodes what it encodes at the bounds of %s', (_name, c, values) => {
    for (const v of values) roundTrips(c, v);
  });

  it.each(['', 'héllo', '日本語', '💸 → 🏦', '\uFEFF starts with a BOM', 'nul\u0000inside', '\uFFFD'])(
    'decodes what it encodes for the string %j', (s) => roundTrips(utf8({ maxBytes: 64 }), s));
});

describe('encoding', () => {
  it.each([
    ['u16 0x0102', encode(u16, 0x0102), '0102'],
    ['u32 0x01020304', encode(u32, 0x01020304), '01020304'],
    ['u64 2^56 + 2', encode(u64, (1n << 56n) + 2n), '0100000000000002'],
    ['u128 1', encode(u128, 1n), '00000000000000000000000000000001'],
    ['u128 2^64', encode(u128, 1n << 64n), '00000000000000010000000000000000'],
    ['u128 max', encode(u128, U128_MAX), 'ff'.repeat(16)],
    ['i128 -1', encode(i128, -1n), 'ff'.repeat(16)],
    ['i128 min', encode(i128, I128_MIN), '80' + '00'.repeat(15)],
    ['i128 max', encode(i128, I128_MAX), '7f' + 'ff'.repeat(15)],
    ['bool true', encode(bool, true), '01'],
    ['bytes [aa bb]', encode(bytes({ max: 4 }), Uint8Array.of(0xaa, 0xbb)), '00000002aabb'],
    ['utf8 "é" (length in bytes)', encode(utf8({ maxBytes: 4 }), 'é'), '00000002c3a9'],
    ['list [1, 2] of u16', encode(list(u16, { max: 4 }), [1, 2]), '0000000200010002'],
    ['option none', encode(option(u8), undefined), '00'],
    ['option some 7', encode(option(u8), 7), '0107'],
    ['union cancel', encode(payment, { kind: 'cancel', requestId: new Uint8Array(16) }), '02' + '00'.repeat(16)],
    ['struct fields in declaration order', encode(struct({ b: u8, a: u16 }), { a: 1, b: 2 }), '020001'],
  ])('writes %s big-endian with u32 length prefixes', (_name, got, expected) => {
    expect(hex(got)).toBe(expected);
  });

  it.each([
    ['u8 256', () => encode(u8, 256)], ['u8 -1', () => encode(u8, -1)], ['u8 1.5', () => encode(u8, 1.5)],
    ['u16 65536', () => encode(u16, 65536)], ['u32 2^32', () => encode(u32, 2 ** 32)], ['u32 NaN', () => encode(u32, NaN)],
    ['u64 -1n', () => encode(u64, -1n)], ['u64 2^64', () => encode(u64, 1n << 64n)],
    ['u64 given a number', () => encode(u64, 5 as unknown as bigint)],
    ['u128 -1n', () => encode(u128, -1n)], ['u128 2^128', () => encode(u128, 1n << 128n)],
    ['i128 2^127', () => encode(i128, 1n << 127n)], ['i128 -2^127 - 1', () => encode(i128, I128_MIN - 1n)],
    ['fixedBytes(32) given 31 bytes', () => encode(fixedBytes(32), new Uint8Array(31))],
    ['bytes over max', () => encode(bytes({ max: 2 }), new Uint8Array(3))],
    ['utf8 over max bytes (2 chars, 4 bytes)', () => encode(utf8({ maxBytes: 3 }), 'éé')],
    ['utf8 with a lone high surrogate', () => encode(utf8({ maxBytes: 10 }), 'a\uD800b')],
    ['utf8 with a lone low surrogate', () => encode(utf8({ maxBytes: 10 }), '\uDC00')],
    ['list over max', () => encode(list(u8, { max: 1 }), [1, 2])],
    ['refine check failing', () => encode(refine(u8, (v) => (v > 5 ? 'too big' : undefined)), 6)],
  ])('throws RangeError when encoding %s', (_name, f) => {
    expect(f).toThrow(RangeError);
  });

  it.each([
    ['bool given 1', () => encode(bool, 1 as unknown as boolean)],
    ['bytes given an array', () => encode(bytes({ max: 4 }), [1] as unknown as Uint8Array)],
    ['utf8 given a number', () => encode(utf8({ maxBytes: 4 }), 1 as unknown as string)],
    ['list given a Set', () => encode(list(u8, { max: 4 }), new Set([1]) as unknown as number[])],
    ['union with an unknown kind', () => encode(payment, { kind: 'refund' } as never)],
    ['union with kind "toString"', () => encode(payment, { kind: 'toString' } as never)],
    ['union with kind "__proto__"', () => encode(payment, { kind: '__proto__' } as never)],
  ])('throws TypeError when encoding %s', (_name, f) => {
    expect(f).toThrow(TypeError);
  });

  it('names the struct field whose value is out of range', () => {
    const c = struct({ ok: u8, amount: u128 });
    expect(() => encode(c, { ok: 1, amount: -5n })).toThrow(/^amount: u128 out of range: -5$/);
    expect(() => encode(c, { ok: 1 } as never)).toThrow(/^amount: /);
  });
});

describe('map', () => {
  type Amount = bigint & { readonly __brand: 'Amount' };
  const amount = map(u128, (v) => v as Amount, (a: Amount) => a);
  const hexString = map(fixedBytes(2), (b) => hex(b), (s: string) => Uint8Array.from(Buffer.from(s, 'hex')));

  it('encodes through `from` and decodes through `to`', () => {
    expect(encode(amount, 7n as Amount)).toEqual(encode(u128, 7n));
    expect(decodeExact(hexString, Uint8Array.of(0xab, 0xcd))).toEqual({ ok: true, value: 'abcd' });
    expect(encode(hexString, '0102')).toEqual(Uint8Array.of(1, 2));
  });

  it('keeps the inner codec\'s checks on both sides', () => {
    expect(() => encode(hexString, '01')).toThrow(RangeError);
    const r = decodeExact(hexString, Uint8Array.of(1));
    expect(r.ok ? 'ok' : r.error.code).toBe('truncated');
  });
});
