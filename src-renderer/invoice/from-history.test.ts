import { describe, expect, it } from 'vitest';
import { type HistoryEntry, commit as commitCodec, receipt as receiptCodec } from '../../src-core/app/index.ts';
import { encode, toBase64Url } from '../../src-core/codec/index.ts';
import { commitsFromHistory, invoicesFromHistory, paymentsFromHistory } from './from-history.ts';
import { invoiceRecord } from './invoice-model.ts';

const me = new Uint8Array(32).fill(1);
const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const row = (r: Partial<HistoryEntry>): HistoryEntry => ({
  id: '', kind: 'invoice', time: 1, currency: 'FST', amount: 0n, counterpart: undefined, state: 'open', data: new Uint8Array(0), via: [], ...r,
});

describe('lists rebuilt from the node history', () => {
  it('adds ended invoices it does not have, once, and leaves open ones to the report', () => {
    const known = invoiceRecord({ invoiceId: new Uint8Array(32).fill(7), currency: 'FST', destPublicKey: me, totalDestPayment: 9n });
    const rows = [
      row({ id: `invoice:${hex(new Uint8Array(32).fill(8))}`, state: 'collected', amount: 60n }),
      row({ id: `invoice:${hex(new Uint8Array(32).fill(8))}`, state: 'collected', amount: 60n }),
      row({ id: `invoice:${hex(new Uint8Array(32).fill(9))}`, state: 'canceled', amount: 5n }),
      row({ id: `invoice:${hex(new Uint8Array(32).fill(7))}`, state: 'collected', amount: 9n }),
      row({ id: `invoice:${hex(new Uint8Array(32).fill(10))}`, state: 'open', amount: 5n }),
      row({ id: 'invoice:not-hex', state: 'collected', amount: 5n }),
      row({ id: `invoice:${hex(new Uint8Array(32).fill(11))}`, kind: 'received', state: 'collected', amount: 5n }),
    ];
    const list = invoicesFromHistory([known], rows, me);
    expect(list.map((r) => [r.invoice.invoiceId[0], r.state, r.paid, r.rebuilt])).toEqual([[7, 'open', 0n, false], [8, 'collected', 60n, true], [9, 'cancelled', 0n, true]]);
    expect(invoicesFromHistory(list, rows, me)).toBe(list);
  });

  it('settles an invoice that went away while the window was closed', () => {
    const gone = { ...invoiceRecord({ invoiceId: new Uint8Array(32).fill(7), currency: 'FST', destPublicKey: me, totalDestPayment: 9n }), state: 'closed' as const };
    const list = invoicesFromHistory([gone], [row({ id: `invoice:${hex(new Uint8Array(32).fill(7))}`, state: 'collected', amount: 9n })], me);
    expect(list).toMatchObject([{ state: 'collected', paid: 9n, rebuilt: false }]);
  });

  it('reads finished payments with their receipts; skips open ones and damaged rows', () => {
    const receipt = {
      responseHash: new Uint8Array(32), invoiceId: new Uint8Array(32).fill(4), currency: 'FST', srcPlainLock: new Uint8Array(32),
      destPlainLock: new Uint8Array(32), isComplete: true, destPayment: 60n, totalDestPayment: 60n, signature: new Uint8Array(64),
    };
    const dest = toBase64Url(new Uint8Array(32).fill(2));
    const pid = (n: number): string => `payment:${hex(new Uint8Array(16).fill(n))}`;
    const rows = [
      row({ id: pid(1), kind: 'payment', state: 'success', amount: -60n, counterpart: dest, data: encode(receiptCodec, receipt) }),
      row({ id: pid(2), kind: 'payment', state: 'canceled', amount: -5n, counterpart: dest }),
      row({ id: pid(3), kind: 'payment', state: 'in-progress', amount: -5n, counterpart: dest }),
      row({ id: pid(4), kind: 'payment', state: 'success', amount: -5n, counterpart: dest, data: new Uint8Array([1, 2]) }),
    ];
    const out = paymentsFromHistory(rows);
    expect(out.map((p) => [p.id, p.totalDestPayment, p.outcome.kind])).toEqual([
      [toBase64Url(new Uint8Array(16).fill(1)), 60n, 'success'], [toBase64Url(new Uint8Array(16).fill(2)), 5n, 'canceled'],
    ]);
    expect(out[0]).toMatchObject({ invoiceId: receipt.invoiceId, outcome: { receipt } });
  });

  it('gives back the commits kept for payments still waiting for their seller, skipping unreadable ones', () => {
    const commit = {
      responseHash: new Uint8Array(32).fill(1), srcPlainLock: new Uint8Array(32).fill(2), destHashedLock: new Uint8Array(32).fill(3),
      destPayment: 5n, totalDestPayment: 5n, invoiceId: new Uint8Array(32).fill(4), currency: 'FST', signature: new Uint8Array(64).fill(5),
    };
    const pid = (n: number): string => `payment:${hex(new Uint8Array(16).fill(n))}`;
    const kept = commitsFromHistory([
      row({ id: pid(1), kind: 'payment', state: 'committed', amount: -5n, data: encode(commitCodec, commit) }),
      row({ id: pid(2), kind: 'payment', state: 'committed', amount: -5n, data: new Uint8Array([1]) }),
      row({ id: pid(3), kind: 'payment', state: 'success', amount: -5n, data: encode(commitCodec, commit) }),
    ]);
    expect([...kept.keys()]).toEqual([toBase64Url(new Uint8Array(16).fill(1))]);
    expect(kept.get(toBase64Url(new Uint8Array(16).fill(1)))).toEqual(commit);
  });
});
