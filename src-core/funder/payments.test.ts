import { describe, expect, it } from 'vitest';
import { nodeBackend } from '../crypto/backend.node.ts';
import { type Commit, type Receipt, checkReceiptForInvoice, hashLock, verifyReceipt } from '../proto/index.ts';
import type { AppResult } from './events.ts';
import { sendCollect } from './mutual-credit.ts';
import { IMPLICIT_INVOICE_TTL_MS } from './state.ts';
import { type Envelope, type TestNode, TestNet, balanceOf, bytes, makeNode } from './testkit.ts';

const crypto = nodeBackend;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function nodes(n: number): { net: TestNet; ns: TestNode[] } {
  const net = new TestNet(crypto);
  return { net, ns: Array.from({ length: n }, (_, i) => net.add(makeNode(crypto, i))) };
}
const pk = (n: TestNode): Uint8Array => n.signer.publicKey;
function lastTx(results: readonly AppResult[], requestId: Uint8Array): AppResult | undefined {
  return [...results].reverse().find((r) => r.kind === 'transaction-result' && hex(r.requestId) === hex(requestId));
}
const commitOf = (r: AppResult | undefined): Commit | undefined =>
  r?.kind === 'transaction-result' && r.result.kind === 'complete' ? r.result.commit : undefined;
function statusOf(results: readonly AppResult[], paymentId: Uint8Array): AppResult | undefined {
  return [...results].reverse().find((r) => r.kind === 'payment-status' && hex(r.paymentId) === hex(paymentId));
}
const receiptOf = (r: AppResult | undefined): Receipt | undefined =>
  r?.kind === 'payment-status' && r.status.kind === 'success' ? r.status.receipt : undefined;

/** A diamond: A–B–D and A–C–D. */
function diamond(): { net: TestNet; a: TestNode; b: TestNode; c: TestNode; d: TestNode } {
  const { net, ns } = nodes(4);
  const [a, b, c, d] = ns as [TestNode, TestNode, TestNode, TestNode];
  net.befriend(a, b, ['FST'], 100n);
  net.befriend(a, c, ['FST'], 100n);
  net.befriend(b, d, ['FST'], 100n);
  net.befriend(c, d, ['FST'], 100n);
  return { net, a, b, c, d };
}

describe('multi-route payments', () => {
  it('pays one invoice over two routes; the receipt is the complete part', () => {
    const { net, a, b, c, d } = diamond();
    const invoiceId = bytes(32, 1);
    net.request(d, { kind: 'add-invoice', invoiceId, currency: 'FST', totalDestPayment: 10n });
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId, currency: 'FST', totalDestPayment: 10n, destPublicKey: pk(d) });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, b, d].map(pk), destPayment: 6n, fees: 0n });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 2), route: [a, c, d].map(pk), destPayment: 4n, fees: 0n });
    net.request(a, { kind: 'request-close-payment', paymentId: bytes(16, 1) });
    net.deliverAll();
    const results = [lastTx(a.results, bytes(16, 1)), lastTx(a.results, bytes(16, 2))];
    const commits = results.map(commitOf).filter((x) => x !== undefined);
    expect(commits).toHaveLength(1);
    expect(results.filter((r) => r?.kind === 'transaction-result' && r.result.kind === 'success')).toHaveLength(1);
    net.request(d, { kind: 'commit-invoice', commit: commits[0]! });
    net.deliverAll();
    const receipt = receiptOf(statusOf(a.results, bytes(16, 1)))!;
    expect(receipt.isComplete).toBe(true);
    expect(checkReceiptForInvoice(crypto, { invoiceId, currency: 'FST', destPublicKey: pk(d), totalDestPayment: 10n }, receipt)).toBeUndefined();
    expect([balanceOf(d, b, 'FST'), balanceOf(d, c, 'FST')]).toEqual([6n, 4n]);
    expect([balanceOf(a, b, 'FST'), balanceOf(a, c, 'FST')]).toEqual([-6n, -4n]);
  });
});

describe('payments the destination collects by itself (autoCollect)', () => {
  it('pays an invoice the seller node never registered and ends with a verifiable receipt', () => {
    const { net, a, b, c, d } = diamond();
    const invoiceId = bytes(32, 7); // e.g. from `stregister gen-invoice`: the node knows nothing of it
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId, currency: 'FST', totalDestPayment: 9n, destPublicKey: pk(d), autoCollect: true });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, b, d].map(pk), destPayment: 5n, fees: 0n });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 2), route: [a, c, d].map(pk), destPayment: 4n, fees: 0n });
    net.request(a, { kind: 'request-close-payment', paymentId: bytes(16, 1) });
    net.deliverAll();
    const receipt = receiptOf(statusOf(a.results, bytes(16, 1)))!;
    expect(receipt).toBeDefined();
    expect(verifyReceipt(crypto, receipt, pk(d))).toBe(true);
    expect(checkReceiptForInvoice(crypto, { invoiceId, currency: 'FST', destPublicKey: pk(d), totalDestPayment: 9n }, receipt)).toBeUndefined();
    expect([balanceOf(d, b, 'FST'), balanceOf(d, c, 'FST')]).toEqual([5n, 4n]);
    expect(d.state.openInvoices.size).toBe(0);
    expect(d.results.some((r) => r.kind === 'invoice-event' && r.event.kind === 'collected')).toBe(true);
  });

  it('cancels the parts of an incomplete payment when the implicit invoice expires', () => {
    const { net, ns } = nodes(2);
    const [a, d] = ns as [TestNode, TestNode];
    net.befriend(a, d);
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 9n, destPublicKey: pk(d), autoCollect: true });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, d].map(pk), destPayment: 5n, fees: 0n });
    net.request(a, { kind: 'request-close-payment', paymentId: bytes(16, 1) });
    net.deliverAll();
    expect(lastTx(a.results, bytes(16, 1))).toMatchObject({ result: { kind: 'success' } });
    expect(d.state.openInvoices.size).toBe(1);
    net.now = IMPLICIT_INVOICE_TTL_MS - 1;
    net.run(d, { kind: 'tick' });
    net.deliverAll();
    expect(d.state.openInvoices.size).toBe(1);
    net.now = IMPLICIT_INVOICE_TTL_MS;
    net.run(d, { kind: 'tick' });
    net.deliverAll();
    expect(d.state.openInvoices.size).toBe(0);
    expect(lastTx(a.results, bytes(16, 1))).toMatchObject({ result: { kind: 'failure' } });
    expect(statusOf(a.results, bytes(16, 1))).toMatchObject({ status: { kind: 'canceled' } });
    const ch = a.state.friends.get(d.key)!.channel;
    expect(ch.kind === 'consistent' && ch.tc.mutualCredits.get('FST')!.localPendingDebt).toBe(0n);
  });

  it('never collects a split payment whose last part arrives after the destination gave up', () => {
    const { net, a, b, c, d } = diamond();
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 20n, destPublicKey: pk(d), autoCollect: true });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, b, d].map(pk), destPayment: 10n, fees: 0n });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 2), route: [a, c, d].map(pk), destPayment: 10n, fees: 0n });
    net.request(a, { kind: 'request-close-payment', paymentId: bytes(16, 1) });
    // C's messages to D are held back: the second part is late.
    const late: Envelope[] = [];
    const deliverHoldingBackCToD = (): void => {
      while (net.queue.length > 0) {
        const e = net.queue.shift()!;
        if (e.from === c.key && e.to === d.key) late.push(e);
        else net.deliver(e);
      }
    };
    deliverHoldingBackCToD();
    expect(d.state.openInvoices.size).toBe(1);
    net.now = IMPLICIT_INVOICE_TTL_MS;
    net.run(d, { kind: 'tick' });
    deliverHoldingBackCToD();
    expect(d.state.openInvoices.size).toBe(0);
    expect(lastTx(a.results, bytes(16, 1))).toMatchObject({ result: { kind: 'failure' } });
    // The late part opens a new implicit invoice of its own, which expires the same way.
    for (const e of late) net.deliver(e);
    net.deliverAll();
    expect(d.state.openInvoices.size).toBe(1);
    net.now = 2 * IMPLICIT_INVOICE_TTL_MS;
    net.run(d, { kind: 'tick' });
    net.deliverAll();
    expect(d.state.openInvoices.size).toBe(0);
    expect(statusOf(a.results, bytes(16, 1))).toMatchObject({ status: { kind: 'canceled' } });
    for (const [x, y] of [[a, b], [a, c], [b, d], [c, d]] as const) expect(balanceOf(x, y, 'FST')).toBe(0n);
    for (const n of [a, b, c, d]) {
      for (const f of n.state.friends.values()) {
        const mc = f.channel.kind === 'consistent' ? f.channel.tc.mutualCredits.get('FST') : undefined;
        expect([mc?.localPendingDebt, mc?.remotePendingDebt]).toEqual([0n, 0n]);
      }
    }
  });

  it('is refused by a node that does not accept such payments', () => {
    const { net, ns } = nodes(2);
    const [a, d] = ns as [TestNode, TestNode];
    net.befriend(a, d);
    net.request(d, { kind: 'set-accept-auto-collect', accept: false });
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 3n, destPublicKey: pk(d), autoCollect: true });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, d].map(pk), destPayment: 3n, fees: 0n });
    net.deliverAll();
    expect(lastTx(a.results, bytes(16, 1))).toMatchObject({ result: { kind: 'failure' } });
    expect(balanceOf(a, d, 'FST')).toBe(0n);
  });

  it('gives a mediator nothing it could collect with', () => {
    const { net, ns } = nodes(3);
    const [a, m, d] = ns as [TestNode, TestNode, TestNode];
    net.befriend(a, m);
    net.befriend(m, d);
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 3n, destPublicKey: pk(d), autoCollect: true });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, m, d].map(pk), destPayment: 3n, fees: 0n });
    // Deliver until the mediator holds the request from A.
    const held = (): number => {
      const c = m.state.friends.get(a.key)!.channel;
      return c.kind === 'consistent' ? c.tc.mutualCredits.get('FST')!.remote.size : -1;
    };
    while (net.queue.length > 0 && held() === 0) {
      net.deliver(net.queue.shift()!);
    }
    const ch = m.state.friends.get(a.key)!.channel;
    if (ch.kind !== 'consistent') throw new Error('channel broke');
    const pending = [...ch.tc.mutualCredits.get('FST')!.remote.values()][0]!;
    expect(pending.autoCollect).toBeDefined();
    expect(m.unseal(pending.autoCollect!)).toBeUndefined(); // sealed to D, not to M
    // Even holding the buyer's src lock, M lacks D's dest lock: a Collect it makes is refused.
    const srcPlainLock = a.state.payments.get(hex(bytes(16, 1)))!.srcPlainLock;
    const responded = { ...ch.tc.mutualCredits.get('FST')!, remote: new Map([[hex(bytes(16, 1)), { ...pending, stage: { kind: 'response' as const, destHashedLock: hashLock(crypto, bytes(32, 0x55)), isComplete: true } }]]) };
    const ctx = { crypto, currency: 'FST', localPublicKey: pk(m), remotePublicKey: pk(a) };
    expect(sendCollect(responded, { kind: 'collect', requestId: bytes(16, 1), srcPlainLock, destPlainLock: bytes(32, 0x56) }, ctx))
      .toEqual({ ok: false, error: 'invalid-dest-plain-lock' });
    net.deliverAll();
    expect(receiptOf(net.request(a, { kind: 'request-close-payment', paymentId: bytes(16, 1) }).find((r) => r.kind === 'payment-status'))).toBeDefined();
    expect([balanceOf(a, m, 'FST'), balanceOf(m, a, 'FST'), balanceOf(m, d, 'FST'), balanceOf(d, m, 'FST')]).toEqual([-3n, 3n, -3n, 3n]);
  });
});

describe('seller checks', () => {
  it('cancels a request in another currency than the invoice\'s, and takes the next one (§8.7.6)', () => {
    const { net, ns } = nodes(2);
    const [a, d] = ns as [TestNode, TestNode];
    net.befriend(a, d, ['FST', 'USD']);
    const invoiceId = bytes(32, 3);
    net.request(d, { kind: 'add-invoice', invoiceId, currency: 'USD', totalDestPayment: 5n });
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId, currency: 'FST', totalDestPayment: 5n, destPublicKey: pk(d) });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, d].map(pk), destPayment: 5n, fees: 0n });
    net.deliverAll();
    expect(lastTx(a.results, bytes(16, 1))).toMatchObject({ result: { kind: 'failure' } });
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 2), invoiceId, currency: 'USD', totalDestPayment: 5n, destPublicKey: pk(d) });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 2), requestId: bytes(16, 2), route: [a, d].map(pk), destPayment: 5n, fees: 0n });
    net.deliverAll();
    expect(commitOf(lastTx(a.results, bytes(16, 2)))?.currency).toBe('USD');
  });

  it('refuses a commit for another invoice amount or with a wrong lock', () => {
    const { net, ns } = nodes(2);
    const [a, d] = ns as [TestNode, TestNode];
    net.befriend(a, d);
    const invoiceId = bytes(32, 3);
    net.request(d, { kind: 'add-invoice', invoiceId, currency: 'FST', totalDestPayment: 5n });
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId, currency: 'FST', totalDestPayment: 5n, destPublicKey: pk(d) });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, d].map(pk), destPayment: 5n, fees: 0n });
    net.deliverAll();
    const commit = commitOf(lastTx(a.results, bytes(16, 1)))!;
    expect(net.request(d, { kind: 'commit-invoice', commit: { ...commit, srcPlainLock: bytes(32, 9) } })[0]).toMatchObject({ error: 'invalid-commit' });
    expect(net.request(d, { kind: 'commit-invoice', commit: { ...commit, destPayment: 4n } })[0]).toMatchObject({ error: 'invalid-commit' });
    expect(net.request(d, { kind: 'commit-invoice', commit })[0]).toMatchObject({ error: undefined });
  });
});

describe('buyer checks and timeouts', () => {
  it('fails a transaction with dest above the total or overflowing fees, without queueing anything (§8.7.7)', () => {
    const { net, ns } = nodes(2);
    const [a, d] = ns as [TestNode, TestNode];
    net.befriend(a, d);
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 5n, destPublicKey: pk(d) });
    expect(net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, d].map(pk), destPayment: 6n, fees: 0n }))
      .toEqual([{ kind: 'ack', requestId: expect.any(Uint8Array), error: 'dest-payment-exceeds-total' }, { kind: 'transaction-result', requestId: bytes(16, 1), result: { kind: 'failure' } }]);
    expect(net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 2), route: [a, d].map(pk), destPayment: 5n, fees: (1n << 128n) - 1n })[0])
      .toMatchObject({ error: 'credits-calc-overflow' });
    expect(net.queue).toHaveLength(0);
  });

  it('a payment past its deadline cancels its queued parts and closes', () => {
    const { net, ns } = nodes(2);
    const [a, d] = ns as [TestNode, TestNode];
    net.befriend(a, d);
    // Make A wait for the token: it just sent one.
    net.request(a, { kind: 'set-friend-currency-max-debt', friendPublicKey: pk(d), currency: 'FST', remoteMaxDebt: 7n });
    const dir = a.state.friends.get(d.key)!.channel;
    expect(dir.kind === 'consistent' && dir.tc.direction.kind).toBe('outgoing');
    net.queue = []; // the token is lost in transit
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 5n, destPublicKey: pk(d), deadline: 1000 });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, d].map(pk), destPayment: 5n, fees: 0n });
    net.queue = [];
    net.now = 999;
    net.run(a, { kind: 'tick' });
    expect(statusOf(a.results, bytes(16, 1))).toBeUndefined();
    net.now = 1000;
    net.queue = [];
    net.run(a, { kind: 'tick' });
    expect(lastTx(a.results, bytes(16, 1))).toMatchObject({ result: { kind: 'failure' } });
    expect(statusOf(a.results, bytes(16, 1))).toMatchObject({ status: { kind: 'canceled' } });
    // The tick re-offered the unanswered token; delivering it settles the channel.
    net.deliverAll();
    expect(balanceOf(a, d, 'FST')).toBe(0n);
    const ch = a.state.friends.get(d.key)!.channel;
    expect(ch.kind === 'consistent' && ch.pendingUserRequests.length).toBe(0);
  });
});
