import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitPayment } from './multi-route.ts';
import { maxPayable } from './rate.ts';

describe('splitPayment', () => {
  const three = [
    { capacity: 100n, rate: { mul: 2 ** 28, add: 1 } },
    { capacity: 200n, rate: { mul: 2 ** 29, add: 2 } },
    { capacity: 300n, rate: { mul: 0, add: 3 } },
  ];

  it('refuses an amount the routes cannot carry (601 over caps 100/200/300)', () => {
    expect(splitPayment(three, 601n)).toBeUndefined();
    const total = three.reduce((s, r) => s + maxPayable(r.rate, r.capacity), 0n);
    expect(splitPayment(three, total + 1n)).toBeUndefined();
    expect(splitPayment(three, total)).toBeDefined();
  });

  it('splits 300 over three routes, each part within its payable amount, total exact', () => {
    const parts = splitPayment(three, 300n);
    expect(parts).toBeDefined();
    expect(parts?.reduce((s, p) => s + p.amount, 0n)).toBe(300n);
    for (const p of parts ?? []) {
      const r = three[p.index];
      expect(r).toBeDefined();
      if (r) expect(p.amount).toBeLessThanOrEqual(maxPayable(r.rate, r.capacity));
    }
    expect(parts?.length).toBe(3);
  });

  it('lets a single route of capacity 10 and rate 0 carry exactly 10', () => {
    expect(splitPayment([{ capacity: 10n, rate: { mul: 0, add: 0 } }], 10n)).toEqual([{ index: 0, amount: 10n, fees: 0n }]);
    expect(splitPayment([{ capacity: 10n, rate: { mul: 0, add: 0 } }], 11n)).toBeUndefined();
  });

  it('always sums exactly and respects every route whenever the routes suffice', () => {
    const route = fc.record({
      capacity: fc.bigInt({ min: 0n, max: 1n << 70n }),
      rate: fc.record({ mul: fc.integer({ min: 0, max: 0xffffffff }), add: fc.integer({ min: 0, max: 1000 }) }),
    });
    fc.assert(fc.property(fc.array(route, { minLength: 1, maxLength: 8 }), fc.bigInt({ min: 1n, max: 1n << 71n }), (routes, amount) => {
      const total = routes.reduce((s, r) => s + maxPayable(r.rate, r.capacity), 0n);
      const parts = splitPayment(routes, amount);
      if (total < amount) return parts === undefined;
      if (parts === undefined) return false;
      const sum = parts.reduce((s, p) => s + p.amount, 0n);
      return sum === amount && parts.every((p) => {
        const r = routes[p.index];
        return r !== undefined && p.amount > 0n && p.amount <= maxPayable(r.rate, r.capacity);
      });
    }), { numRuns: 500 });
  });
});
