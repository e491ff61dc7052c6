/** A friend that floods: an enabled friend sending messages as fast as its channel lets it, over
 *  real TCP through a real relay inside a proper secure channel. The node holds at most
 *  MAX_QUEUED_FRIEND_MESSAGES of them at once and stops reading the friend's channel meanwhile
 *  (backpressure through the channeler, the relay and TCP): every message is processed, none is
 *  dropped, and another friend's payment goes through during the flood. (Memory under this
 *  flood, and under a flooding app, is measured by bench/node-flood.bench.ts with a real stnode
 *  process.) */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBackend as crypto } from '../../crypto/backend.node.ts';
import { type Signer, comparePublicKeys, identityFromSeed } from '../../crypto/index.ts';
import { type SecureChannel, secureChannel, systemClock } from '../../net/index.ts';
import { tcpConnect } from '../../net/tcp.node.ts';
import { connectViaRelay } from '../../relay/index.ts';
import { initNodeDatabase, openNodeStore } from '../../store/index.node.ts';
import { MAX_QUEUED_FRIEND_MESSAGES, type RunningNode, encodePeerMessage, startNode } from '../index.ts';
import { Net, type TestNode, balance, connectApp, pay } from './harness.ts';
import { type AppClient, findFriend } from '../../app/index.ts';
import { writeFile } from 'node:fs/promises';
import { formatAppTicket } from '../../files/index.ts';

let net: Net;
let b: TestNode;
let node: RunningNode;
let app: AppClient;
let mallory: Signer;
const logs: string[] = [];
const seed = new Uint8Array(32).fill(41);
const key = identityFromSeed(crypto, seed).publicKey;

beforeAll(async () => {
  net = await Net.create(41);
  b = await net.addNode('B', 42);
  const dir = join(net.dir, 'A');
  await mkdir(join(dir, 'trusted'), { recursive: true });
  await initNodeDatabase(join(dir, 'node.db'), key);
  const appSeed = new Uint8Array(32).fill(43);
  await writeFile(join(dir, 'trusted', 'app.ticket'), formatAppTicket({
    publicKey: identityFromSeed(crypto, appSeed).publicKey, permissions: { buyer: true, seller: true, config: true, routes: true },
  }));
  node = await startNode({
    identitySeed: seed, store: await openNodeStore(join(dir, 'node.db'), { publicKey: key }), crypto, clock: systemClock,
    random: (k) => crypto.randomBytes(k), listenAddress: '127.0.0.1:0', trustedDir: join(dir, 'trusted'),
    indexReportIntervalMs: 20, tickMs: 1000, log: (line) => logs.push(line),
  });
  app = await connectApp(node.appAddress as string, appSeed, key, 43);
  const relay = { publicKey: net.relaySigner.publicKey, address: net.relay.address };
  await app.request({ kind: 'add-relay', relay: { ...relay, name: 'relay' } });
  await app.request({ kind: 'add-index-server', server: { publicKey: net.indexSigner.publicKey, address: net.index.clientAddress, name: 'index' } });
  const a: TestNode = { name: 'A', seed, publicKey: key, dir, address: node.appAddress as string, node, app };
  await net.befriend(a, b, 100n);
  for (let s = 1; ; s++) {
    mallory = identityFromSeed(crypto, new Uint8Array(32).fill(s));
    if (comparePublicKeys(crypto, key, mallory.publicKey) < 0) break; // A listens for Mallory on the relay
  }
  await app.request({ kind: 'add-friend', friendPublicKey: mallory.publicKey, name: 'mallory', relays: [relay], initialBalances: [{ currency: 'FST', balance: 0n }] });
  await app.request({ kind: 'set-friend-currency-max-debt', friendPublicKey: mallory.publicKey, currency: 'FST', remoteMaxDebt: 50n });
  await app.request({ kind: 'open-friend-currency', friendPublicKey: mallory.publicKey, currency: 'FST' });
  await app.request({ kind: 'enable-friend', friendPublicKey: mallory.publicKey });
}, 90_000);

afterAll(async () => {
  app?.close();
  await node?.close();
  await net?.close();
});

async function dial(): Promise<SecureChannel> {
  const relay = { publicKey: net.relaySigner.publicKey, address: net.relay.address };
  for (const deadline = Date.now() + 20_000; ;) {
    try {
      const t = await connectViaRelay(relay, key, { identity: mallory, crypto, clock: systemClock, dial: (x) => tcpConnect(x) });
      return await secureChannel(t, { identity: mallory, crypto, clock: systemClock, expectedRemote: key });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100)); // A may not listen for Mallory yet
    }
  }
}

describe('a flooding friend', () => {
  it(`is held to ${MAX_QUEUED_FRIEND_MESSAGES} messages in the node, has every message processed, and does not stop another friend's payment`, async () => {
    const ch = await dial();
    // FST is the currency of the friendship: the node shows the friend's last FST terms
    const currencies = Array.from({ length: 16 }, (_, i) => ({ currency: i === 0 ? 'FST' : `C${i}`, maxDebt: 1n, isOpen: true }));
    const terms = (i: number): Uint8Array => encodePeerMessage({ kind: 'terms', currencies: currencies.map((c) => ({ ...c, maxDebt: BigInt(i) })) });
    // the node's own count of Mallory's messages in it, sampled on every turn of the event loop
    let sampledMax = 0;
    let sampling = true;
    const sample = (): void => {
      sampledMax = Math.max(sampledMax, node.friendMessages(mallory.publicKey).inNode);
      if (sampling) setImmediate(sample);
    };
    sample();

    let sent = 0;
    let paid = false;
    let behindWhenPaid = 0;
    const flood = (async () => {
      // as fast as the channel accepts, until the payment below is done (and at least 5 000)
      while (!paid || sent < 5_000) {
        const batch: Promise<void>[] = [];
        for (let j = 0; j < 500; j++) batch.push(ch.send(terms(sent + j)));
        await Promise.all(batch);
        sent += batch.length;
      }
    })();
    let outcome: Awaited<ReturnType<typeof pay>>;
    try {
      await until(() => node.friendMessages(mallory.publicKey).peakInNode >= MAX_QUEUED_FRIEND_MESSAGES, 'the flood to fill its place in the node');
      // during the flood: the app is answered and a payment to the honest friend goes through
      await app.request({ kind: 'set-accept-auto-collect', accept: true });
      outcome = await pay({ name: 'A', seed, publicKey: key, dir: '', address: '', node, app }, b.publicKey, 10n);
      behindWhenPaid = sent - node.friendMessages(mallory.publicKey).processed;
    } finally {
      paid = true; // the flood stops (at least 5 000 sent)
    }
    await flood;
    expect(outcome.kind).toBe('receipt');
    expect(balance(app, b.publicKey)).toBe(-10n);

    // every message the flooder got written is processed: nothing dropped
    try {
      await until(() => node.friendMessages(mallory.publicKey).processed === sent, 'every flooded message processed');
    } finally {
      sampling = false;
    }
    const stats = node.friendMessages(mallory.publicKey);
    expect(stats).toEqual({ processed: sent, inNode: 0, peakInNode: MAX_QUEUED_FRIEND_MESSAGES });
    expect(sampledMax).toBeLessThanOrEqual(MAX_QUEUED_FRIEND_MESSAGES);
    expect(behindWhenPaid).toBeGreaterThan(0); // the payment went through while Mallory's messages waited
    expect(logs.filter((l) => /dropped/.test(l))).toEqual([]);
    // processed in order: the terms the node shows are the last ones sent
    const shown = findFriend(node.report(), mallory.publicKey)?.currencies.find((c) => c.currency === 'FST');
    expect(shown?.localMaxDebt).toBe(BigInt(sent - 1));
    ch.close();
  }, 90_000);
});

/** Polls with a bounded deadline (the flood crosses real sockets). */
async function until(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
