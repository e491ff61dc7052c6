import { describe, expect, it } from 'vitest';
import { U128_MAX } from './amounts.ts';
import { calcFee, maxPayable } from './rate.ts';

describe('rate (reference/funder.md §3.2)', () => {
  it('computes floor(x·mul / 2^32) + add', () => {
    expect(calcFee({ mul: 0, add: 5 }, 100n)).toBe(5n);
    expect(calcFee({ mul: 2 ** 31, add: 1 }, 7n)).toBe(4n); // 3.5 floored + 1
    expect(calcFee({ mul: 2 ** 32 - 1, add: 0 }, 1n)).toBe(0n);
  });

  it('stays within u128 for every u128 payment (mul < 2^32), and refuses inputs beyond it', () => {
    expect(calcFee({ mul: 0, add: 1 }, U128_MAX)).toBe(1n);
    expect(calcFee({ mul: 2 ** 32 - 1, add: 2 ** 32 - 1 }, U128_MAX)! <= U128_MAX).toBe(true);
    expect(calcFee({ mul: 2 ** 32 - 1, add: 2 ** 32 - 1 }, U128_MAX * 4n)).toBeUndefined();
  });

  it('max payable is the largest x with x + fee(x) within the capacity', () => {
    expect(maxPayable({ mul: 0, add: 0 }, 10n)).toBe(10n);
    expect(maxPayable({ mul: 0, add: 3 }, 2n)).toBe(0n);
    for (const r of [{ mul: 2 ** 30, add: 1 }, { mul: 123456789, add: 7 }]) {
      for (const c of [10n, 1000n, 123457n]) {
        const x = maxPayable(r, c);
        expect(x + (calcFee(r, x) ?? 0n)).toBeLessThanOrEqual(c);
      }
    }
  });
});
