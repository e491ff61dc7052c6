import { describe, expect, it } from 'vitest';
import type { MultiRoute } from '../../src-core/app/index.ts';
import type { Invoice } from '../../src-core/proto/index.ts';
import { describeEarlierPayment, describeRate, earlierPaymentOf, quoteFrom } from './pay-model.ts';

const k = (n: number): Uint8Array => new Uint8Array(32).fill(n);

describe('the fee quote', () => {
  it('describes a rate as a percentage and a flat part, exactly', () => {
    expect(describeRate({ mul: 0, add: 0 })).toBe('free');
    expect(describeRate({ mul: 0, add: 2 })).toBe('2');
    expect(describeRate({ mul: 2 ** 31, add: 0 })).toBe('50%');
    expect(describeRate({ mul: 42_949_673, add: 1 })).toBe('1% + 1'); // 0.01 × 2^32, rounded
    expect(describeRate({ mul: 1, add: 0 })).toBe('<0.000001%');
  });

  it('keeps each route share, fee and rate when the payment is split', () => {
    const routes: MultiRoute[] = [{
      routes: [
        { route: [k(1), k(2), k(9)], capacity: 40n, rate: { mul: 0, add: 1 } },
        { route: [k(1), k(3), k(9)], capacity: 40n, rate: { mul: 0, add: 2 } },
      ],
    }];
    const q = quoteFrom(routes, 60n);
    expect(q?.amount).toBe(60n);
    expect(q?.routes.map((r) => [r.share, r.fees, r.rate.add])).toEqual([[30n, 2n, 2], [30n, 1n, 1]]);
    expect(q?.totalFees).toBe(3n);
    expect(quoteFrom(routes, 100n)).toBeUndefined();
  });
});

describe('earlierPaymentOf', () => {
  const invoice = (id: number, seller: number): Invoice => ({
    invoiceId: new Uint8Array(32).fill(id), currency: 'FST', destPublicKey: new Uint8Array(32).fill(seller), totalDestPayment: 5n,
  });
  it('finds a payment of the same invoice to the same seller that paid or may pay it; a cancelled one does not count', () => {
    const records = [
      { invoice: invoice(1, 7), state: { kind: 'canceled' } },
      { invoice: invoice(2, 7), state: { kind: 'committed' } },
      { invoice: invoice(3, 8), state: { kind: 'paid' } },
    ];
    expect(earlierPaymentOf(records, invoice(1, 7))).toBeUndefined();
    expect(earlierPaymentOf(records, invoice(2, 7))?.state.kind).toBe('committed');
    expect(earlierPaymentOf(records, invoice(3, 8))?.state.kind).toBe('paid');
    expect(earlierPaymentOf(records, invoice(3, 7))).toBeUndefined(); // same id, another seller
    expect(describeEarlierPayment('paid')).toMatch(/already paid/);
    expect(describeEarlierPayment('paying')).toMatch(/under way/);
  });
});
