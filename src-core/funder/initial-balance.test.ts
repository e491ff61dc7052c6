import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeBackend } from '../crypto/backend.node.ts';
import { decodeExact, encode } from '../codec/index.ts';
import { applyMutation } from './mutations.ts';
import { emptyMutualCredit } from './mutual-credit.ts';
import type { ChannelStatus } from './state.ts';
import { funderStateCodec } from './state-codec.ts';
import { type TestNode, TestNet, balanceOf, makeNode } from './testkit.ts';

const crypto = nodeBackend;

function pair(balanceA: bigint, balanceB: bigint): { net: TestNet; a: TestNode; b: TestNode } {
  const net = new TestNet(crypto);
  const a = net.add(makeNode(crypto, 0));
  const b = net.add(makeNode(crypto, 1));
  for (const [x, y, balance] of [[a, b, balanceA], [b, a, balanceB]] as const) {
    net.request(x, { kind: 'add-friend', friendPublicKey: y.signer.publicKey, relays: [], name: 'f', initialBalances: [{ currency: 'FST', balance }] });
    net.request(x, { kind: 'enable-friend', friendPublicKey: y.signer.publicKey });
    net.request(x, { kind: 'set-friend-currency-max-debt', friendPublicKey: y.signer.publicKey, currency: 'FST', remoteMaxDebt: 1000n });
  }
  net.run(a, { kind: 'friend-online', friend: b.signer.publicKey });
  net.run(b, { kind: 'friend-online', friend: a.signer.publicKey });
  net.deliverAll();
  return { net, a, b };
}

describe('agreed starting balances of a new friend', () => {
  it('start the mutual credit at the balances both sides entered', () => {
    const { a, b } = pair(100n, -100n);
    expect(balanceOf(a, b, 'FST')).toBe(100n);
    expect(balanceOf(b, a, 'FST')).toBe(-100n);
    const tc = a.state.friends.get(b.key)?.channel;
    expect(tc?.kind === 'consistent' ? tc.tc.initialBalances : 'inconsistent').toBeUndefined();
  });

  it('survive a snapshot round trip before the currency is active', () => {
    const net = new TestNet(crypto);
    const a = net.add(makeNode(crypto, 0));
    const b = net.add(makeNode(crypto, 1));
    net.request(a, { kind: 'add-friend', friendPublicKey: b.signer.publicKey, relays: [], name: 'b', initialBalances: [{ currency: 'FST', balance: -7n }] });
    const back = decodeExact(funderStateCodec, encode(funderStateCodec, a.state));
    expect(back.ok).toBe(true);
    const ch = back.ok ? back.value.friends.get(b.key)?.channel : undefined;
    expect(ch?.kind === 'consistent' ? ch.tc.initialBalances?.get('FST') : undefined).toBe(-7n);
  });

  it('leave the channel inconsistent when the two sides disagree', () => {
    const { a, b } = pair(100n, -50n);
    const kinds = [a.state.friends.get(b.key)?.channel.kind, b.state.friends.get(a.key)?.channel.kind];
    expect(kinds).toContain('inconsistent');
  });

  it('refuse an out-of-range balance and change nothing', () => {
    const net = new TestNet(crypto);
    const a = net.add(makeNode(crypto, 0));
    const b = net.add(makeNode(crypto, 1));
    const results = net.request(a, { kind: 'add-friend', friendPublicKey: b.signer.publicKey, relays: [], name: 'b', initialBalances: [{ currency: 'FST', balance: -(1n << 127n) }] });
    expect(results[0]).toMatchObject({ kind: 'ack', error: 'invalid-amount' });
    expect(a.state.friends.size).toBe(0);
  });
});

type Inconsistent = Extract<ChannelStatus, { kind: 'inconsistent' }>;

function channel(x: TestNode, y: TestNode): ChannelStatus {
  const f = x.state.friends.get(y.key);
  if (f === undefined) throw new Error('friend expected');
  return f.channel;
}

function inconsistent(x: TestNode, y: TestNode): Inconsistent {
  const ch = channel(x, y);
  if (ch.kind !== 'inconsistent') throw new Error('inconsistent channel expected');
  return ch;
}

/** A and B share FST, active on both sides; FST2 has an agreed starting balance (7 for A) but neither
 *  side configured it yet. Then A's FST balance is corrupted (the original's McMutation::SetBalance)
 *  and B's next token breaks the channel. */
function brokenBeforeActivation(agreed = 7n): { net: TestNet; a: TestNode; b: TestNode } {
  const net = new TestNet(crypto);
  const a = net.add(makeNode(crypto, 0));
  const b = net.add(makeNode(crypto, 1));
  for (const [x, y, balance] of [[a, b, agreed], [b, a, -agreed]] as const) {
    net.request(x, { kind: 'add-friend', friendPublicKey: y.signer.publicKey, relays: [], name: 'f', initialBalances: [{ currency: 'FST2', balance }] });
    net.request(x, { kind: 'enable-friend', friendPublicKey: y.signer.publicKey });
    net.request(x, { kind: 'set-friend-currency-rate', friendPublicKey: y.signer.publicKey, currency: 'FST', rate: { mul: 0, add: 0 } });
  }
  net.run(a, { kind: 'friend-online', friend: b.signer.publicKey });
  net.run(b, { kind: 'friend-online', friend: a.signer.publicKey });
  net.deliverAll();
  expect([balanceOf(a, b, 'FST'), balanceOf(a, b, 'FST2')]).toEqual([0n, undefined]);
  const f = a.state.friends.get(b.key)!;
  if (f.channel.kind !== 'consistent') throw new Error('consistent expected');
  const mcs = new Map(f.channel.tc.mutualCredits);
  mcs.set('FST', emptyMutualCredit(10n));
  a.state = applyMutation(a.state, { kind: 'set-friend', friend: { ...f, channel: { ...f.channel, tc: { ...f.channel.tc, mutualCredits: mcs } } } });
  net.request(b, { kind: 'set-friend-currency-rate', friendPublicKey: a.signer.publicKey, currency: 'USD', rate: { mul: 0, add: 0 } });
  net.deliverAll();
  return { net, a, b };
}

describe('agreed starting balances of a currency not active yet, through an inconsistency', () => {
  it('are part of both sides\' reset terms and are kept while the channel is broken', () => {
    const { a, b } = brokenBeforeActivation();
    const [ca, cb] = [inconsistent(a, b), inconsistent(b, a)];
    expect(ca.localTerms.balanceForReset).toEqual([{ currency: 'FST', balance: 10n }, { currency: 'FST2', balance: 7n }]);
    expect(cb.localTerms.balanceForReset).toEqual([{ currency: 'FST', balance: 0n }, { currency: 'FST2', balance: -7n }]);
    expect([ca.initialBalances, cb.initialBalances]).toEqual([new Map([['FST2', 7n]]), new Map([['FST2', -7n]])]);
  });

  function resetThenActivate(who: 'a' | 'b', agreed: bigint): { a: TestNode; b: TestNode } {
    const { net, a, b } = brokenBeforeActivation(agreed);
    const [x, y] = who === 'a' ? [a, b] : [b, a];
    const terms = inconsistent(x, y).remoteTerms;
    if (terms === undefined) throw new Error('terms expected');
    net.request(x, { kind: 'reset-friend-channel', friendPublicKey: y.signer.publicKey, resetToken: terms.resetToken });
    net.deliverAll();
    for (const [p, q] of [[a, b], [b, a]] as const) {
      net.request(p, { kind: 'set-friend-currency-rate', friendPublicKey: q.signer.publicKey, currency: 'FST2', rate: { mul: 0, add: 0 } });
    }
    net.deliverAll();
    return { a, b };
  }

  it('apply for any agreed balance, whichever side accepts the other\'s terms', () => {
    const balance = fc.bigInt({ min: -((1n << 127n) - 1n), max: (1n << 127n) - 1n }).filter((x) => x !== 0n);
    fc.assert(fc.property(fc.constantFrom('a' as const, 'b' as const), balance, (who, agreed) => {
      const { a, b } = resetThenActivate(who, agreed);
      expect([channel(a, b).kind, channel(b, a).kind]).toEqual(['consistent', 'consistent']);
      expect([balanceOf(a, b, 'FST2'), balanceOf(b, a, 'FST2')]).toEqual([agreed, -agreed]);
    }), { numRuns: 12 });
  });

  it.each([['A accepts B\'s terms', 'a'], ['B accepts A\'s terms', 'b']] as const)(
    'are settled by the reset, active from then on (%s)', (_title, who) => {
      const { net, a, b } = brokenBeforeActivation();
      const [x, y] = who === 'a' ? [a, b] : [b, a];
      const terms = inconsistent(x, y).remoteTerms;
      if (terms === undefined) throw new Error('terms expected');
      expect(net.request(x, { kind: 'reset-friend-channel', friendPublicKey: y.signer.publicKey, resetToken: terms.resetToken })[0])
        .toMatchObject({ kind: 'ack', error: undefined });
      net.deliverAll();
      expect([channel(a, b).kind, channel(b, a).kind]).toEqual(['consistent', 'consistent']);
      const fst = who === 'a' ? 0n : 10n; // the adopted terms settle FST
      expect([balanceOf(a, b, 'FST'), balanceOf(b, a, 'FST')]).toEqual([fst, -fst]);
      expect([balanceOf(a, b, 'FST2'), balanceOf(b, a, 'FST2')]).toEqual([7n, -7n]);
      for (const [p, q] of [[a, b], [b, a]] as const) {
        net.request(p, { kind: 'set-friend-currency-rate', friendPublicKey: q.signer.publicKey, currency: 'FST2', rate: { mul: 0, add: 0 } });
      }
      net.deliverAll();
      expect([channel(a, b).kind, channel(b, a).kind]).toEqual(['consistent', 'consistent']);
      expect([balanceOf(a, b, 'FST2'), balanceOf(b, a, 'FST2')]).toEqual([7n, -7n]);
      const ch = channel(a, b);
      expect(ch.kind === 'consistent' && ch.tc.initialBalances).toBeUndefined();
    });

  it('survive a snapshot round trip of the inconsistent channel', () => {
    const { a, b } = brokenBeforeActivation();
    const bytes = encode(funderStateCodec, a.state);
    const back = decodeExact(funderStateCodec, bytes);
    if (!back.ok) throw back.error;
    expect(back.value).toEqual(a.state);
    const ch = back.value.friends.get(b.key)?.channel;
    expect(ch?.kind === 'inconsistent' && ch.initialBalances).toEqual(new Map([['FST2', 7n]]));
    expect(encode(funderStateCodec, back.value)).toEqual(bytes);
  });
});
