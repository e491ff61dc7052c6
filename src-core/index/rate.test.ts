import { describe, expect, it } from 'vitest';
import { addRates, calcFee, maxPayable } from './rate.ts';

describe('Rate', () => {
  it('computes floor(x*mul/2^32) + add exactly for u128 amounts', () => {
    expect(calcFee({ mul: 0, add: 0 }, 100n)).toBe(0n);
    expect(calcFee({ mul: 2 ** 31, add: 1 }, 7n)).toBe(4n); // 3.5 floors to 3, plus 1
    const big = (1n << 127n) + 12345n;
    expect(calcFee({ mul: 1, add: 0 }, big)).toBe(big >> 32n);
  });

  it('maxPayable is the largest amount whose amount + fee fits the capacity', () => {
    const rates = [{ mul: 0, add: 0 }, { mul: 2 ** 30, add: 3 }, { mul: 0xffffffff, add: 0 }, { mul: 12345, add: 1000 }];
    for (const r of rates) {
      for (const c of [0n, 1n, 2n, 10n, 999n, 1000n, 1001n, 123456789n]) {
        const x = maxPayable(r, c);
        if (x > 0n) expect(x + calcFee(r, x)).toBeLessThanOrEqual(c);
        // one more would not fit the real-valued bound the original uses
        expect((x + 1n) * ((1n << 32n) + BigInt(r.mul)) > (c - BigInt(r.add)) * (1n << 32n) || c < BigInt(r.add)).toBe(true);
      }
    }
    expect(maxPayable({ mul: 0, add: 0 }, 10n)).toBe(10n);
    expect(maxPayable({ mul: 0, add: 5 }, 4n)).toBe(0n);
  });

  it('adds rates entry-wise and drops a u32 overflow', () => {
    expect(addRates({ mul: 1, add: 2 }, { mul: 3, add: 4 })).toEqual({ mul: 4, add: 6 });
    expect(addRates({ mul: 0xffffffff, add: 0 }, { mul: 1, add: 0 })).toBeUndefined();
    expect(addRates({ mul: 0, add: 0xffffffff }, { mul: 0, add: 1 })).toBeUndefined();
  });
});
