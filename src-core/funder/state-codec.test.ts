import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExact, encode } from '../codec/index.ts';
import { nobleBackend } from '../crypto/index.ts';
import type { FunderEvent } from './events.ts';
import { type FunderMutation, applyMutation } from './mutations.ts';
import { step } from './step.ts';
import { type ChannelStatus, type FriendState, type FunderState } from './state.ts';
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

/** A's snapshot (identity seed 1, friend seed 2, both from testkit's makeNode) written by the codec
 *  before inconsistent channels carried agreed starting balances: the channel broke while FST2
 *  (agreed balance 7) was not active yet; A's terms are [FST: 10]. */
const SNAPSHOT_BEFORE_CARRIED_BALANCES = [
  'b1f804dabc68274c1233995c5a9119b56935bcdd83b7de07ec726dcedc4e9ce700000000000000016a0f6a283a8e4e86d2a3d60ef9e37ec33f2ab607',
  '1a30e0a477735128e7571eb06a0f6a283a8e4e86d2a3d60ef9e37ec33f2ab6071a30e0a477735128e7571eb000000001660000000001000000000000',
  '000100000003465354000000000000000000000000000000000000000000000000000101011f99079ae2045638665270c8ab650ec548689688cb7e6e',
  '2de9c40b33151336a66a0f6a283a8e4e86d2a3d60ef9e37ec33f2ab6071a30e0a477735128e7571eb0b1f804dabc68274c1233995c5a9119b56935bc',
  'dd83b7de07ec726dcedc4e9ce70000000100000003465354000000000000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000000000023748c95f8318d5c452aa347e4af2fa1888f6ecaaac7d14ad',
  '05cfa6e83f975d0126f18f4440d35952a20f39e9127d78f1fb72dded4e3566063f551fb24219c7c6f446fb348a202fcd4c7081b00f82760eb1d140cb',
  '19cf0914e9393847ca5c664d238262e34bf65840b282dec25cb11c8714f709cf22b05fb566097cb08b0822a3c18446ddd73c0722f5b2d8a1e5987572',
  '000000000000000100000001000000034653540000000000000000000000000000000a01b0f9a03fe32d771318237b607db523198e0759508723ec94',
  '66d60d4f31971c407447dd85cf7cd1247669a0b5bdc5bd734490801dd370006dccc9e0fc5a51b5a80000000000000001000000010000000346535400',
  '000000000000000000000000000000000000000000000000000000010000002000000000',
].join('');

const currencyName = fc.string({ unit: 'grapheme', maxLength: 6 }).filter((c) => Buffer.byteLength(c) <= 16);
const i128 = fc.bigInt({ min: -(1n << 127n), max: (1n << 127n) - 1n });

function decodedSnapshot(): FunderState {
  const r = decodeExact(funderStateCodec, Uint8Array.from(Buffer.from(SNAPSHOT_BEFORE_CARRIED_BALANCES, 'hex')));
  if (!r.ok) throw r.error;
  return r.value;
}

function onlyFriend(s: FunderState): FriendState {
  const [f] = s.friends.values();
  if (f === undefined) throw new Error('friend expected');
  return f;
}

function withChannel(s: FunderState, f: FriendState, channel: ChannelStatus): FunderState {
  return { ...s, friends: new Map([[hex(f.remotePublicKey), { ...f, channel }]]) };
}

describe('inconsistent channels with carried starting balances in the state codecs', () => {
  it('load a snapshot written before they were carried, as none, and write it back byte for byte', () => {
    const s = decodedSnapshot();
    const ch = onlyFriend(s).channel;
    expect(ch.kind).toBe('inconsistent');
    if (ch.kind !== 'inconsistent') return;
    expect(ch.localTerms.balanceForReset).toEqual([{ currency: 'FST', balance: 10n }]);
    expect(ch.initialBalances).toBeUndefined();
    expect(hex(encode(funderStateCodec, s))).toBe(SNAPSHOT_BEFORE_CARRIED_BALANCES);
  });

  it('round-trip any carried balances exactly, with one encoding per value', () => {
    const s = decodedSnapshot();
    const f = onlyFriend(s);
    if (f.channel.kind !== 'inconsistent') throw new Error('inconsistent expected');
    const base = f.channel;
    fc.assert(fc.property(fc.array(fc.tuple(currencyName, i128), { maxLength: 5 }), (entries) => {
      const m = new Map(entries);
      const channel: ChannelStatus = m.size === 0 ? base : { ...base, initialBalances: m };
      const state = withChannel(s, f, channel);
      const bytesOf = encode(funderStateCodec, state);
      const back = decodeExact(funderStateCodec, bytesOf);
      if (!back.ok) throw back.error;
      expect(back.value).toEqual(state);
      expect(onlyFriend(back.value).channel).toEqual(channel);
      expect(hex(encode(funderStateCodec, back.value))).toBe(hex(bytesOf));
      // the same map in another insertion order encodes the same
      const reversed: ChannelStatus = m.size === 0 ? base : { ...base, initialBalances: new Map([...m].reverse()) };
      expect(hex(encode(funderStateCodec, withChannel(s, f, reversed)))).toBe(hex(bytesOf));
    }), { numRuns: 100 });
  });

  it('refuse an empty carried map on both sides of the codec', () => {
    const s = decodedSnapshot();
    const f = onlyFriend(s);
    const ch = f.channel;
    if (ch.kind !== 'inconsistent') throw new Error('inconsistent expected');
    expect(() => encode(funderStateCodec, withChannel(s, f, { ...ch, initialBalances: new Map() }))).toThrow(RangeError);
    // set-friend ends with the friend's channel, which ends with the map: [FST2 → 7] is
    // u32 count + u32 length + 'FST2' + i128 = 28 bytes; replace it by an empty list.
    const m: FunderMutation = { kind: 'set-friend', friend: { ...f, channel: { ...ch, initialBalances: new Map([['FST2', 7n]]) } } };
    const good = encode(funderMutationCodec, m);
    expect(decodeExact(funderMutationCodec, good).ok).toBe(true);
    const bad = Uint8Array.of(...good.subarray(0, good.length - 28), 0, 0, 0, 0);
    const r = decodeExact(funderMutationCodec, bad);
    expect(r.ok ? 'accepted' : r.error.message).toMatch(/initial balances present but empty/);
  });
});
