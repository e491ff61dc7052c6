import { describe, expect, it } from 'vitest';
import { nodeBackend } from '../crypto/backend.node.ts';
import type { AppResult } from './events.ts';
import { MAX_QUEUED_FORWARDS } from './mediator.ts';
import { applyMutation } from './mutations.ts';
import { type TestNode, TestNet, bytes, makeNode } from './testkit.ts';

const crypto = nodeBackend;
const pk = (n: TestNode): Uint8Array => n.signer.publicKey;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function line(): { net: TestNet; a: TestNode; m: TestNode; s: TestNode } {
  const net = new TestNet(crypto);
  const [a, m, s] = [0, 1, 2].map((i) => net.add(makeNode(crypto, i))) as [TestNode, TestNode, TestNode];
  net.befriend(a, m, ['FST'], 100n);
  net.befriend(m, s, ['FST'], 100n);
  net.request(m, { kind: 'set-friend-currency-rate', friendPublicKey: pk(a), currency: 'FST', rate: { mul: 2 ** 31, add: 1 } }); // 50 % + 1
  net.request(s, { kind: 'add-invoice', invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 10n });
  net.deliverAll();
  return { net, a, m, s };
}

function payThroughM(net: TestNet, a: TestNode, m: TestNode, s: TestNode, fees: bigint): AppResult | undefined {
  net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 10n, destPublicKey: pk(s) });
  net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, m, s].map(pk), destPayment: 10n, fees });
  net.deliverAll();
  return [...a.results].reverse().find((r) => r.kind === 'transaction-result' && hex(r.requestId) === hex(bytes(16, 1)));
}

function frozen(n: TestNode, f: TestNode): bigint {
  const c = n.state.friends.get(f.key)!.channel;
  const mc = c.kind === 'consistent' ? c.tc.mutualCredits.get('FST') : undefined;
  return (mc?.localPendingDebt ?? 0n) + (mc?.remotePendingDebt ?? 0n);
}

describe('mediator checks (reference/funder.md §6.3)', () => {
  it('takes its fee (floor(10 · 1/2) + 1 = 6) and forwards the rest', () => {
    const { net, a, m, s } = line();
    expect(payThroughM(net, a, m, s, 6n)).toMatchObject({ result: { kind: 'complete' } });
    const c = s.state.friends.get(m.key)!.channel;
    expect(c.kind === 'consistent' && c.tc.mutualCredits.get('FST')!.remotePendingDebt).toBe(10n);
  });

  it.each<[string, (net: TestNet, a: TestNode, m: TestNode, s: TestNode) => void, bigint]>([
    ['fees below its rate', () => undefined, 5n],
    ['the currency closed towards the sender', (net, a, m) => { net.request(m, { kind: 'close-friend-currency', friendPublicKey: pk(a), currency: 'FST' }); }, 6n],
    ['the currency closed towards the next hop', (net, _a, m, s) => { net.request(m, { kind: 'close-friend-currency', friendPublicKey: pk(s), currency: 'FST' }); }, 6n],
    ['the next hop offline', (net, _a, m, s) => { net.run(m, { kind: 'friend-offline', friend: pk(s) }); net.run(s, { kind: 'friend-offline', friend: pk(m) }); }, 6n],
    ['the next hop disabled', (net, _a, m, s) => { net.request(m, { kind: 'disable-friend', friendPublicKey: pk(s) }); }, 6n],
    ['over the next hop\'s trust', (net, _a, m, s) => { net.request(s, { kind: 'set-friend-currency-max-debt', friendPublicKey: pk(m), currency: 'FST', remoteMaxDebt: 9n }); }, 6n],
  ])('cancels back with %s, leaving nothing frozen', (_name, prepare, fees) => {
    const { net, a, m, s } = line();
    prepare(net, a, m, s);
    net.deliverAll();
    expect(payThroughM(net, a, m, s, fees)).toMatchObject({ result: { kind: 'failure' } });
    expect([frozen(a, m), frozen(m, a)]).toEqual([0n, 0n]);
    if (m.state.friends.get(s.key)?.channel.kind === 'consistent' && s.state.friends.get(m.key)?.channel.kind === 'consistent') {
      expect([frozen(m, s), frozen(s, m)]).toEqual([0n, 0n]);
    }
  });

  it('cancels when the queue towards the next hop is full', () => {
    const { net, a, m, s } = line();
    const f = m.state.friends.get(s.key)!;
    if (f.channel.kind !== 'consistent') throw new Error('consistent expected');
    const filler = Array.from({ length: MAX_QUEUED_FORWARDS }, (_, i) => ({
      currency: 'FST', origin: a.key,
      op: { kind: 'request' as const, requestId: Uint8Array.from({ length: 16 }, (_x, j) => (j < 4 ? (i >> (8 * j)) & 0xff : 0xee)),
        srcHashedLock: bytes(32, 1), route: [], destPayment: 1n, totalDestPayment: 1n, invoiceId: bytes(32, 9), leftFees: 0n, autoCollect: undefined },
    }));
    m.state = applyMutation(m.state, { kind: 'set-friend', friend: { ...f, channel: { ...f.channel, pendingRequests: filler } } });
    net.run(m, { kind: 'friend-offline', friend: pk(a) }); // keep m from flushing the filler to s meanwhile
    net.run(m, { kind: 'friend-online', friend: pk(a) });
    net.queue = net.queue.filter((e) => e.to !== s.key);
    expect(payThroughM(net, a, m, s, 6n)).toMatchObject({ result: { kind: 'failure' } });
    const after = m.state.friends.get(s.key)!.channel;
    expect(after.kind === 'consistent' && after.pendingRequests.length).toBe(MAX_QUEUED_FORWARDS);
  });

  it('refuses a route that returns to the buyer through one friend before sending it', () => {
    const { net, a, m } = line();
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 2), invoiceId: bytes(32, 2), currency: 'FST', totalDestPayment: 1n, destPublicKey: pk(a) });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 2), requestId: bytes(16, 2), route: [a, m, a].map(pk), destPayment: 1n, fees: 6n });
    net.deliverAll();
    // [a, m, a] is not a valid route (a cycle needs 3 distinct nodes): refused before sending.
    expect([...a.results].reverse().find((r) => r.kind === 'transaction-result')).toMatchObject({ result: { kind: 'failure' } });
    expect(frozen(a, m)).toBe(0n);
  });
});

describe('liveness (reference/funder.md §5.3)', () => {
  it('going offline cancels queued requests but keeps those already sent', () => {
    const { net, a, m, s } = line();
    // Let A send one request and keep the token away from it so that the next one queues.
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 10n, destPublicKey: pk(s) });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, m, s].map(pk), destPayment: 5n, fees: 6n });
    while (net.queue.length > 0 && frozen(a, m) === 0n) net.deliver(net.queue.shift()!);
    expect(frozen(a, m)).toBe(11n);
    net.queue = [];
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 2), route: [a, m, s].map(pk), destPayment: 5n, fees: 6n });
    const ch = a.state.friends.get(m.key)!.channel;
    expect(ch.kind === 'consistent' && ch.pendingUserRequests.length).toBe(1);
    net.run(a, { kind: 'friend-offline', friend: pk(m) });
    expect([...a.results].reverse().find((r) => r.kind === 'transaction-result' && hex(r.requestId) === hex(bytes(16, 2)))).toMatchObject({ result: { kind: 'failure' } });
    expect(frozen(a, m)).toBe(11n);
    const after = a.state.friends.get(m.key)!.channel;
    expect(after.kind === 'consistent' && after.pendingUserRequests.length).toBe(0);
  });
});
