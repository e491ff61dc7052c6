/** An in-process network for the node's integration tests: a real relay and index server on
 *  127.0.0.1, real nodes (startNode) with real sql.js stores in a temp dir, and apps connected
 *  over TCP and the secure channel. Waits are on report changes, bounded by a deadline. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppClient, type FriendCurrencyReport, type NodeReport, type PaymentOutcome, executePayment, findFriend, quotePayment,
  type PaymentPlan,
} from '../../app/index.ts';
import { nodeBackend as crypto } from '../../crypto/backend.node.ts';
import { type Signer, identityFromSeed, seededRandom } from '../../crypto/index.ts';
import { formatAppTicket, type AppPermissions } from '../../files/index.ts';
import { listenIndexServer, type RunningIndexServer } from '../../index/server.node.ts';
import { secureChannel, systemClock } from '../../net/index.ts';
import { tcpConnect } from '../../net/tcp.node.ts';
import type { Rate } from '../../proto/index.ts';
import { type RelayServer, startRelayServer } from '../../relay/server.node.ts';
import { initNodeDatabase, openNodeStore } from '../../store/index.node.ts';
import { type RunningNode, startNode } from '../index.ts';

export const ALL: AppPermissions = { buyer: true, seller: true, config: true, routes: true };

export interface TestNode {
  readonly name: string;
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly dir: string;
  /** Where its app listener is bound. */
  readonly address: string;
  node: RunningNode;
  app: AppClient;
}

export class Net {
  readonly nodes: TestNode[] = [];
  private closers: (() => Promise<void>)[] = [];
  private constructor(readonly dir: string, readonly relay: RelayServer, readonly index: RunningIndexServer, readonly relaySigner: Signer,
    readonly indexSigner: Signer) {}

  static async create(seed: number): Promise<Net> {
    const dir = await mkdtemp(join(tmpdir(), 'offset-node-it-'));
    const relaySigner = identityFromSeed(crypto, new Uint8Array(32).fill(200 + (seed % 50)));
    const indexSigner = identityFromSeed(crypto, new Uint8Array(32).fill(150 + (seed % 50)));
    const relay = await startRelayServer({ identity: relaySigner, crypto, clock: systemClock, laddr: '127.0.0.1:0' });
    const index = await listenIndexServer({ identity: indexSigner, crypto, trusted: [], clientAddress: '127.0.0.1:0', serverAddress: '127.0.0.1:0' });
    return new Net(dir, relay, index, relaySigner, indexSigner);
  }

  /** A node with a relay and the index server configured, and an app with every permission. */
  async addNode(name: string, n: number): Promise<TestNode> {
    const seed = new Uint8Array(32).fill(0);
    new DataView(seed.buffer).setUint32(0, n + 1);
    seed[31] = 7;
    const signer = identityFromSeed(crypto, seed);
    const dir = join(this.dir, name);
    await mkdir(join(dir, 'trusted'), { recursive: true });
    await initNodeDatabase(join(dir, 'node.db'), signer.publicKey);
    const appSeed = new Uint8Array(32).fill(n + 1);
    const appSigner = identityFromSeed(crypto, appSeed);
    await writeFile(join(dir, 'trusted', 'app.ticket'), formatAppTicket({ publicKey: appSigner.publicKey, permissions: ALL }));
    const node = await this.start(seed, dir);
    const address = node.appAddress as string; // started with a listenAddress
    const app = await connectApp(address, appSeed, signer.publicKey, n);
    const t: TestNode = { name, seed, publicKey: signer.publicKey, dir, address, node, app };
    this.nodes.push(t);
    await app.request({ kind: 'add-relay', relay: { publicKey: this.relaySigner.publicKey, address: this.relay.address, name: 'relay' } });
    await app.request({ kind: 'add-index-server', server: { publicKey: this.indexSigner.publicKey, address: this.index.clientAddress, name: 'index' } });
    return t;
  }

  async start(seed: Uint8Array, dir: string): Promise<RunningNode> {
    const signer = identityFromSeed(crypto, seed);
    const store = await openNodeStore(join(dir, 'node.db'), { publicKey: signer.publicKey });
    return startNode({
      identitySeed: seed, store, crypto, clock: systemClock, random: (k) => crypto.randomBytes(k),
      listenAddress: '127.0.0.1:0', trustedDir: join(dir, 'trusted'), indexReportIntervalMs: 20, tickMs: 1000,
    });
  }

  /** Friends both ways with `maxDebt` granted each way, open, and each side's rate for the other. */
  async befriend(a: TestNode, b: TestNode, maxDebt: bigint, rates: { a?: Rate; b?: Rate } = {}): Promise<void> {
    for (const [x, y, rate] of [[a, b, rates.a], [b, a, rates.b]] as const) {
      await x.app.request({ kind: 'add-friend', friendPublicKey: y.publicKey, name: y.name, relays: [{ publicKey: this.relaySigner.publicKey, address: this.relay.address }], initialBalances: [{ currency: 'FST', balance: 0n }] });
      await x.app.request({ kind: 'set-friend-currency-max-debt', friendPublicKey: y.publicKey, currency: 'FST', remoteMaxDebt: maxDebt });
      if (rate !== undefined) await x.app.request({ kind: 'set-friend-currency-rate', friendPublicKey: y.publicKey, currency: 'FST', rate });
      await x.app.request({ kind: 'open-friend-currency', friendPublicKey: y.publicKey, currency: 'FST' });
      await x.app.request({ kind: 'enable-friend', friendPublicKey: y.publicKey });
    }
    for (const [x, y] of [[a, b], [b, a]] as const) {
      await until(x.app, (r) => {
        const f = findFriend(r, y.publicKey);
        return f?.online === true && f.currencies.some((c) => c.remoteRequestsOpen && c.localMaxDebt === maxDebt);
      }, `${x.name} to see ${y.name} online and open`);
    }
  }

  async close(): Promise<void> {
    for (const t of this.nodes) { t.app.close(); await t.node.close(); }
    await this.index.close();
    await this.relay.close();
    for (const c of this.closers) await c();
    await rm(this.dir, { recursive: true, force: true });
  }
}

export async function connectApp(address: string, appSeed: Uint8Array, nodeKey: Uint8Array, n = 0): Promise<AppClient> {
  const raw = await tcpConnect(address);
  const ch = await secureChannel(raw, { identity: identityFromSeed(crypto, appSeed), crypto, clock: systemClock, expectedRemote: nodeKey });
  return AppClient.connect(ch, { random: seededRandom(9000 + n * 7919 + Number(crypto.randomBytes(2)[0])) });
}

/** Resolves once `pred` holds for the app's report; fails after `ms`. */
export function until(app: AppClient, pred: (r: NodeReport) => boolean, what: string, ms = 30_000): Promise<void> {
  if (pred(app.report)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out waiting for ${what}`)); }, ms);
    const sub = app.onDidChangeReport(({ report }) => {
      if (!pred(report)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

export function fst(app: AppClient, friend: Uint8Array): FriendCurrencyReport | undefined {
  return findFriend(app.report, friend)?.currencies.find((c) => c.currency === 'FST');
}
export const balance = (app: AppClient, friend: Uint8Array): bigint | undefined => fst(app, friend)?.balance;

/** Quotes (retrying while the index server has not yet heard every capacity), then pays. */
export async function quote(buyer: { readonly app: AppClient }, dest: Uint8Array, amount: bigint, ms = 30_000): Promise<PaymentPlan> {
  const end = Date.now() + ms;
  for (;;) {
    const q = await quotePayment(buyer.app, { destination: dest, currency: 'FST', amount });
    if (q.ok) return q.value;
    if (Date.now() > end) throw new Error(`no route for ${amount}: ${q.error.kind}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function pay(buyer: TestNode, dest: Uint8Array, amount: bigint, plan?: PaymentPlan): Promise<PaymentOutcome> {
  const p = plan ?? await quote(buyer, dest, amount);
  return executePayment(buyer.app, {
    paymentId: crypto.randomBytes(16), invoiceId: crypto.randomBytes(32), currency: 'FST', totalDestPayment: amount,
    destPublicKey: dest, autoCollect: true,
  }, p, (k) => crypto.randomBytes(k));
}

/** One side of a friendship made through the app protocol, as the wallet's tests make it: the
 *  relay and index server added, the friend added in FST at 0 with a max debt, opened, enabled. */
export async function befriendByApp(
  app: AppClient, friend: Uint8Array, name: string,
  servers: { readonly relay: { publicKey: Uint8Array; address: string }; readonly index: { publicKey: Uint8Array; address: string } },
  maxDebt = 100n,
): Promise<void> {
  await app.request({ kind: 'add-relay', relay: { ...servers.relay, name: 'relay' } });
  await app.request({ kind: 'add-index-server', server: { ...servers.index, name: 'index' } });
  await app.request({ kind: 'add-friend', friendPublicKey: friend, name, relays: [servers.relay], initialBalances: [{ currency: 'FST', balance: 0n }] });
  await app.request({ kind: 'set-friend-currency-max-debt', friendPublicKey: friend, currency: 'FST', remoteMaxDebt: maxDebt });
  await app.request({ kind: 'open-friend-currency', friendPublicKey: friend, currency: 'FST' });
  await app.request({ kind: 'enable-friend', friendPublicKey: friend });
}
