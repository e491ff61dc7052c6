import { describe, expect, it } from 'vitest';
import { nodeBackend } from '../crypto/backend.node.ts';
import type { AppRequest } from './events.ts';
import { applyMutation } from './mutations.ts';
import { emptyMutualCredit } from './mutual-credit.ts';
import { type TestNode, TestNet, balanceOf, bytes, makeNode } from './testkit.ts';

const crypto = nodeBackend;
const pk = (n: TestNode): Uint8Array => n.signer.publicKey;

function pair(): { net: TestNet; a: TestNode; b: TestNode } {
  const net = new TestNet(crypto);
  const a = net.add(makeNode(crypto, 0));
  const b = net.add(makeNode(crypto, 1));
  net.befriend(a, b, ['FST'], 100n);
  return { net, a, b };
}

describe('app requests', () => {
  it.each<[string, (a: TestNode, b: TestNode) => AppRequest]>([
    ['a short friend key', () => ({ kind: 'enable-friend', friendPublicKey: bytes(31, 1) })],
    ['a negative max debt', (_a, b) => ({ kind: 'set-friend-currency-max-debt', friendPublicKey: pk(b), currency: 'FST', remoteMaxDebt: -1n })],
    ['a number amount', (_a, b) => ({ kind: 'add-invoice', invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 5 as unknown as bigint, friendPublicKey: pk(b) } as AppRequest)],
    ['a 17-byte currency', (_a, b) => ({ kind: 'open-friend-currency', friendPublicKey: pk(b), currency: 'x'.repeat(17) })],
    ['a rate above u32', (_a, b) => ({ kind: 'set-friend-currency-rate', friendPublicKey: pk(b), currency: 'FST', rate: { mul: 2 ** 32, add: 0 } })],
    ['duplicate relay keys', (_a, b) => ({ kind: 'set-friend-relays', friendPublicKey: pk(b), relays: [{ publicKey: bytes(32, 1), address: 'x' }, { publicKey: bytes(32, 1), address: 'y' }] })],
    ['a short route key', (a, b) => ({ kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [pk(a), pk(b).subarray(1)], destPayment: 1n, fees: 0n })],
  ])('refuses %s and changes nothing', (_name, make) => {
    const { net, a, b } = pair();
    const before = a.state;
    const out = net.request(a, make(a, b));
    expect(out[0]).toMatchObject({ kind: 'ack', error: 'invalid-request' });
    expect(a.state).toBe(before);
    expect(net.queue).toHaveLength(0);
  });

  it('a refused request leaves no partial change behind', () => {
    const { net, a, b } = pair();
    const before = a.state;
    expect(net.request(a, { kind: 'remove-friend-currency', friendPublicKey: pk(b), currency: 'FST' })[0]).toMatchObject({ error: 'can-not-remove-active-currency' });
    expect(net.request(a, { kind: 'reset-friend-channel', friendPublicKey: pk(b), resetToken: bytes(64, 1) })[0]).toMatchObject({ error: 'not-invited-to-reset' });
    expect(net.request(a, { kind: 'ack-close-payment', paymentId: bytes(16, 1), ackUid: bytes(16, 1) })[0]).toMatchObject({ error: 'payment-does-not-exist' });
    expect(net.request(a, { kind: 'cancel-invoice', invoiceId: bytes(32, 1) })[0]).toMatchObject({ error: 'invoice-does-not-exist' });
    expect(a.state).toBe(before);
  });

  it('removes a configured currency that was never activated, and announces the smaller list', () => {
    const { net, a, b } = pair();
    net.request(a, { kind: 'set-friend-currency-rate', friendPublicKey: pk(b), currency: 'EUR', rate: { mul: 0, add: 1 } });
    expect(net.request(a, { kind: 'remove-friend-currency', friendPublicKey: pk(b), currency: 'EUR' })[0]).toMatchObject({ error: undefined });
    net.deliverAll();
    const ch = b.state.friends.get(a.key)!.channel;
    expect(ch.kind === 'consistent' && [...ch.tc.activeRemote]).toEqual(['FST']);
  });
});

describe('a corrupted balance (reference/funder.md §8.4 test_handler_pair_inconsistency)', () => {
  it('is detected, both sides propose terms, and accepting the friend\'s terms restores a usable channel', () => {
    const { net, a, b } = pair();
    // Corrupt A's view of the FST balance to 10 (the original's McMutation::SetBalance).
    const f = a.state.friends.get(b.key)!;
    if (f.channel.kind !== 'consistent') throw new Error('consistent expected');
    const mcs = new Map(f.channel.tc.mutualCredits);
    mcs.set('FST', emptyMutualCredit(10n));
    a.state = applyMutation(a.state, { kind: 'set-friend', friend: { ...f, channel: { ...f.channel, tc: { ...f.channel.tc, mutualCredits: mcs } } } });
    net.request(b, { kind: 'set-friend-currency-rate', friendPublicKey: pk(a), currency: 'USD', rate: { mul: 0, add: 0 } });
    net.deliverAll();
    const ca = a.state.friends.get(b.key)!.channel;
    const cb = b.state.friends.get(a.key)!.channel;
    expect([ca.kind, cb.kind]).toEqual(['inconsistent', 'inconsistent']);
    if (ca.kind !== 'inconsistent' || cb.kind !== 'inconsistent') return;
    expect(ca.localTerms).toMatchObject({ inconsistencyCounter: 1n, balanceForReset: [{ currency: 'FST', balance: 10n }] });
    expect(cb.localTerms).toMatchObject({ inconsistencyCounter: 1n, balanceForReset: [{ currency: 'FST', balance: 0n }] });
    expect(ca.remoteTerms?.resetToken).toEqual(cb.localTerms.resetToken);
    net.request(a, { kind: 'reset-friend-channel', friendPublicKey: pk(b), resetToken: cb.localTerms.resetToken });
    const reset = net.queue[0]!.message;
    expect(reset.kind === 'move-token-request' && reset.tokenWanted).toBe(true);
    expect(reset.kind === 'move-token-request' && reset.moveToken.oldToken).toEqual(cb.localTerms.resetToken);
    net.deliverAll();
    expect([balanceOf(a, b, 'FST'), balanceOf(b, a, 'FST')]).toEqual([0n, 0n]);
    // USD, wanted by B only until A configures it too, then active on both sides.
    net.request(a, { kind: 'set-friend-currency-rate', friendPublicKey: pk(b), currency: 'USD', rate: { mul: 0, add: 0 } });
    net.deliverAll();
    expect([balanceOf(a, b, 'USD'), balanceOf(b, a, 'USD')]).toEqual([0n, 0n]);
  });
});
