import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount } from './format-amount.ts';
import { describeAmountError, parseAmount } from './parse-amount.ts';

describe('parseAmount', () => {
  it.each<[string, string, number, bigint]>([
    ['a whole number', '12', 2, 1200n],
    ['a full fraction', '12.34', 2, 1234n],
    ['a short fraction', '12.5', 2, 1250n],
    ['a trailing point', '12.', 2, 1200n],
    ['a leading point', '.5', 2, 50n],
    ['leading zeros', '007.10', 2, 710n],
    ['surrounding spaces', '  3.01 ', 2, 301n],
    ['no decimals', '60', 0, 60n],
    ['the largest u128', '340282366920938463463374607431768211455', 0, (1n << 128n) - 1n],
  ])('reads %s exactly', (_label, text, decimals, value) => {
    expect(parseAmount(text, decimals)).toEqual({ ok: true, value });
  });

  it.each<[string, string, number, string]>([
    ['nothing', '   ', 2, 'empty'],
    ['a minus sign', '-1', 2, 'sign'],
    ['a plus sign', '+1', 2, 'sign'],
    ['a unicode minus', '\u22121', 2, 'sign'],
    ['three decimals for a two-decimal currency', '1.005', 2, 'too-many-decimals'],
    ['a zero past the allowed decimals', '1.000', 2, 'too-many-decimals'],
    ['any decimals for a whole currency', '60.0', 0, 'too-many-decimals'],
    ['an exponent', '1e3', 2, 'not-a-number'],
    ['a comma separator', '1,000', 2, 'not-a-number'],
    ['a decimal comma', '1,5', 2, 'not-a-number'],
    ['two points', '1.2.3', 2, 'not-a-number'],
    ['a lone point', '.', 2, 'not-a-number'],
    ['letters', '12abc', 2, 'not-a-number'],
    ['hex', '0x10', 2, 'not-a-number'],
    ['Infinity', 'Infinity', 2, 'not-a-number'],
    ['inner spaces', '1 000', 2, 'not-a-number'],
    ['full-width digits', '\uff11\uff12', 2, 'not-a-number'],
    ['more than u128', '340282366920938463463374607431768211456', 0, 'too-large'],
    ['an absurdly long string', '9'.repeat(500), 0, 'too-large'],
  ])('rejects %s', (_label, text, decimals, kind) => {
    const r = parseAmount(text, decimals);
    expect(r.ok ? 'accepted' : r.error.kind).toBe(kind);
    if (!r.ok) expect(describeAmountError(r.error)).toMatch(/\.$/);
  });

  it('reads back every formatted amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 18 }), (value, decimals) => {
        expect(parseAmount(formatAmount(value, decimals), decimals)).toEqual({ ok: true, value });
      }),
    );
  });
});
