import { describe, expect, it } from 'vitest';
import { formatAmount } from './format-amount.ts';

describe('formatAmount', () => {
  it.each<[string, bigint, number, string]>([
    ['whole units with no decimals', 1234n, 0, '1234'],
    ['cents', 1234n, 2, '12.34'],
    ['less than one unit', 5n, 2, '0.05'],
    ['zero', 0n, 3, '0.000'],
    ['a negative balance', -5n, 2, '-0.05'],
    ['the largest u128', (1n << 128n) - 1n, 18, '340282366920938463463.374607431768211455'],
    ['the smallest i128', -(1n << 127n), 0, '-170141183460469231731687303715884105728'],
  ])('shows %s exactly', (_label, value, decimals, text) => {
    expect(formatAmount(value, decimals)).toBe(text);
  });

  it('groups the whole part when asked', () => {
    expect(formatAmount(123456789n, 2, { group: ',' })).toBe('1,234,567.89');
    expect(formatAmount(-100000n, 0, { group: ' ' })).toBe('-100 000');
    expect(formatAmount(999n, 0, { group: ',' })).toBe('999');
  });

  it('drops trailing zeros when asked', () => {
    expect(formatAmount(1250n, 2, { trimZeros: true })).toBe('12.5');
    expect(formatAmount(1200n, 2, { trimZeros: true })).toBe('12');
  });

  it('refuses a nonsensical number of decimals', () => {
    expect(() => formatAmount(1n, -1)).toThrow(RangeError);
    expect(() => formatAmount(1n, 1.5)).toThrow(RangeError);
  });
});

describe('money on screen', () => {
  it('shows every currency in whole units for now, grouped, with its name', async () => {
    const { currencyDecimals, formatMoney } = await import('./format-amount.ts');
    expect(currencyDecimals('FST')).toBe(0);
    expect(formatMoney(1234567n, 'FST')).toBe('1,234,567 FST');
    expect(formatMoney(-60n, 'EUR')).toBe('-60 EUR');
  });
});
