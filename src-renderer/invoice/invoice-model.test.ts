import { describe, expect, it } from 'vitest';
import type { FriendReport, NodeReport } from '../../src-core/app/index.ts';
import type { Commit } from '../../src-core/proto/index.ts';
import { advance, applyInvoiceEvent, cardCurrencies, checkCommit, invoiceFromInput, invoiceRecord, reconcile } from './invoice-model.ts';

const me = new Uint8Array(32).fill(1);
const friend = (name: string, currencies: readonly string[]): FriendReport => ({
  publicKey: new Uint8Array(32).fill(name.charCodeAt(0)), name, relays: [], enabled: true, online: true,
  channel: { kind: 'consistent' } as FriendReport['channel'],
  currencies: currencies.map((currency) => ({
    currency, balance: 0n, localMaxDebt: 0n, remoteMaxDebt: 0n, localPendingDebt: 0n, remotePendingDebt: 0n,
    rate: { mul: 0, add: 0 }, localRequestsOpen: true, remoteRequestsOpen: true,
  })),
});
const report = (friends: readonly FriendReport[], openInvoices: NodeReport['openInvoices'] = []): NodeReport => ({
  localPublicKey: me, relays: [], indexServers: [], connectedIndexServer: undefined, friends, openInvoices, openPayments: [],
});
const id = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const withFst = report([friend('Bob', ['FST', 'EUR']), friend('Carol', ['FST'])]);

describe('making an invoice', () => {
  it('offers the currencies the card has with any friend, once each, sorted', () => {
    expect(cardCurrencies(withFst)).toEqual(['EUR', 'FST']);
    expect(cardCurrencies(report([]))).toEqual([]);
  });

  it('takes an exact whole amount, the currency and a trimmed description', () => {
    expect(invoiceFromInput({ amount: ' 60 ', currency: 'FST', description: ' tea ' }, withFst, id(5))).toEqual({
      ok: true, value: { invoiceId: id(5), currency: 'FST', destPublicKey: me, totalDestPayment: 60n, description: 'tea' },
    });
    const r = invoiceFromInput({ amount: '60', currency: 'FST', description: '' }, withFst, id(5));
    expect(r.ok && !('description' in r.value)).toBe(true);
  });

  it.each([
    ['60.5', 'FST', /no decimals/],
    ['', 'FST', /Enter an amount/],
    ['0', 'FST', /more than 0/],
    ['1e3', 'FST', /as digits/],
    ['5', 'USD', /Choose one of this card's currencies: EUR, FST/],
  ])('refuses %j %s with a sentence', (amount, currency, pattern) => {
    expect(invoiceFromInput({ amount, currency, description: '' }, withFst, id(5))).toMatchObject({ ok: false, error: expect.stringMatching(pattern) });
  });

  it('needs a friend first', () => {
    expect(invoiceFromInput({ amount: '1', currency: 'FST', description: '' }, report([]), id(5))).toMatchObject({ ok: false, error: expect.stringMatching(/add a friend first/) });
  });

  it('refuses a description over 512 bytes', () => {
    expect(invoiceFromInput({ amount: '1', currency: 'FST', description: 'é'.repeat(257) }, withFst, id(5)).ok).toBe(false);
  });
});

describe('invoice states', () => {
  const rec = invoiceRecord({ invoiceId: id(7), currency: 'FST', destPublicKey: me, totalDestPayment: 60n });

  it('follows the node events forward: part arrived, complete, collected', () => {
    const part = applyInvoiceEvent(rec, { kind: 'request-arrived', destPayment: 20n, paid: 20n });
    expect(part).toMatchObject({ state: 'open', paid: 20n });
    const full = applyInvoiceEvent(part, { kind: 'request-arrived', destPayment: 40n, paid: 60n });
    expect(full).toMatchObject({ state: 'paid', paid: 60n });
    expect(applyInvoiceEvent(full, { kind: 'complete' }).state).toBe('paid');
    const collected = applyInvoiceEvent(advance(full, 'committed'), { kind: 'collected' });
    expect(collected.state).toBe('collected');
    // never backwards, never out of an end state
    expect(applyInvoiceEvent(collected, { kind: 'canceled' })).toBe(collected);
    expect(advance(advance(full, 'committed'), 'open')).toMatchObject({ state: 'committed' });
    expect(applyInvoiceEvent(rec, { kind: 'canceled' }).state).toBe('cancelled');
  });

  it('rebuilds unknown open invoices from the report and closes vanished ones on a fresh session', () => {
    const open = [{ invoiceId: id(8), currency: 'EUR', totalDestPayment: 9n, paidDestPayment: 9n }];
    const list = reconcile([rec], report([], open), false);
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ rebuilt: true, state: 'paid', paid: 9n, invoice: { currency: 'EUR', totalDestPayment: 9n } });
    expect(list[1]).toBe(rec); // not in the report, but this session may just not have said so yet
    expect(reconcile(list, report([], open), false)).toBe(list);
    expect(reconcile(list, report([], open), true)[1]).toMatchObject({ state: 'closed' });
  });
});

describe('a commit for an invoice', () => {
  const invoice = { invoiceId: id(7), currency: 'FST', destPublicKey: me, totalDestPayment: 60n };
  const commit: Commit = {
    responseHash: id(1), srcPlainLock: id(2), destHashedLock: id(3), destPayment: 60n, totalDestPayment: 60n,
    invoiceId: id(7), currency: 'FST', signature: new Uint8Array(64),
  };
  it('belongs to it when it names it, in its currency, for its total', () => {
    expect(checkCommit(commit, invoice)).toEqual({ ok: true, value: commit });
    expect(checkCommit({ ...commit, invoiceId: id(8) }, invoice)).toMatchObject({ ok: false, error: expect.stringMatching(/another invoice/) });
    expect(checkCommit({ ...commit, totalDestPayment: 61n, destPayment: 61n }, invoice)).toMatchObject({ ok: false, error: 'This commit pays 61 FST, but the invoice asks for 60 FST.' });
  });
});

describe('invoice expiry', () => {
  it('sets expiresAt from a duration or a later time, and refuses a past or unreadable time', () => {
    const input = { amount: '5', currency: 'FST', description: '' };
    expect(invoiceFromInput({ ...input, expiresInSeconds: 900 }, withFst, id(5), 1000)).toMatchObject({ ok: true, value: { expiresAt: 1900 } });
    const never = invoiceFromInput({ ...input, expiresInSeconds: 0 }, withFst, id(5), 1000);
    expect(never.ok && !('expiresAt' in never.value)).toBe(true);
    expect(invoiceFromInput({ ...input, expiresAtSeconds: 1001 }, withFst, id(5), 1000)).toMatchObject({ ok: true, value: { expiresAt: 1001 } });
    expect(invoiceFromInput({ ...input, expiresAtSeconds: 1000 }, withFst, id(5), 1000)).toMatchObject({ ok: false, error: expect.stringMatching(/has passed/) });
    expect(invoiceFromInput({ ...input, expiresAtSeconds: -1 }, withFst, id(5), 1000)).toMatchObject({ ok: false });
    expect(invoiceFromInput({ ...input, expiresAtSeconds: Number.NaN }, withFst, id(5), 1000)).toMatchObject({ ok: false, error: expect.stringMatching(/cannot be read/) });
  });
});
