import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppClient, AppConnectionClosedError, transportPair } from '../app/index.ts';
import { nodeBackend as crypto } from '../crypto/backend.node.ts';
import { identityFromSeed, seededRandom } from '../crypto/index.ts';
import { formatAppTicket } from '../files/index.ts';
import { secureChannel, systemClock } from '../net/index.ts';
import { tcpConnect } from '../net/tcp.node.ts';
import { startRelayServer } from '../relay/server.node.ts';
import { type NodeStore, initNodeDatabase, openNodeStore } from '../store/index.node.ts';
import { type RunningNode, startNode } from './node.ts';

const seed = new Uint8Array(32).fill(41);
const me = identityFromSeed(crypto, seed);
const appSeed = new Uint8Array(32).fill(42);
const ALL = { buyer: true, seller: true, config: true, routes: true };
const relay = { publicKey: identityFromSeed(crypto, new Uint8Array(32).fill(43)).publicKey, address: '127.0.0.1:9', name: 'r' };

let dir = '';
const open: RunningNode[] = [];
afterEach(async () => {
  for (const n of open.splice(0)) await n.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

async function start(listen = false, wrap: (s: NodeStore) => NodeStore = (s) => s, log?: (line: string) => void): Promise<RunningNode> {
  const store = wrap(await openNodeStore(join(dir, 'n.db'), { publicKey: me.publicKey }));
  const node = await startNode({
    identitySeed: seed, store, crypto, clock: systemClock, random: (n) => crypto.randomBytes(n),
    ...(listen ? { listenAddress: '127.0.0.1:0', trustedDir: join(dir, 'trusted') } : {}),
    ...(log !== undefined ? { log } : {}),
  });
  open.push(node);
  return node;
}

async function local(node: RunningNode): Promise<AppClient> {
  const [ours, theirs] = transportPair();
  const attached = node.attachApp(theirs, ALL);
  const client = await AppClient.connect(ours, { random: seededRandom(5) });
  await attached;
  return client;
}

async function overTcp(address: string): Promise<AppClient> {
  const raw = await tcpConnect(address);
  const ch = await secureChannel(raw, { identity: identityFromSeed(crypto, appSeed), crypto, clock: systemClock, expectedRemote: me.publicKey });
  return AppClient.connect(ch, { random: seededRandom(6) });
}

describe('a node engine in-process (the wallet\'s local card)', () => {
  it('serves an attached app without any TCP listener, and keeps its changes across a restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'node-engine-'));
    await initNodeDatabase(join(dir, 'n.db'), me.publicKey);
    const node = await start();
    expect(node.appAddress).toBeUndefined();
    const app = await local(node);
    await app.request({ kind: 'add-relay', relay });
    expect(app.report.relays).toEqual([relay]);
    await app.request({ kind: 'add-index-server', server: { ...relay, name: 'i' } });
    const keys = [7, 3, 9, 5].map((i) => identityFromSeed(crypto, new Uint8Array(32).fill(i)).publicKey);
    for (const [i, k] of keys.entries()) await app.request({ kind: 'add-friend', friendPublicKey: k, name: `f${i}`, relays: [], initialBalances: [] });
    await app.request({ kind: 'remove-friend', friendPublicKey: keys[1] as Uint8Array });
    const names = ['f0', 'f2', 'f3'];
    expect(app.report.friends.map((f) => f.name)).toEqual(names);
    app.close();
    await node.close();
    open.length = 0;
    const again = await start();
    expect(again.report().relays).toEqual([relay]);
    expect(again.report().indexServers.map((s) => s.name)).toEqual(['i']);
    expect(again.report().friends.map((f) => f.name)).toEqual(names); // the order they were added
  });

  it('reports the relays it listens on: a real relay once reached, none once it stops', async () => {
    dir = await mkdtemp(join(tmpdir(), 'node-engine-'));
    await initNodeDatabase(join(dir, 'n.db'), me.publicKey);
    const relayId = identityFromSeed(crypto, new Uint8Array(32).fill(44));
    const server = await startRelayServer({ identity: relayId, crypto, clock: systemClock, laddr: '127.0.0.1:0' });
    const node = await start();
    const app = await local(node);
    const listening = (want: boolean): Promise<void> => new Promise((resolve) => {
      const check = (): boolean => (app.report.connectedRelays?.length === 1) === want;
      if (check()) { resolve(); return; }
      const sub = app.onDidChangeReport(() => { if (check()) { sub.dispose(); resolve(); } });
    });
    await app.request({ kind: 'add-relay', relay: { publicKey: relayId.publicKey, address: server.address, name: 'real' } });
    await listening(true);
    expect(app.report.connectedRelays).toEqual([relayId.publicKey]);
    await server.close();
    await listening(false);
    expect(node.report().connectedRelays).toBeUndefined();
  });

  it('turns command-line access on and off; the attached app is not affected', async () => {
    dir = await mkdtemp(join(tmpdir(), 'node-engine-'));
    await initNodeDatabase(join(dir, 'n.db'), me.publicKey);
    await mkdir(join(dir, 'trusted'));
    await writeFile(join(dir, 'trusted', 'app.ticket'), formatAppTicket({ publicKey: identityFromSeed(crypto, appSeed).publicKey, permissions: ALL }));
    const node = await start();
    const app = await local(node);
    const address = await node.listen('127.0.0.1:0', join(dir, 'trusted'));
    expect(node.appAddress).toBe(address);
    const remote = await overTcp(address);
    await remote.request({ kind: 'add-relay', relay });
    await node.stopListening();
    expect(await remote.closed).toBeInstanceOf(AppConnectionClosedError);
    await expect(tcpConnect(address)).rejects.toThrow();
    await app.request({ kind: 'remove-relay', publicKey: relay.publicKey });
    expect(app.report.relays).toEqual([]);
  });

  it('brings the report up to date once for the requests one flush made durable; each ack sees its own change', async () => {
    dir = await mkdtemp(join(tmpdir(), 'node-engine-'));
    await initNodeDatabase(join(dir, 'n.db'), me.publicKey);
    const node = await start();
    const app = await local(node);
    let changes = 0;
    app.onDidChangeReport(() => { changes++; });
    const ids = Array.from({ length: 30 }, (_, i) => new Uint8Array(32).fill(i + 1));
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    await Promise.all(ids.map(async (invoiceId) => {
      await app.request({ kind: 'add-invoice', invoiceId, currency: 'FST', totalDestPayment: 5n });
      expect(app.report.openInvoices.map((x) => hex(x.invoiceId))).toContain(hex(invoiceId));
    }));
    expect(app.report.openInvoices).toHaveLength(30);
    // one report change per request before the refreshes were shared
    expect(changes).toBeGreaterThan(0);
    expect(changes).toBeLessThan(10);
  });

  it('journals a step and answers it even when its history rows cannot be derived (a bug there), and says so', async () => {
    dir = await mkdtemp(join(tmpdir(), 'node-engine-'));
    await initNodeDatabase(join(dir, 'n.db'), me.publicKey);
    const logs: string[] = [];
    // a payment's row is built on the last row under its id: make that lookup fail
    const failingHistory = (s: NodeStore): NodeStore => new Proxy(s, {
      get(target, key) {
        if (key === 'historyRow') return () => { throw new Error('history lookup broke'); };
        const v: unknown = Reflect.get(target, key);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const node = await start(false, failingHistory, (line) => logs.push(line));
    const app = await local(node);
    const paymentId = new Uint8Array(16).fill(7);
    await app.request({
      kind: 'create-payment', paymentId, invoiceId: new Uint8Array(32).fill(8), currency: 'FST', totalDestPayment: 5n,
      destPublicKey: new Uint8Array(32).fill(9), autoCollect: true,
    });
    expect(app.report.openPayments.map((p) => Buffer.from(p.paymentId).toString('hex'))).toEqual(['07'.repeat(16)]);
    expect(logs.some((l) => l.includes('history rows of a step not written: history lookup broke'))).toBe(true);
    expect(node.queryHistory({ kind: 'payment' })).toEqual([]);
    // the payment itself was journaled: it is still there after a restart
    app.close();
    await node.close();
    open.splice(0);
    const again = await local(await start());
    expect(again.report.openPayments).toHaveLength(1);
  });
});
