/** End-to-end payments through real nodes: every program a separate process (strelay, stindex,
 *  one stnode per node), loopback TCP, friends reached through the relay; the buyer's app drives
 *  its node over the app protocol from this process.
 *  node.payment_p50_ms / p99_ms.<N>hop: one payment at a time (quote, pay, receipt, ack).
 *  node.payments_per_s.<N>hop: 8 payments in flight, routes quoted once.
 *  <N>hop = nodes on the route: 2hop = buyer and seller are friends; 4hop = B→C→D→E. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppClient, type PaymentPlan, ackPayment, executePayment, findFriend } from '../src-core/app/index.ts';
import { nodeBackend as crypto } from '../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../src-core/crypto/index.ts';
import { formatAppTicket, formatIdent, identFromSeed } from '../src-core/files/index.ts';
import { initNodeDatabase } from '../src-core/store/index.node.ts';
import { ALL, connectApp, quote, until } from '../src-core/node/it/harness.ts';
import { type Background, background, freePort } from '../src-core/node/it/procs.ts';
import { type BenchContext, percentile } from './figure.ts';

interface BenchNode { readonly publicKey: Uint8Array; readonly bg: Background; readonly app: AppClient }

async function identFile(path: string, seed: Uint8Array): Promise<Uint8Array> {
  await writeFile(path, formatIdent(identFromSeed(crypto, seed)), { mode: 0o600 });
  return identityFromSeed(crypto, seed).publicKey;
}

async function startNodeProc(dir: string, name: string): Promise<BenchNode> {
  const seed = crypto.randomBytes(32);
  const appSeed = crypto.randomBytes(32);
  await mkdir(join(dir, name, 'trusted'), { recursive: true });
  const publicKey = await identFile(join(dir, name, 'node.ident'), seed);
  await initNodeDatabase(join(dir, name, 'node.db'), publicKey);
  await writeFile(join(dir, name, 'trusted', 'app.ticket'), formatAppTicket({ publicKey: identityFromSeed(crypto, appSeed).publicKey, permissions: ALL }));
  const port = await freePort();
  const bg = await background(`stnode --database ${name}/node.db --idfile ${name}/node.ident --laddr 127.0.0.1:${port} --trusted ${name}/trusted`, dir, /listening/);
  return { publicKey, bg, app: await connectApp(`127.0.0.1:${port}`, appSeed, publicKey) };
}

async function befriend(x: BenchNode, y: BenchNode, relay: { publicKey: Uint8Array; address: string }): Promise<void> {
  for (const [a, b] of [[x, y], [y, x]] as const) {
    await a.app.request({ kind: 'add-friend', friendPublicKey: b.publicKey, name: 'f', relays: [relay], initialBalances: [] });
    await a.app.request({ kind: 'set-friend-currency-max-debt', friendPublicKey: b.publicKey, currency: 'FST', remoteMaxDebt: 1n << 60n });
    await a.app.request({ kind: 'open-friend-currency', friendPublicKey: b.publicKey, currency: 'FST' });
    await a.app.request({ kind: 'enable-friend', friendPublicKey: b.publicKey });
  }
  for (const [a, b] of [[x, y], [y, x]] as const) {
    await until(a.app, (r) => findFriend(r, b.publicKey)?.online === true && findFriend(r, b.publicKey)?.currencies.some((c) => c.remoteRequestsOpen) === true, 'friends online');
  }
}

async function payOnce(buyer: BenchNode, dest: Uint8Array, plan: PaymentPlan, amount: bigint): Promise<void> {
  const paymentId = crypto.randomBytes(16);
  const out = await executePayment(buyer.app, {
    paymentId, invoiceId: crypto.randomBytes(32), currency: 'FST', totalDestPayment: amount, destPublicKey: dest, autoCollect: true,
  }, plan, (k) => crypto.randomBytes(k));
  if (out.kind !== 'receipt') throw new Error(`payment ended ${out.kind}`);
  await ackPayment(buyer.app, paymentId, out.ackUid);
}

async function measure(ctx: BenchContext, hops: number, chain: BenchNode[]): Promise<void> {
  const buyer = chain[0] as BenchNode;
  const dest = (chain[chain.length - 1] as BenchNode).publicKey;
  const plan = await quote(buyer, dest, 1n, 60_000);
  for (let i = 0; i < 5; i++) await payOnce(buyer, dest, plan, 1n); // warm-up
  const latencies: number[] = [];
  const n = ctx.quick ? 20 : 100;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await payOnce(buyer, dest, await quote(buyer, dest, 1n), 1n);
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  ctx.report({ figure: `node.payment_p50_ms.${hops}hop`, value: Math.round(percentile(latencies, 50) * 10) / 10, unit: 'ms', n });
  ctx.report({ figure: `node.payment_p99_ms.${hops}hop`, value: Math.round(percentile(latencies, 99) * 10) / 10, unit: 'ms', n });
  const total = ctx.quick ? 40 : 200;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < total) { next++; await payOnce(buyer, dest, plan, 1n); }
  }));
  ctx.report({ figure: `node.payments_per_s.${hops}hop`, value: Math.round((total * 1000) / (performance.now() - t0) * 10) / 10, unit: 'payments/s', n: total, inFlight: 8 });
}

export async function run(ctx: BenchContext): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'offset-node-bench-'));
  const procs: Background[] = [];
  const nodes: BenchNode[] = [];
  try {
    const relayKey = await identFile(join(dir, 'relay.ident'), crypto.randomBytes(32));
    const relayPort = await freePort();
    procs.push(await background(`strelay --idfile relay.ident --laddr 127.0.0.1:${relayPort}`, dir, /listening/));
    const indexKey = await identFile(join(dir, 'index.ident'), crypto.randomBytes(32));
    const [lclient, lserver] = [await freePort(), await freePort()];
    procs.push(await background(`stindex --idfile index.ident --lclient 127.0.0.1:${lclient} --lserver 127.0.0.1:${lserver}`, dir, /listening/));
    const relay = { publicKey: relayKey, address: `127.0.0.1:${relayPort}` };
    for (const name of ['B', 'C', 'D', 'E']) {
      const nd = await startNodeProc(dir, name);
      nodes.push(nd);
      await nd.app.request({ kind: 'add-relay', relay: { ...relay, name: 'relay' } });
      await nd.app.request({ kind: 'add-index-server', server: { publicKey: indexKey, address: `127.0.0.1:${lclient}`, name: 'index' } });
    }
    const [b, c, d, e] = nodes as [BenchNode, BenchNode, BenchNode, BenchNode];
    await befriend(b, c, relay);
    await befriend(c, d, relay);
    await befriend(d, e, relay);
    await measure(ctx, 2, [b, c]);
    await measure(ctx, 4, [b, c, d, e]);
  } finally {
    for (const nd of nodes) { nd.app.close(); await nd.bg.stop('SIGTERM'); }
    for (const p of procs) await p.stop('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}
