import { describe, expect, it } from 'vitest';
import { formatU128Decimal, parseU128Decimal } from './decimal.ts';

const MAX = (1n << 128n) - 1n;

describe('parseU128Decimal()', () => {
  it.each([
    ['0', 0n], ['60', 60n], ['340282366920938463463374607431768211455', MAX],
  ])('parses %s', (text, value) => {
    expect(parseU128Decimal(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['empty', ''], ['a sign', '-5'], ['a plus', '+5'], ['leading zero', '007'], ['exponent', '1e3'],
    ['fraction', '1.5'], ['spaces', ' 5'], ['hex', '0x10'], ['underscore', '1_000'], ['arabic digits', '٣'],
  ])('rejects %s', (_name, text) => {
    expect(parseU128Decimal(text)).toEqual({ ok: false, problem: 'not-decimal' });
  });

  it('rejects 2^128 and anything longer than 39 digits as out of range', () => {
    expect(parseU128Decimal((MAX + 1n).toString())).toEqual({ ok: false, problem: 'out-of-range' });
    expect(parseU128Decimal('9'.repeat(10_000))).toEqual({ ok: false, problem: 'out-of-range' });
  });
});

describe('formatU128Decimal()', () => {
  it('round-trips through the parser', () => {
    for (const v of [0n, 1n, 10n ** 20n, MAX]) expect(parseU128Decimal(formatU128Decimal(v))).toEqual({ ok: true, value: v });
  });

  it('throws RangeError outside u128', () => {
    expect(() => formatU128Decimal(-1n)).toThrow(RangeError);
    expect(() => formatU128Decimal(MAX + 1n)).toThrow(RangeError);
  });
});
