import { describe, expect, it } from 'vitest';
import { nobleBackend } from '../crypto/index.ts';
import { type Commit, type Receipt, checkReceiptForInvoice, verifyReceipt } from '../proto/index.ts';
import type { AppResult } from './events.ts';
import { type TestNode, TestNet, balanceOf, bytes, makeNode } from './testkit.ts';

const crypto = nobleBackend;

function chain(n: number): { net: TestNet; nodes: TestNode[] } {
  const net = new TestNet(crypto);
  const nodes = Array.from({ length: n }, (_, i) => net.add(makeNode(crypto, i)));
  return { net, nodes };
}

function txResult(results: readonly AppResult[], requestId: Uint8Array): AppResult | undefined {
  const id = Buffer.from(requestId).toString('hex');
  return [...results].reverse().find((r) => r.kind === 'transaction-result' && Buffer.from(r.requestId).toString('hex') === id);
}
const commitOf = (r: AppResult | undefined): Commit | undefined =>
  r?.kind === 'transaction-result' && r.result.kind === 'complete' ? r.result.commit : undefined;

function closeAndGetReceipt(net: TestNet, buyer: TestNode, paymentId: Uint8Array): Receipt | undefined {
  const s = net.request(buyer, { kind: 'request-close-payment', paymentId }).find((r) => r.kind === 'payment-status');
  return s?.kind === 'payment-status' && s.status.kind === 'success' ? s.status.receipt : undefined;
}

describe('several funders (reference/funder.md §8.5)', () => {
  it('test_funder_basic: partial payments, an overpaying part refused, a reused request id, a receipt', () => {
    const { net, nodes: [n0, n1] } = chain(2) as { net: TestNet; nodes: [TestNode, TestNode] };
    net.befriend(n0, n1, ['FST'], 200n);
    net.request(n1, { kind: 'set-friend-currency-max-debt', friendPublicKey: n0.signer.publicKey, currency: 'FST', remoteMaxDebt: 200n });
    const invoiceId = bytes(32, 7);
    net.request(n1, { kind: 'add-invoice', invoiceId, currency: 'FST', totalDestPayment: 4n });
    net.request(n0, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId, currency: 'FST', totalDestPayment: 4n, destPublicKey: n1.signer.publicKey });
    const route = [n0.signer.publicKey, n1.signer.publicKey];
    net.request(n0, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route, destPayment: 3n, fees: 1n });
    net.deliverAll();
    expect(txResult(n0.results, bytes(16, 1))).toMatchObject({ result: { kind: 'success' } });
    net.request(n0, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 2), route, destPayment: 4n, fees: 1n });
    net.deliverAll();
    expect(txResult(n0.results, bytes(16, 2))).toMatchObject({ result: { kind: 'failure' } });
    net.request(n0, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 2), route, destPayment: 1n, fees: 1n });
    net.deliverAll();
    const commit = commitOf(txResult(n0.results, bytes(16, 2)));
    expect(commit).toBeDefined();
    net.request(n0, { kind: 'request-close-payment', paymentId: bytes(16, 1) });
    net.request(n1, { kind: 'commit-invoice', commit: commit! });
    net.deliverAll();
    const receipt = closeAndGetReceipt(net, n0, bytes(16, 1))!;
    expect(receipt.totalDestPayment).toBe(4n);
    // Fixed §7.5 #2: the receipt is the complete part's, whatever order the collects came in.
    expect(receipt.isComplete).toBe(true);
    expect(receipt.destPayment).toBe(1n);
    expect(verifyReceipt(crypto, receipt, n1.signer.publicKey)).toBe(true);
    expect(checkReceiptForInvoice(crypto, { invoiceId, currency: 'FST', destPublicKey: n1.signer.publicKey, totalDestPayment: 4n }, receipt)).toBeUndefined();
    expect([balanceOf(n0, n1, 'FST'), balanceOf(n1, n0, 'FST')]).toEqual([-6n, 6n]);
  });

  it('test_funder_forward_payment: the mediator takes its fee of 5', () => {
    const { net, nodes: [n0, n1, n2] } = chain(3) as { net: TestNet; nodes: [TestNode, TestNode, TestNode] };
    net.befriend(n0, n1, ['FST'], 300n);
    net.befriend(n1, n2, ['FST'], 400n);
    net.request(n1, { kind: 'set-friend-currency-rate', friendPublicKey: n0.signer.publicKey, currency: 'FST', rate: { mul: 0, add: 5 } });
    const invoiceId = bytes(32, 9);
    net.request(n2, { kind: 'add-invoice', invoiceId, currency: 'FST', totalDestPayment: 15n });
    net.request(n0, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId, currency: 'FST', totalDestPayment: 15n, destPublicKey: n2.signer.publicKey });
    net.request(n0, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [n0, n1, n2].map((n) => n.signer.publicKey), destPayment: 15n, fees: 5n });
    net.deliverAll();
    const commit = commitOf(txResult(n0.results, bytes(16, 1)))!;
    expect(commit).toBeDefined();
    net.request(n0, { kind: 'request-close-payment', paymentId: bytes(16, 1) });
    net.request(n2, { kind: 'commit-invoice', commit });
    net.deliverAll();
    const receipt = closeAndGetReceipt(net, n0, bytes(16, 1))!;
    expect([receipt.destPayment, receipt.totalDestPayment]).toEqual([15n, 15n]);
    expect(balanceOf(n2, n1, 'FST')).toBe(15n);
    expect(balanceOf(n1, n2, 'FST')).toBe(-15n);
    expect(balanceOf(n1, n0, 'FST')).toBe(20n);
    expect(balanceOf(n0, n1, 'FST')).toBe(-20n);
  });

  it('test_funder_payment_failure: a route through a non-friend fails and the payment cancels', () => {
    const { net, nodes: [n0, n1, n2, n3] } = chain(4) as { net: TestNet; nodes: [TestNode, TestNode, TestNode, TestNode] };
    net.befriend(n0, n1);
    net.befriend(n1, n2);
    net.request(n0, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 10n, destPublicKey: n3.signer.publicKey });
    net.request(n0, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [n0, n1, n2, n3].map((n) => n.signer.publicKey), destPayment: 10n, fees: 2n });
    net.deliverAll();
    expect(txResult(n0.results, bytes(16, 1))).toMatchObject({ result: { kind: 'failure' } });
    const s = net.request(n0, { kind: 'request-close-payment', paymentId: bytes(16, 1) }).find((r) => r.kind === 'payment-status');
    expect(s).toMatchObject({ status: { kind: 'canceled' } });
    expect(balanceOf(n0, n1, 'FST')).toBe(0n);
    const c = n1.state.friends.get(n0.key)!.channel;
    expect(c.kind === 'consistent' && c.tc.mutualCredits.get('FST')!.remotePendingDebt).toBe(0n);
  });

  it('test_funder_inconsistency_basic: remove and re-add a friend, then reset to the friend\'s terms', () => {
    const { net, nodes: [n0, n1] } = chain(2) as { net: TestNet; nodes: [TestNode, TestNode] };
    net.befriend(n0, n1, ['FST'], 100n);
    const invoiceId = bytes(32, 3);
    net.request(n1, { kind: 'add-invoice', invoiceId, currency: 'FST', totalDestPayment: 4n });
    net.request(n0, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId, currency: 'FST', totalDestPayment: 4n, destPublicKey: n1.signer.publicKey });
    net.request(n0, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [n0.signer.publicKey, n1.signer.publicKey], destPayment: 4n, fees: 1n });
    net.deliverAll();
    net.request(n1, { kind: 'commit-invoice', commit: commitOf(txResult(n0.results, bytes(16, 1)))! });
    net.deliverAll();
    expect([balanceOf(n0, n1, 'FST'), balanceOf(n1, n0, 'FST')]).toEqual([-5n, 5n]);

    net.request(n0, { kind: 'remove-friend', friendPublicKey: n1.signer.publicKey });
    net.run(n1, { kind: 'friend-offline', friend: n0.signer.publicKey });
    net.request(n0, { kind: 'add-friend', friendPublicKey: n1.signer.publicKey, relays: [], name: 'n1' });
    net.request(n0, { kind: 'enable-friend', friendPublicKey: n1.signer.publicKey });
    net.run(n0, { kind: 'friend-online', friend: n1.signer.publicKey });
    net.run(n1, { kind: 'friend-online', friend: n0.signer.publicKey });
    net.deliverAll();
    const c0 = n0.state.friends.get(n1.key)!.channel;
    expect(c0.kind).toBe('inconsistent');
    if (c0.kind !== 'inconsistent') return;
    expect(c0.localTerms.balanceForReset).toEqual([]);
    expect(c0.remoteTerms?.balanceForReset).toEqual([{ currency: 'FST', balance: 5n }]);
    // Liveness mixed with inconsistency.
    net.request(n0, { kind: 'disable-friend', friendPublicKey: n1.signer.publicKey });
    net.request(n0, { kind: 'enable-friend', friendPublicKey: n1.signer.publicKey });
    expect(net.request(n0, { kind: 'reset-friend-channel', friendPublicKey: n1.signer.publicKey, resetToken: c0.remoteTerms!.resetToken })[0])
      .toMatchObject({ error: 'friend-offline' });
    net.run(n0, { kind: 'friend-online', friend: n1.signer.publicKey });
    net.deliverAll();
    const terms = (n0.state.friends.get(n1.key)!.channel as { remoteTerms: { resetToken: Uint8Array } }).remoteTerms;
    net.request(n0, { kind: 'reset-friend-channel', friendPublicKey: n1.signer.publicKey, resetToken: terms.resetToken });
    net.deliverAll();
    expect([balanceOf(n0, n1, 'FST'), balanceOf(n1, n0, 'FST')]).toEqual([-5n, 5n]);
    // The channel works again: max debt updates and a payment flow.
    net.request(n0, { kind: 'set-friend-currency-max-debt', friendPublicKey: n1.signer.publicKey, currency: 'FST', remoteMaxDebt: 50n });
    net.request(n0, { kind: 'open-friend-currency', friendPublicKey: n1.signer.publicKey, currency: 'FST' });
    net.deliverAll();
    const inv2 = bytes(32, 4);
    net.request(n0, { kind: 'add-invoice', invoiceId: inv2, currency: 'FST', totalDestPayment: 2n });
    net.request(n1, { kind: 'create-payment', paymentId: bytes(16, 2), invoiceId: inv2, currency: 'FST', totalDestPayment: 2n, destPublicKey: n0.signer.publicKey });
    net.request(n1, { kind: 'create-transaction', paymentId: bytes(16, 2), requestId: bytes(16, 2), route: [n1.signer.publicKey, n0.signer.publicKey], destPayment: 2n, fees: 0n });
    net.deliverAll();
    net.request(n0, { kind: 'commit-invoice', commit: commitOf(txResult(n1.results, bytes(16, 2)))! });
    net.deliverAll();
    expect([balanceOf(n0, n1, 'FST'), balanceOf(n1, n0, 'FST')]).toEqual([-3n, 3n]);
  });

  it('test_funder_add_relay: adding a relay twice is one relay; removing it empties the list', () => {
    const { net, nodes: [n0] } = chain(1) as { net: TestNet; nodes: [TestNode] };
    const relay = { publicKey: bytes(32, 5), address: 'relay:1', name: 'r' };
    net.request(n0, { kind: 'add-relay', relay });
    net.request(n0, { kind: 'add-relay', relay });
    expect(n0.state.relays).toHaveLength(1);
    net.request(n0, { kind: 'remove-relay', publicKey: relay.publicKey });
    expect(n0.state.relays).toHaveLength(0);
  });
});
