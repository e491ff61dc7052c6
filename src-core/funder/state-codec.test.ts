import { describe, expect, it } from 'vitest';
import { decodeExact, encode } from '../codec/index.ts';
import { nobleBackend } from '../crypto/index.ts';
import type { FunderEvent } from './events.ts';
import { type FunderMutation, applyMutation } from './mutations.ts';
import { step } from './step.ts';
import { type FunderState } from './state.ts';
import { funderMutationCodec, funderStateCodec } from './state-codec.ts';
import { type TestNode, TestNet, bytes, makeNode } from './testkit.ts';

const crypto = nobleBackend;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function roundTrip(s: FunderState): FunderState {
  const r = decodeExact(funderStateCodec, encode(funderStateCodec, s));
  if (!r.ok) throw r.error;
  return r.value;
}

describe('funder state and mutation codecs', () => {
  it('round-trip states with friends, channels in both directions, invoices, payments and pending requests', () => {
    const net = new TestNet(crypto);
    const [a, b, c] = [0, 1, 2].map((i) => net.add(makeNode(crypto, i))) as [TestNode, TestNode, TestNode];
    net.befriend(a, b, ['FST', 'USD'], 100n);
    net.befriend(b, c, ['FST'], 100n);
    net.request(a, { kind: 'add-relay', relay: { publicKey: bytes(32, 1), address: 'r:1', name: 'one' } });
    net.request(c, { kind: 'add-invoice', invoiceId: bytes(32, 5), currency: 'FST', totalDestPayment: 10n });
    net.request(a, { kind: 'create-payment', paymentId: bytes(16, 1), invoiceId: bytes(32, 5), currency: 'FST', totalDestPayment: 10n, destPublicKey: c.signer.publicKey, deadline: 5000, autoCollect: true });
    net.request(a, { kind: 'create-transaction', paymentId: bytes(16, 1), requestId: bytes(16, 1), route: [a, b, c].map((n) => n.signer.publicKey), destPayment: 4n, fees: 0n });
    // stop half way: some messages delivered, some not
    for (let i = 0; i < 3 && net.queue.length > 0; i++) net.deliver(net.queue.shift()!);
    for (const n of [a, b, c]) {
      const back = roundTrip(n.state);
      expect(back).toEqual(n.state);
      expect(hex(encode(funderStateCodec, back))).toBe(hex(encode(funderStateCodec, n.state)));
    }
    // an inconsistent channel too
    net.request(a, { kind: 'remove-friend', friendPublicKey: b.signer.publicKey });
    net.request(a, { kind: 'add-friend', friendPublicKey: b.signer.publicKey, relays: [], name: 'b' });
    net.request(a, { kind: 'enable-friend', friendPublicKey: b.signer.publicKey });
    net.run(a, { kind: 'friend-online', friend: b.signer.publicKey });
    net.run(b, { kind: 'friend-offline', friend: a.signer.publicKey });
    net.run(b, { kind: 'friend-online', friend: a.signer.publicKey });
    net.deliverAll();
    expect(b.state.friends.get(a.key)!.channel.kind).toBe('inconsistent');
    expect(roundTrip(b.state)).toEqual(b.state);
    expect(roundTrip(a.state)).toEqual(a.state);
  });

  it('a snapshot plus the decoded mutation journal reproduces the state exactly', () => {
    const net = new TestNet(crypto);
    const [a, b] = [0, 1].map((i) => net.add(makeNode(crypto, i))) as [TestNode, TestNode];
    const snapshot = encode(funderStateCodec, b.state);
    const journal: Uint8Array[] = [];
    const run = net.run.bind(net);
    net.run = (n, event) => {
      if (n !== b) return run(n, event);
      const out = step(n.state, event, net.env(n));
      for (const m of out.mutations) journal.push(encode(funderMutationCodec, m));
      n.state = out.mutations.reduce(applyMutation, n.state);
      for (const m of out.messages) if (m.kind === 'friend-message') net.queue.push({ from: n.key, to: hex(m.to), message: m.message });
      return [...out.results];
    };
    net.befriend(a, b, ['FST'], 50n);
    net.request(a, { kind: 'add-invoice', invoiceId: bytes(32, 2), currency: 'FST', totalDestPayment: 7n });
    net.request(b, { kind: 'create-payment', paymentId: bytes(16, 2), invoiceId: bytes(32, 2), currency: 'FST', totalDestPayment: 7n, destPublicKey: a.signer.publicKey });
    net.request(b, { kind: 'create-transaction', paymentId: bytes(16, 2), requestId: bytes(16, 2), route: [b.signer.publicKey, a.signer.publicKey], destPayment: 7n, fees: 0n });
    net.deliverAll();
    expect(journal.length).toBeGreaterThan(5);
    const start = decodeExact(funderStateCodec, snapshot);
    if (!start.ok) throw start.error;
    let replayed = start.value;
    for (const bytesOfOne of journal) {
      const m = decodeExact(funderMutationCodec, bytesOfOne);
      if (!m.ok) throw m.error;
      replayed = applyMutation(replayed, m.value as FunderMutation);
    }
    expect(replayed).toEqual(b.state);
    expect(hex(encode(funderStateCodec, replayed))).toBe(hex(encode(funderStateCodec, b.state)));
  });

  it('rejects truncated snapshots and trailing bytes', () => {
    const net = new TestNet(crypto);
    const [a, b] = [0, 1].map((i) => net.add(makeNode(crypto, i))) as [TestNode, TestNode];
    net.befriend(a, b);
    const bytesOfA = encode(funderStateCodec, a.state);
    for (let n = 0; n < bytesOfA.length; n += 7) expect(decodeExact(funderStateCodec, bytesOfA.subarray(0, n)).ok).toBe(false);
    expect(decodeExact(funderStateCodec, Uint8Array.of(...bytesOfA, 0)).ok).toBe(false);
  });

  it('rejects an online set whose keys are out of order or repeated (found by test/fuzz)', () => {
    const net = new TestNet(crypto);
    const [a] = [0].map((i) => net.add(makeNode(crypto, i))) as [TestNode];
    const [k1, k2] = [hex(bytes(32, 1)), hex(bytes(32, 2))];
    const good = encode(funderStateCodec, { ...a.state, online: new Set([k1, k2]) });
    expect(decodeExact(funderStateCodec, good).ok).toBe(true);
    // `online` is the last field: a u32 count, then the keys in ascending order
    const body = good.subarray(0, good.length - 64);
    for (const keys of [[k2, k1], [k1, k1]]) {
      const bad = Uint8Array.of(...body, ...keys.flatMap((k) => [...Buffer.from(k, 'hex')]));
      const r = decodeExact(funderStateCodec, bad);
      expect(r.ok ? 'accepted' : r.error.code).toBe('non-canonical');
    }
  });
});

