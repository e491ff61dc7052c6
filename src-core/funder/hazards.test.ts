/** Every hazard of reference/funder.md §7.2–§7.4 handled: a cancel, a drop or an inconsistency,
 *  never a throw; credits end up neither frozen nor invented. */
import { describe, expect, it } from 'vitest';
import { decodeExact, encode } from '../codec/index.ts';
import { nodeBackend } from '../crypto/backend.node.ts';
import { type Commit, type FriendMessage, friendMessage } from '../proto/index.ts';
import type { AppResult } from './events.ts';
import { afterRestart } from './state.ts';
import { funderMutationCodec, funderStateCodec } from './state-codec.ts';
import { step } from './step.ts';
import { applyMutation } from './mutations.ts';
import { type TestNode, TestNet, balanceOf, bytes, makeNode } from './testkit.ts';

const crypto = nodeBackend;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const pk = (n: TestNode): Uint8Array => n.signer.publicKey;

function nodes(n: number): { net: TestNet; ns: TestNode[] } {
  const net = new TestNet(crypto);
  return { net, ns: Array.from({ length: n }, (_, i) => net.add(makeNode(crypto, i))) };
}
function lastTx(results: readonly AppResult[], requestId: Uint8Array): AppResult | undefined {
  return [...results].reverse().find((r) => r.kind === 'transaction-result' && hex(r.requestId) === hex(requestId));
}
const commitOf = (r: AppResult | undefined): Commit | undefined =>
  r?.kind === 'transaction-result' && r.result.kind === 'complete' ? r.result.commit : undefined;
function pendingDebts(n: TestNode, f: TestNode, c = 'FST'): [bigint, bigint] | undefined {
  const ch = n.state.friends.get(f.key)?.channel;
  const mc = ch?.kind === 'consistent' ? ch.tc.mutualCredits.get(c) : undefined;
  return mc === undefined ? undefined : [mc.localPendingDebt, mc.remotePendingDebt];
}
/** X forgets Y and adds it again: their channel conflicts and both sides become inconsistent. */
function breakFrom(net: TestNet, x: TestNode, y: TestNode, opts: { withRate?: boolean } = {}): void {
  net.request(x, { kind: 'remove-friend', friendPublicKey: pk(y) });
  net.request(x, { kind: 'add-friend', friendPublicKey: pk(y), relays: [], name: 'y' });
  net.request(x, { kind: 'enable-friend', friendPublicKey: pk(y) });
  if (opts.withRate === true) net.request(x, { kind: 'set-friend-currency-rate', friendPublicKey: pk(y), currency: 'FST', rate: { mul: 0, add: 0 } });
  net.run(x, { kind: 'friend-online', friend: pk(y) });
  net.run(y, { kind: 'friend-offline', friend: pk(x) });
  net.run(y, { kind: 'friend-online', friend: pk(x) });
  net.deliverAll();
}
/** A → M → S with S's invoice 1 of 5 and A's payment 1 for it delivered (pending until collected). */
function pendingThroughMediator(): { net: TestNet; a: TestNode; m: TestNode; s: TestNode } {
  const { net, ns } = nodes(3);
  const [a, m, s] = ns as [TestNode, TestNode, TestNode];
  net.befriend(a, m);
  net.befriend(m, s);
  net.request(s, { kind: 'add-invoice', invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 5n });
  pay(net, a, [a, m, s], 1, 5n);
  net.deliverAll();
  return { net, a, m, s };
}
function pay(net: TestNet, buyer: TestNode, route: TestNode[], id: number, amount: bigint, invoiceId = bytes(32, id), fees = 0n): void {
  const seller = route[route.length - 1]!;
  net.request(buyer, { kind: 'create-payment', paymentId: bytes(16, id), invoiceId, currency: 'FST', totalDestPayment: amount, destPublicKey: pk(seller) });
  net.request(buyer, { kind: 'create-transaction', paymentId: bytes(16, id), requestId: bytes(16, id), route: route.map(pk), destPayment: amount, fees });
}

describe('§7.2 #1: one request id from two friends towards one next hop', () => {
  it('forwards the first, cancels the second, and routes the response to the right origin', () => {
    const { net, ns } = nodes(4);
    const [x, y, m, s] = ns as [TestNode, TestNode, TestNode, TestNode];
    net.befriend(x, m);
    net.befriend(y, m);
    net.befriend(m, s);
    const invoiceId = bytes(32, 1);
    net.request(s, { kind: 'add-invoice', invoiceId, currency: 'FST', totalDestPayment: 5n });
    for (const buyer of [x, y]) {
      net.request(buyer, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId, currency: 'FST', totalDestPayment: 5n, destPublicKey: pk(s) });
      net.request(buyer, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 9), route: [buyer, m, s].map(pk), destPayment: 5n, fees: 0n });
    }
    net.deliverAll();
    const outcomes = [x, y].map((b) => lastTx(b.results, bytes(16, 9)));
    const winner = outcomes.findIndex((r) => commitOf(r) !== undefined);
    expect(winner).toBeGreaterThanOrEqual(0);
    expect(outcomes[1 - winner]).toMatchObject({ result: { kind: 'failure' } });
    expect(pendingDebts(m, [x, y][1 - winner]!)).toEqual([0n, 0n]);
    net.request(s, { kind: 'commit-invoice', commit: commitOf(outcomes[winner])! });
    net.deliverAll();
    expect(balanceOf([x, y][winner]!, m, 'FST')).toBe(-5n);
    expect(balanceOf([x, y][1 - winner]!, m, 'FST')).toBe(0n);
    expect(balanceOf(m, s, 'FST')).toBe(-5n);
  });
});

describe('§7.2 #3, #8: the upstream channel disappears while the request is pending downstream', () => {
  it.each([['removed'], ['inconsistent']])('upstream %s, then the seller collects: dropped, no crash, nothing invented', (how) => {
    const { net, a, m, s } = pendingThroughMediator();
    const commit = commitOf(lastTx(a.results, bytes(16, 1)))!;
    if (how === 'removed') {
      net.request(m, { kind: 'remove-friend', friendPublicKey: pk(a) });
    } else {
      breakFrom(net, a, m);
      expect(m.state.friends.get(a.key)!.channel.kind).toBe('inconsistent');
    }
    net.request(s, { kind: 'commit-invoice', commit });
    net.deliverAll();
    expect(balanceOf(s, m, 'FST')).toBe(5n);
    expect(balanceOf(m, s, 'FST')).toBe(-5n); // the mediator's loss: documented in docs/funder.md
    expect(pendingDebts(m, s)).toEqual([0n, 0n]);
  });

  it('the seller cancels its invoice after the buyer\'s channel to the mediator broke', () => {
    const { net, a, m, s } = pendingThroughMediator();
    net.request(m, { kind: 'remove-friend', friendPublicKey: pk(a) });
    expect(net.request(s, { kind: 'cancel-invoice', invoiceId: bytes(32, 1) })[0]).toMatchObject({ error: undefined });
    net.deliverAll();
    expect(pendingDebts(m, s)).toEqual([0n, 0n]);
    expect(pendingDebts(s, m)).toEqual([0n, 0n]);
  });
});

describe('§7.5 #3: the downstream channel breaks', () => {
  it('cancels the forwarded request upstream so no credits stay frozen', () => {
    const { net, a, m, s } = pendingThroughMediator();
    expect(pendingDebts(a, m)).toEqual([5n, 0n]);
    breakFrom(net, s, m); // the M–S channel becomes inconsistent
    expect(m.state.friends.get(s.key)!.channel.kind).toBe('inconsistent');
    expect(pendingDebts(a, m)).toEqual([0n, 0n]);
    expect(pendingDebts(m, a)).toEqual([0n, 0n]);
    expect(lastTx(a.results, bytes(16, 1))).toMatchObject({ result: { kind: 'failure' } });
    // Reset terms count no in-flight request as paid (fix of §7.5 #4): both sides propose 0.
    const ch = m.state.friends.get(s.key)!.channel;
    if (ch.kind === 'inconsistent') expect(ch.localTerms.balanceForReset).toEqual([{ currency: 'FST', balance: 0n }]);
  });
});

describe('§7.2 #5, §8.7.8: hostile reset terms', () => {
  it('refuses to adopt terms with an i128::MIN balance', () => {
    const { net, ns } = nodes(2);
    const [a, b] = ns as [TestNode, TestNode];
    net.befriend(a, b);
    const aFirst = a.state.friends.get(b.key)!.channel;
    const outgoing = aFirst.kind === 'consistent' && aFirst.tc.direction.kind === 'outgoing';
    const [victim, attacker] = outgoing ? [a, b] : [b, a];
    const terms = { resetToken: bytes(64, 1), inconsistencyCounter: 5n, balanceForReset: [{ currency: 'FST', balance: -(1n << 127n) }] };
    const m: FriendMessage = { kind: 'inconsistency-error', resetTerms: terms };
    const decoded = decodeExact(friendMessage, encode(friendMessage, m));
    expect(decoded.ok).toBe(true);
    net.run(victim, { kind: 'friend-message', from: pk(attacker), message: m });
    net.queue = [];
    // Holding the token, the victim first hands it over; then the terms are taken.
    net.run(victim, { kind: 'friend-message', from: pk(attacker), message: m });
    const ch = victim.state.friends.get(attacker.key)!.channel;
    expect(ch.kind).toBe('inconsistent');
    expect(net.request(victim, { kind: 'reset-friend-channel', friendPublicKey: pk(attacker), resetToken: bytes(64, 1) })[0])
      .toMatchObject({ error: 'invalid-reset-terms' });
  });
});

describe('§7.4: remote max debt u128::MAX', () => {
  it('means unlimited and keeps the channel consistent', () => {
    const { net, ns } = nodes(2);
    const [a, d] = ns as [TestNode, TestNode];
    net.befriend(a, d, ['FST'], (1n << 128n) - 1n);
    net.request(d, { kind: 'add-invoice', invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 1n << 100n });
    pay(net, a, [a, d], 1, 1n << 100n);
    net.deliverAll();
    expect(commitOf(lastTx(a.results, bytes(16, 1)))).toBeDefined();
    expect(d.state.friends.get(a.key)!.channel.kind).toBe('consistent');
  });
});

describe('malformed, duplicate, stale and out-of-order friend messages (§8.7.3)', () => {
  it('a token with a forged signature makes the channel inconsistent, not a crash', () => {
    const { net, ns } = nodes(2);
    const [a, b] = ns as [TestNode, TestNode];
    net.befriend(a, b);
    const holds = (x: TestNode, y: TestNode): boolean => {
      const c = x.state.friends.get(y.key)!.channel;
      return c.kind === 'consistent' && c.tc.direction.kind === 'incoming';
    };
    const [sender, receiver] = holds(a, b) ? [a, b] : [b, a];
    net.request(sender, { kind: 'add-relay', relay: { publicKey: bytes(32, 4), address: 'r:4', name: '' } });
    const e = net.queue.shift()!;
    if (e.message.kind !== 'move-token-request') throw new Error('token expected');
    const forged = Uint8Array.from(e.message.moveToken.newToken);
    forged[5] = (forged[5] as number) ^ 0xff;
    net.run(receiver, { kind: 'friend-message', from: pk(sender), message: { ...e.message, moveToken: { ...e.message.moveToken, newToken: forged } } });
    expect(receiver.state.friends.get(sender.key)!.channel.kind).toBe('inconsistent');
  });

  it('old tokens delivered again, in any order, change nothing', () => {
    const { net, ns } = nodes(2);
    const [a, d] = ns as [TestNode, TestNode];
    net.befriend(a, d);
    const seen: typeof net.queue = [];
    const deliverRecording = (): void => {
      while (net.queue.length > 0) { const e = net.queue.shift()!; seen.push(e); net.deliver(e); }
    };
    net.request(d, { kind: 'add-invoice', invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 3n });
    pay(net, a, [a, d], 1, 3n);
    deliverRecording();
    net.request(d, { kind: 'commit-invoice', commit: commitOf(lastTx(a.results, bytes(16, 1)))! });
    deliverRecording();
    expect(seen.length).toBeGreaterThan(4);
    for (const e of [...seen].reverse()) net.deliver(e);
    for (const e of seen) net.deliver(e);
    net.deliverAll();
    expect(a.state.friends.get(d.key)!.channel.kind).toBe('consistent');
    expect(d.state.friends.get(a.key)!.channel.kind).toBe('consistent');
    expect([balanceOf(a, d, 'FST'), balanceOf(d, a, 'FST')]).toEqual([-3n, 3n]);
  });

  it('messages from unknown or disabled friends are dropped', () => {
    const { net, ns } = nodes(3);
    const [a, b, stranger] = ns as [TestNode, TestNode, TestNode];
    net.befriend(a, b);
    const before = a.state;
    const terms: FriendMessage = { kind: 'inconsistency-error', resetTerms: { resetToken: bytes(64, 1), inconsistencyCounter: 9n, balanceForReset: [] } };
    net.run(a, { kind: 'friend-message', from: pk(stranger), message: terms });
    expect(a.state).toBe(before);
  });
});

describe('§8.7.11: inconsistency while holding the token; simultaneous resets', () => {
  it('hands over the token, then both sides agree after a reset, even when both accept at once', () => {
    const { net, ns } = nodes(2);
    const [a, b] = ns as [TestNode, TestNode];
    net.befriend(a, b);
    breakFrom(net, a, b);
    const ca = a.state.friends.get(b.key)!.channel;
    const cb = b.state.friends.get(a.key)!.channel;
    expect([ca.kind, cb.kind]).toEqual(['inconsistent', 'inconsistent']);
    if (ca.kind !== 'inconsistent' || cb.kind !== 'inconsistent') return;
    // Both accept each other's terms at the same time: the reset tokens cross.
    net.request(a, { kind: 'reset-friend-channel', friendPublicKey: pk(b), resetToken: ca.remoteTerms!.resetToken });
    net.request(b, { kind: 'reset-friend-channel', friendPublicKey: pk(a), resetToken: cb.remoteTerms!.resetToken });
    net.deliverAll();
    for (let round = 0; round < 3; round++) {
      const x = a.state.friends.get(b.key)!.channel;
      if (x.kind === 'consistent') break;
      if (x.remoteTerms !== undefined) net.request(a, { kind: 'reset-friend-channel', friendPublicKey: pk(b), resetToken: x.remoteTerms.resetToken });
      net.deliverAll();
    }
    expect(a.state.friends.get(b.key)!.channel.kind).toBe('consistent');
    expect(b.state.friends.get(a.key)!.channel.kind).toBe('consistent');
    net.request(b, { kind: 'add-invoice', invoiceId: bytes(32, 2), currency: 'FST', totalDestPayment: 2n });
    net.request(a, { kind: 'set-friend-currency-rate', friendPublicKey: pk(b), currency: 'FST', rate: { mul: 0, add: 0 } });
    net.request(a, { kind: 'set-friend-currency-max-debt', friendPublicKey: pk(b), currency: 'FST', remoteMaxDebt: 10n });
    net.request(a, { kind: 'open-friend-currency', friendPublicKey: pk(b), currency: 'FST' });
    net.deliverAll();
    pay(net, a, [a, b], 2, 2n, bytes(32, 2));
    net.deliverAll();
    expect(commitOf(lastTx(a.results, bytes(16, 2)))).toBeDefined();
  });
});

describe('a friend re-adding us after an earlier reset (§7.5 #11)', () => {
  function acceptFriendsTerms(net: TestNet, x: TestNode, y: TestNode): void {
    const c = x.state.friends.get(y.key)!.channel;
    if (c.kind !== 'inconsistent' || c.remoteTerms === undefined) throw new Error('terms expected');
    net.request(x, { kind: 'reset-friend-channel', friendPublicKey: pk(y), resetToken: c.remoteTerms.resetToken });
    net.deliverAll();
  }

  it('is detected although its counters restarted, and a second reset settles it', () => {
    const { net, ns } = nodes(2);
    const [a, b] = ns as [TestNode, TestNode];
    net.befriend(a, b);
    net.request(b, { kind: 'add-invoice', invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 4n });
    pay(net, a, [a, b], 1, 4n);
    net.deliverAll();
    net.request(b, { kind: 'commit-invoice', commit: commitOf(lastTx(a.results, bytes(16, 1)))! });
    net.deliverAll();
    breakFrom(net, a, b, { withRate: true });
    acceptFriendsTerms(net, a, b);
    expect([balanceOf(a, b, 'FST'), balanceOf(b, a, 'FST')]).toEqual([-4n, 4n]);
    // Now B forgets A: B's new channel counts from zero, below the counters of A's channel.
    breakFrom(net, b, a, { withRate: true });
    expect(a.state.friends.get(b.key)!.channel.kind).toBe('inconsistent');
    expect(b.state.friends.get(a.key)!.channel.kind).toBe('inconsistent');
    acceptFriendsTerms(net, b, a);
    expect([balanceOf(a, b, 'FST'), balanceOf(b, a, 'FST')]).toEqual([-4n, 4n]);
  });
});

describe('§8.7.12: write-ahead — a crash after persisting, before sending', () => {
  it('recovers from snapshot + journal by retransmitting on reconnection, without inconsistency', () => {
    const { net, ns } = nodes(2);
    const [a, d] = ns as [TestNode, TestNode];
    net.befriend(a, d);
    net.request(d, { kind: 'add-invoice', invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 3n });
    const snapshot = encode(funderStateCodec, a.state);
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId: bytes(32, 1), currency: 'FST', totalDestPayment: 3n, destPublicKey: pk(d) });
    const out = step(a.state, { kind: 'app-request', requestId: bytes(16, 0xee), request: { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, d].map(pk), destPayment: 3n, fees: 0n } }, net.env(a));
    const journal = [...mutationsSince(a), ...out.mutations].map((m) => encode(funderMutationCodec, m));
    net.queue = []; // the crash: nothing of this event left the node
    const restored = decodeExact(funderStateCodec, snapshot);
    if (!restored.ok) throw restored.error;
    a.state = afterRestart(journal.reduce((s, b) => {
      const m = decodeExact(funderMutationCodec, b);
      if (!m.ok) throw m.error;
      return applyMutation(s, m.value);
    }, restored.value));
    net.run(d, { kind: 'friend-offline', friend: pk(a) });
    net.run(a, { kind: 'friend-online', friend: pk(d) });
    net.run(d, { kind: 'friend-online', friend: pk(a) });
    net.deliverAll();
    expect(commitOf(lastTx(a.results, bytes(16, 1)))).toBeDefined();
    expect(a.state.friends.get(d.key)!.channel.kind).toBe('consistent');
    expect(d.state.friends.get(a.key)!.channel.kind).toBe('consistent');
  });
});

/** The mutations that made `node` what it is since its last snapshot: here, the create-payment step. */
function mutationsSince(node: TestNode): ReturnType<typeof step>['mutations'] {
  return [{ kind: 'set-payment', paymentId: hex(bytes(16, 1)), payment: node.state.payments.get(hex(bytes(16, 1)))! }];
}
