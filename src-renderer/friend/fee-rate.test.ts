import { describe, expect, it } from 'vitest';
import { parseAmount } from '../parse-amount.ts';
import { feeFor, formatRate, parseFeeRate, rateInWords, rateView } from './fee-rate.ts';

const TWO_32 = 1n << 32n;

describe('parseFeeRate', () => {
  it.each([
    ['1', '0', { mul: 42949673, add: 0 }],
    ['1.5', '2', { mul: 64424510, add: 2 }],
    ['', '', { mul: 0, add: 0 }],
    ['0', '7', { mul: 0, add: 7 }],
    ['99.9999', '', { mul: 4294963002, add: 0 }],
    [' 2.5 % ', ' 3 ', { mul: 107374183, add: 3 }],
    ['0.0001', '4294967295', { mul: 4295, add: 4294967295 }],
  ])('reads %s%% + %s as %o', (p, a, rate) => {
    expect(parseFeeRate(p, a, 0)).toEqual({ ok: true, value: rate });
  });

  it.each([
    ['-1', '0', 'cannot be negative'],
    ['1.00001', '0', 'too many decimals'],
    ['100', '0', 'below 100'],
    ['1e2', '0', 'The percentage'],
    ['1', '-2', 'fixed fee cannot be negative'],
    ['1', '1.5', 'whole number'],
    ['1', '4294967296', 'at most 4294967295'],
  ])('refuses %s%% + %s', (p, a, message) => {
    const r = parseFeeRate(p, a, 0);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });

  it('never charges less than the percentage of the amount, rounded down', () => {
    for (const p of ['0.0001', '0.3333', '1', '1.5', '12.3456', '50', '99.9999']) {
      const r = parseFeeRate(p, '0', 0);
      if (!r.ok) throw new Error(r.error);
      const u = parseAmount(p, 4);
      if (!u.ok) throw new Error(p);
      const units = u.value; // ten-thousandths of a percent
      for (const amount of [1n, 99n, 100n, 200n, 1000n, 123456789n, 10n ** 9n]) {
        expect(feeFor(r.value, amount)).toBe((amount * units) / 1_000_000n);
      }
    }
  });
});

describe('rateView', () => {
  it('reads back every percentage the wallet sets', () => {
    for (const p of ['0', '0.0001', '0.25', '1', '1.5', '33.3333', '99.9999']) {
      const r = parseFeeRate(p, '0', 0);
      if (!r.ok) throw new Error(r.error);
      expect(rateView(r.value)).toEqual({ percent: p, exact: true, add: 0n });
    }
  });

  it('marks a multiplier the wallet would not set as approximate', () => {
    expect(rateView({ mul: Number(TWO_32 / 100n), add: 1 })).toEqual({ percent: '0.9999', exact: false, add: 1n });
    expect(rateView({ mul: 1, add: 0 })).toEqual({ percent: '0', exact: false, add: 0n });
  });
});

describe('formatRate and rateInWords', () => {
  it('says the rate as x% + y', () => {
    expect(formatRate({ mul: 64424510, add: 2 }, 'FST', 0)).toBe('1.5% + 2 FST');
    expect(formatRate({ mul: 0, add: 0 }, 'FST', 0)).toBe('no fee');
    expect(formatRate({ mul: 0, add: 3 }, 'FST', 0)).toBe('3 FST');
    expect(formatRate({ mul: 42949673, add: 0 }, 'FST', 0)).toBe('1%');
  });

  it('gives a worked example with the exact fee', () => {
    expect(rateInWords({ mul: 64424510, add: 2 }, 'Bob', 'FST', 0, 1000n))
      .toBe('Each payment of Bob forwarded through this card in FST pays it 1.5% + 2 FST (the percentage rounded down): forwarding 1,000 FST earns 17 FST.');
    expect(rateInWords({ mul: 0, add: 0 }, 'Bob', 'FST', 0, 1000n)).toBe('Payments of Bob forwarded through this card in FST pay no fee.');
  });
});
