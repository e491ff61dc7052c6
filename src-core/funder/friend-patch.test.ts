import { describe, expect, it } from 'vitest';
import { decodeExact, encode } from '../codec/index.ts';
import { nobleBackend } from '../crypto/index.ts';
import {
  CONSISTENT_FIELDS, FRIEND_FIELDS, MUTUAL_CREDIT_FIELDS, PatchMismatch, TOKEN_CHANNEL_FIELDS, applyFriendPatch, friendPatch,
} from './friend-patch.ts';
import { type FunderMutation, applyMutation } from './mutations.ts';
import type { FriendState, QueuedRequest } from './state.ts';
import { funderMutationCodec, funderStateCodec } from './state-codec.ts';
import { step } from './step.ts';
import { type TestNode, TestNet, bytes, makeNode } from './testkit.ts';

const crypto = nobleBackend;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const friendBytes = (f: FriendState): string => hex(encode(funderMutationCodec, { kind: 'set-friend', friend: f }));

function roundTrip(m: FunderMutation): FunderMutation {
  const r = decodeExact(funderMutationCodec, encode(funderMutationCodec, m));
  if (!r.ok) throw r.error;
  return r.value;
}

/** Friends a – b – c; every mutation b's steps make is recorded and checked to round-trip. */
function threeNodes(): { net: TestNet; a: TestNode; b: TestNode; c: TestNode; seen: FunderMutation[]; wholeBytes: number[] } {
  const net = new TestNet(crypto);
  const [a, b, c] = [0, 1, 2].map((i) => net.add(makeNode(crypto, i))) as [TestNode, TestNode, TestNode];
  const seen: FunderMutation[] = [];
  /** per patch-friend in `seen`: the size of the set-friend it replaces */
  const wholeBytes: number[] = [];
  const run = net.run.bind(net);
  net.run = (n, event) => {
    if (n !== b) return run(n, event);
    const before = n.state;
    const out = step(before, event, net.env(n));
    let replayed = before;
    for (const m of out.mutations) { seen.push(m); replayed = applyMutation(replayed, roundTrip(m)); }
    n.state = out.mutations.reduce(applyMutation, before);
    for (const m of out.mutations) if (m.kind === 'patch-friend') wholeBytes.push(friendBytes(n.state.friends.get(m.publicKey)!).length / 2);
    // the decoded patches rebuild exactly the state the step made
    expect(hex(encode(funderStateCodec, replayed))).toBe(hex(encode(funderStateCodec, n.state)));
    for (const m of out.messages) if (m.kind === 'friend-message') net.queue.push({ from: n.key, to: hex(m.to), message: m.message });
    return [...out.results];
  };
  net.befriend(a, b, ['FST'], 1000n);
  net.befriend(b, c, ['FST'], 1000n);
  return { net, a, b, c, seen, wholeBytes };
}

function pay(net: TestNet, a: TestNode, b: TestNode, c: TestNode, k: number): void {
  net.request(c, { kind: 'add-invoice', invoiceId: bytes(32, k), currency: 'FST', totalDestPayment: 5n });
  net.request(a, { kind: 'create-payment', paymentId: bytes(16, k), invoiceId: bytes(32, k), currency: 'FST', totalDestPayment: 5n, destPublicKey: c.signer.publicKey });
  net.request(a, { kind: 'create-transaction', paymentId: bytes(16, k), requestId: bytes(16, k), route: [a, b, c].map((n) => n.signer.publicKey), destPayment: 5n, fees: 0n });
}

describe('friend patches', () => {
  it('journal an existing friend as a patch that rebuilds it, through payments with several in flight', () => {
    const { net, a, b, c, seen } = threeNodes();
    seen.length = 0;
    for (let k = 1; k <= 6; k++) pay(net, a, b, c, k);
    net.deliverAll();
    const patches = seen.filter((m) => m.kind === 'patch-friend');
    expect(patches.length).toBeGreaterThan(4);
    expect(seen.some((m) => m.kind === 'set-friend')).toBe(false);
    expect(c.results.filter((r) => r.kind === 'invoice-event' && r.event.kind === 'complete')).toHaveLength(6);
  });

  it('carry less than the whole friend once payments are in flight', () => {
    const { net, a, b, c, seen, wholeBytes } = threeNodes();
    // six payments answered but not collected: their transactions stay pending at b
    for (let k = 1; k <= 6; k++) pay(net, a, b, c, k);
    net.deliverAll();
    seen.length = 0;
    wholeBytes.length = 0;
    pay(net, a, b, c, 7);
    net.deliverAll();
    const patched = seen.filter((m) => m.kind === 'patch-friend').reduce((n, m) => n + encode(funderMutationCodec, m).length, 0);
    const whole = wholeBytes.reduce((x, y) => x + y, 0);
    expect(patched).toBeGreaterThan(0);
    expect(patched).toBeLessThan(whole * 0.6);
  });

  it('a new friend is journaled whole, a changed setting as the friend info alone', () => {
    const net = new TestNet(crypto);
    const [a, b] = [0, 1].map((i) => net.add(makeNode(crypto, i))) as [TestNode, TestNode];
    const add = step(a.state, { kind: 'app-request', requestId: bytes(16, 1), request: { kind: 'add-friend', friendPublicKey: b.signer.publicKey, relays: [], name: 'b' } }, net.env(a));
    expect(add.mutations.map((m) => m.kind)).toEqual(['set-friend']);
    a.state = add.mutations.reduce(applyMutation, a.state);
    const rename = step(a.state, { kind: 'app-request', requestId: bytes(16, 2), request: { kind: 'set-friend-name', friendPublicKey: b.signer.publicKey, name: 'bee' } }, net.env(a));
    const m = rename.mutations[0];
    expect(m?.kind === 'patch-friend' && m.patch.channel === undefined && m.patch.info?.name === 'bee').toBe(true);
  });

  it('a queue that lost an item in the middle is replaced whole and still rebuilt exactly', () => {
    const { net, a, b, c } = threeNodes();
    net.run(b, { kind: 'friend-offline', friend: c.signer.publicKey });
    const f = b.state.friends.get(c.key)!;
    if (f.channel.kind !== 'consistent') throw new Error('consistent channel expected');
    const q = (k: number): QueuedRequest => ({ currency: 'FST', origin: a.key, op: { kind: 'request', requestId: bytes(16, k), srcHashedLock: bytes(32, k), route: [], destPayment: 1n, totalDestPayment: 1n, invoiceId: bytes(32, k), leftFees: 0n, autoCollect: undefined } });
    const [q1, q2, q3, q4] = [q(1), q(2), q(3), q(4)];
    const before: FriendState = { ...f, channel: { ...f.channel, pendingRequests: [q1, q2, q3] } };
    for (const after of [[q1, q3], [q2, q3, q4], [], [q4], [q1, q2, q3, q4]]) {
      const next: FriendState = { ...before, channel: { ...f.channel, pendingRequests: after } };
      const p = friendPatch(before, next);
      expect(friendBytes(applyFriendPatch(before, p))).toBe(friendBytes(next));
    }
    expect(net.queue).toEqual([]);
  });

  it('refuse to apply to a state they were not made from', () => {
    const { net, a, b, c, seen } = threeNodes();
    seen.length = 0;
    pay(net, a, b, c, 1);
    net.deliverAll();
    const m = seen.find((x) => x.kind === 'patch-friend' && x.patch.channel?.kind === 'consistent' && x.patch.channel.credits.length > 0);
    if (m === undefined || m.kind !== 'patch-friend') throw new Error('a channel patch expected');
    const gone = applyMutation(b.state, { kind: 'remove-friend', publicKey: m.publicKey });
    expect(() => applyMutation(gone, m)).toThrow(PatchMismatch);
    const f = b.state.friends.get(m.publicKey)!;
    if (f.channel.kind !== 'consistent') throw new Error('consistent channel expected');
    // the same friend without the currency the patch updates
    const noCredits: FriendState = { ...f, channel: { ...f.channel, tc: { ...f.channel.tc, mutualCredits: new Map() } } };
    expect(() => applyMutation(applyMutation(gone, { kind: 'set-friend', friend: noCredits }), m)).toThrow(PatchMismatch);
  });

  it('know every field of the friend state (a new field must be added to the patch)', () => {
    const { b, c } = threeNodes();
    const f = b.state.friends.get(c.key)!;
    expect(Object.keys(f).sort()).toEqual([...FRIEND_FIELDS].sort());
    if (f.channel.kind !== 'consistent') throw new Error('consistent channel expected');
    expect(Object.keys(f.channel).sort()).toEqual([...CONSISTENT_FIELDS].sort());
    const tcKeys = Object.keys({ ...f.channel.tc, initialBalances: undefined }).sort();
    expect(tcKeys).toEqual([...TOKEN_CHANNEL_FIELDS].sort());
    expect(Object.keys(f.channel.tc.mutualCredits.get('FST')!).sort()).toEqual([...MUTUAL_CREDIT_FIELDS].sort());
  });
});
