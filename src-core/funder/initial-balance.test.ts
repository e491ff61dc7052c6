import { describe, expect, it } from 'vitest';
import { nodeBackend } from '../crypto/backend.node.ts';
import { decodeExact, encode } from '../codec/index.ts';
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
