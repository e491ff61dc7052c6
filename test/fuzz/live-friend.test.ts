/** A running node under a hostile friend, over real TCP through a real relay: Mallory is an
 *  enabled friend of A with an open currency and speaks mutated peer messages (funder messages,
 *  move tokens, credit terms) inside a proper end-to-end secure channel. A must never stop, keep
 *  its other friend B's channel and balances exact, and still pay B afterwards. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBackend as crypto } from '../../src-core/crypto/backend.node.ts';
import { type Signer, comparePublicKeys, identityFromSeed } from '../../src-core/crypto/index.ts';
import { type SecureChannel, secureChannel, systemClock } from '../../src-core/net/index.ts';
import { tcpConnect } from '../../src-core/net/tcp.node.ts';
import { peerMessageCodec } from '../../src-core/node/index.ts';
import { Net, type TestNode, balance, pay, until } from '../../src-core/node/it/harness.ts';
import { connectViaRelay } from '../../src-core/relay/index.ts';
import { findFriend } from '../../src-core/app/index.ts';
import { validSeeds } from './gen-reader.ts';
import { fuzzConfig, fuzzTimeout } from './harness.ts';
import { mutateBytes } from './mutate.ts';
import { prng, seedFor } from './prng.ts';

const cfg = fuzzConfig();
let net: Net;
let a: TestNode;
let b: TestNode;
let mallory: Signer;

beforeAll(async () => {
  net = await Net.create(33);
  a = await net.addNode('A', 71);
  b = await net.addNode('B', 72);
  await net.befriend(a, b, 100n);
  // a Mallory whose key sorts above A's, so A listens for it on the relay and Mallory dials in
  for (let s = 1; ; s++) {
    mallory = identityFromSeed(crypto, new Uint8Array(32).fill(s));
    if (comparePublicKeys(crypto, a.publicKey, mallory.publicKey) < 0) break;
  }
  const relay = { publicKey: net.relaySigner.publicKey, address: net.relay.address };
  await a.app.request({ kind: 'add-friend', friendPublicKey: mallory.publicKey, name: 'mallory', relays: [relay], initialBalances: [{ currency: 'FST', balance: 0n }] });
  await a.app.request({ kind: 'set-friend-currency-max-debt', friendPublicKey: mallory.publicKey, currency: 'FST', remoteMaxDebt: 50n });
  await a.app.request({ kind: 'open-friend-currency', friendPublicKey: mallory.publicKey, currency: 'FST' });
  await a.app.request({ kind: 'enable-friend', friendPublicKey: mallory.publicKey });
}, 90_000);
afterAll(async () => { await net?.close(); });

async function dialA(): Promise<SecureChannel> {
  const relay = { publicKey: net.relaySigner.publicKey, address: net.relay.address };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const t = await connectViaRelay(relay, a.publicKey, { identity: mallory, crypto, clock: systemClock, dial: (x) => tcpConnect(x) });
      return await secureChannel(t, { identity: mallory, crypto, clock: systemClock, expectedRemote: a.publicKey });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100)); // A may not be listening for Mallory yet
    }
  }
}

describe('fuzz: a hostile friend', () => {
  it('cannot stop a node nor touch its other friends; payments still go through', async () => {
    const r = prng(seedFor(cfg.runSeed, 'live-friend'));
    const seeds = validSeeds(peerMessageCodec, r, 48);
    const iterations = Math.ceil(200 * Math.min(cfg.scale, 50));
    let ch = await dialA();
    let reconnects = 0;
    for (let i = 0; i < iterations; i++) {
      if (ch.closeReason !== undefined) { ch = await dialA(); reconnects++; }
      const input = r.chance(0.05) ? r.bytes(r.below(100)) : mutateBytes(r, r.pick(seeds), r.pick(seeds)).bytes;
      await ch.send(input).catch(() => {});
      if (i % 25 === 24) {
        // A answers its app between bursts: it is alive and its event loop is not stuck
        await a.app.request({ kind: 'set-accept-auto-collect', accept: true });
        await new Promise((res) => setTimeout(res, 20));
      }
    }
    ch.close();
    console.log(JSON.stringify({ fuzz: 'live-friend', seed: cfg.runSeed, iterations, reconnects, mallory: findFriend(a.app.report, mallory.publicKey)?.channel.kind }));
    expect(a.app.isClosed).toBe(false);
    expect(balance(a.app, b.publicKey)).toBe(0n);
    expect(balance(b.app, a.publicKey)).toBe(0n);
    const outcome = await pay(a, b.publicKey, 10n);
    expect(outcome.kind).toBe('receipt');
    await until(a.app, () => balance(a.app, b.publicKey) === -10n, 'A to see -10 with B');
    await until(b.app, () => balance(b.app, a.publicKey) === 10n, 'B to see 10 with A');
    // Mallory moved nothing: whatever its channel's state, no credit came from it
    expect(findFriend(a.app.report, mallory.publicKey)?.currencies.find((c) => c.currency === 'FST')?.balance ?? 0n).toBe(0n);
  }, fuzzTimeout(cfg, 120_000));
});
