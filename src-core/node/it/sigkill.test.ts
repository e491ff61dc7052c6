/** Killing a node with SIGKILL at random points during a stream of payments and restarting it
 *  loses no credit and leaves no payment stuck: every payment ends in success or cancel, and the
 *  balances of the two friends mirror each other and equal the sum of the successful payments.
 *  Two real stnode processes; the relay and the index server run in the test process. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppClient, AppConnectionClosedError, type PaymentStatus, ackPayment, executePayment, findFriend } from '../../app/index.ts';
import { nodeBackend as crypto } from '../../crypto/backend.node.ts';
import { identityFromSeed, seededRandom } from '../../crypto/index.ts';
import { formatAppTicket, formatIdent, identFromSeed } from '../../files/index.ts';
import { initNodeDatabase } from '../../store/index.node.ts';
import { ALL, Net, connectApp, quote, until } from './harness.ts';
import { type Background, background, freePort } from './procs.ts';

interface Proc {
  readonly name: string;
  readonly seed: Uint8Array;
  readonly appSeed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly port: number;
  bg: Background;
  app: AppClient;
}

let net: Net | undefined;
const procs: Proc[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) { p.app.close(); await p.bg.stop('SIGKILL'); }
  await net?.close();
  net = undefined;
});

async function launch(p: Omit<Proc, 'bg' | 'app'>, dir: string): Promise<{ bg: Background; app: AppClient }> {
  const bg = await background(
    `stnode --database ${p.name}/node.db --idfile ${p.name}/node.ident --laddr 127.0.0.1:${p.port} --trusted ${p.name}/trusted`, dir, /listening/);
  const app = await connectApp(`127.0.0.1:${p.port}`, p.appSeed, p.publicKey);
  return { bg, app };
}

async function makeProc(name: string, n: number, dir: string): Promise<Proc> {
  const seed = new Uint8Array(32).fill(0);
  seed[0] = n;
  seed[31] = 3;
  const appSeed = new Uint8Array(32).fill(100 + n);
  const publicKey = identityFromSeed(crypto, seed).publicKey;
  await mkdir(join(dir, name, 'trusted'), { recursive: true });
  await writeFile(join(dir, name, 'node.ident'), formatIdent(identFromSeed(crypto, seed)));
  await initNodeDatabase(join(dir, name, 'node.db'), publicKey);
  await writeFile(join(dir, name, 'trusted', 'app.ticket'), formatAppTicket({ publicKey: identityFromSeed(crypto, appSeed).publicKey, permissions: ALL }));
  const base = { name, seed, appSeed, publicKey, port: await freePort() };
  const p: Proc = { ...base, ...(await launch(base, dir)) };
  procs.push(p);
  return p;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e); });
  });
}

async function runSeed(seedNo: number): Promise<void> {
  net = await Net.create(seedNo);
  const dir = net.dir;
  const rnd = seededRandom(seedNo);
  const pick = (n: number): number => (rnd(1)[0] as number) % n;
  const a = await makeProc('A', 1, dir);
  const b = await makeProc('B', 2, dir);
  const relay = { publicKey: net.relaySigner.publicKey, address: net.relay.address };
  const index = { publicKey: net.indexSigner.publicKey, address: net.index.clientAddress };
  for (const [x, y] of [[a, b], [b, a]] as const) {
    await x.app.request({ kind: 'add-relay', relay: { ...relay, name: 'relay' } });
    await x.app.request({ kind: 'add-index-server', server: { ...index, name: 'index' } });
    await x.app.request({ kind: 'add-friend', friendPublicKey: y.publicKey, name: y.name, relays: [relay], initialBalances: [{ currency: 'FST', balance: 0n }] });
    await x.app.request({ kind: 'set-friend-currency-max-debt', friendPublicKey: y.publicKey, currency: 'FST', remoteMaxDebt: 10_000n });
    await x.app.request({ kind: 'open-friend-currency', friendPublicKey: y.publicKey, currency: 'FST' });
    await x.app.request({ kind: 'enable-friend', friendPublicKey: y.publicKey });
  }

  const restart = async (p: Proc): Promise<void> => {
    p.app.close();
    const r = await launch(p, dir);
    p.bg = r.bg;
    p.app = r.app;
  };

  const payments: { id: Uint8Array; amount: bigint; status: 'success' | 'canceled' | 'unknown' }[] = [];
  const total = 8;
  const killAt = new Set([1 + pick(3), 4 + pick(3)]);
  for (let i = 0; i < total; i++) {
    const amount = BigInt(1 + pick(9));
    const plan = await quote(a, b.publicKey, amount, 60_000);
    const id = crypto.randomBytes(16);
    const entry = { id, amount, status: 'unknown' as 'success' | 'canceled' | 'unknown' };
    payments.push(entry);
    const paying = executePayment(a.app, {
      paymentId: id, invoiceId: crypto.randomBytes(32), currency: 'FST', totalDestPayment: amount, destPublicKey: b.publicKey, autoCollect: true,
    }, plan, (k) => crypto.randomBytes(k));
    paying.catch(() => {});
    if (killAt.has(i)) {
      const victim = pick(2) === 0 ? a : b;
      await new Promise((r) => setTimeout(r, pick(40))); // a random point in the payment's life
      victim.bg.child.kill('SIGKILL');
      await victim.bg.exited;
      await restart(victim);
    }
    try {
      const out = await withTimeout(paying, 60_000, `payment ${i}`);
      if (out.kind === 'receipt') { entry.status = 'success'; await ackPayment(a.app, id, out.ackUid); }
      else if (out.kind === 'canceled') entry.status = 'canceled';
      else throw new Error(`payment ${i} refused: ${JSON.stringify(out.kind)}`);
    } catch (e) {
      if (!(e instanceof AppConnectionClosedError)) throw e; // the buyer's node died: ask it after the restart
    }
  }

  // Every payment whose fate the app missed is asked for: it must end, in success or cancel
  for (const p of payments.filter((x) => x.status === 'unknown')) {
    const s: PaymentStatus = await withTimeout(a.app.requestClosePayment(p.id), 60_000, 'payment status after restart');
    if (s.kind === 'success') { p.status = 'success'; await ackPayment(a.app, p.id, s.ackUid); }
    else if (s.kind === 'canceled') { p.status = 'canceled'; await ackPayment(a.app, p.id, s.ackUid); }
    else p.status = 'canceled'; // never created: the node died before it was written; nothing moved
  }
  const paid = payments.filter((p) => p.status === 'success').reduce((s, p) => s + p.amount, 0n);
  const settled = (x: Proc, y: Proc, expected: bigint) => until(x.app, (r) => {
    const c = findFriend(r, y.publicKey)?.currencies.find((k) => k.currency === 'FST');
    return c !== undefined && c.balance === expected && c.localPendingDebt === 0n && c.remotePendingDebt === 0n;
  }, `${x.name}'s balance with ${y.name} to settle at ${expected}`, 60_000);
  await settled(a, b, -paid);
  await settled(b, a, paid);
  await until(a.app, (r) => r.openPayments.length === 0, 'no open payments left', 30_000);
  expect(payments.every((p) => p.status === 'success' || p.status === 'canceled')).toBe(true);
  expect(paid).toBeGreaterThan(0n);
}

describe('SIGKILL during a stream of payments', () => {
  for (const seedNo of [3, 17, 29]) {
    it(`seed ${seedNo}: every payment ends in success or cancel; balances mirror and add up`, async () => {
      await runSeed(seedNo);
    }, 300_000);
  }
});
