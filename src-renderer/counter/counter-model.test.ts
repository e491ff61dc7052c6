import { describe, expect, it } from 'vitest';
import { nobleBackend } from '../../src-core/crypto/index.ts';
import { parseCommit, parseInvoice, parseQrPayload } from '../../src-core/files/index.ts';
import type { Commit } from '../../src-core/proto/index.ts';
import { advance, invoiceRecord } from '../invoice/invoice-model.ts';
import { counterKey, counterStatus, saleReceipt } from './counter-model.ts';

const k = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const invoice = { invoiceId: k(7), currency: 'FST', destPublicKey: k(1), totalDestPayment: 60n, description: 'tea' };
const commit: Commit = {
  responseHash: k(1), srcPlainLock: k(2), destHashedLock: k(3), destPayment: 60n, totalDestPayment: 60n,
  invoiceId: k(7), currency: 'FST', signature: new Uint8Array(64).fill(9),
};

describe('counter mode keys', () => {
  it('leaves with Escape from any stage, and starts the next customer with Enter or N only once paid', () => {
    expect(counterKey('Escape', 'amount')).toBe('leave');
    expect(counterKey('Escape', 'invoice')).toBe('leave');
    expect(counterKey('Enter', 'paid')).toBe('next');
    expect(counterKey('n', 'paid')).toBe('next');
    expect(counterKey('N', 'paid')).toBe('next');
    expect(counterKey('Enter', 'amount')).toBe('none'); // the amount form's own submit
    expect(counterKey('n', 'invoice')).toBe('none');
    expect(counterKey('x', 'paid')).toBe('none');
  });
});

describe('counter mode status', () => {
  it('scans for the commit only once the payment is complete', () => {
    const rec = invoiceRecord(invoice);
    expect(counterStatus(undefined).scan).toBe(false);
    expect(counterStatus(rec)).toMatchObject({ scan: false, text: /Waiting/ });
    expect(counterStatus(advance(rec, 'open', 20n)).text).toMatch(/Part of the payment/);
    expect(counterStatus(advance(rec, 'paid', 60n))).toMatchObject({ scan: true });
    expect(counterStatus(advance(rec, 'collected')).text).toBe('Paid');
    expect(counterStatus(advance(rec, 'cancelled')).scan).toBe(false);
  });
});

describe("the seller's receipt", () => {
  it('is the invoice and the commit, as files and the commit as QR text, each reading back', () => {
    const r = saleReceipt(invoice, commit);
    expect(r.invoiceFileName).toMatch(/^sale-BwcHBwcH\.invoice$/);
    expect(r.commitFileName).toBe('sale-BwcHBwcH.commit');
    expect(parseInvoice(r.invoiceText)).toEqual({ ok: true, value: invoice });
    expect(parseCommit(r.commitText)).toEqual({ ok: true, value: commit });
    expect(parseQrPayload(r.commitQr, nobleBackend)).toEqual({ ok: true, value: { kind: 'commit', commit } });
  });
});
