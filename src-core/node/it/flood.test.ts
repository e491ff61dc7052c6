/** A friend that floods: an enabled friend sending messages as fast as its channel lets it, over
 *  real TCP through a real relay inside a proper secure channel. The node holds at most
 *  MAX_QUEUED_FRIEND_MESSAGES of them waiting and drops the rest (saying so in its log), keeps
 *  answering its app, and still pays an honest friend afterwards. (Memory under this flood, and
 *  under a flooding app, is measured by bench/node-flood.bench.ts with a real stnode process.) */
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
import type { AppClient } from '../../app/index.ts';
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
  it(`gets at most ${MAX_QUEUED_FRIEND_MESSAGES} messages queued; the rest are dropped and the node goes on`, async () => {
    const ch = await dial();
    const currencies = Array.from({ length: 16 }, (_, i) => ({ currency: `C${i}`, maxDebt: 1n, isOpen: true }));
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 20_000; i++) {
      sends.push(ch.send(encodePeerMessage({ kind: 'terms', currencies: currencies.map((c) => ({ ...c, maxDebt: BigInt(i) })) })));
      if (i % 2_000 === 1_999) await Promise.all(sends.splice(0));
    }
    await Promise.all(sends);
    // the node's app is answered once the queue has drained; the flood was noticed
    await app.request({ kind: 'set-accept-auto-collect', accept: true });
    expect(logs.some((l) => /flooding, \d+ messages dropped/.test(l))).toBe(true);
    ch.close();
    const outcome = await pay({ name: 'A', seed, publicKey: key, dir: '', address: '', node, app }, b.publicKey, 10n);
    expect(outcome.kind).toBe('receipt');
    expect(balance(app, b.publicKey)).toBe(-10n);
  }, 90_000);
});
