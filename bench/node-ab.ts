/** A/B of the node against another checkout of this repository, in one process: two in-process
 *  networks (src-core/node/it/harness.ts: real relay, index server, nodes with real stores, apps
 *  over TCP), one from this tree (B) and one from `baseline` (A), payments interleaved in rounds
 *  so that load from other processes hits both alike. Prints two JSON lines: B's payments/s over
 *  A's, and A's CPU time per payment over B's (this process's CPU time during each side's rounds:
 *  the steadier figure on a loaded machine), with each side's values. Not part of `npm run bench` (it needs a second checkout):
 *    git worktree add --detach /tmp/base <commit> && ln -s "$PWD/node_modules" /tmp/base/
 *    npx tsx bench/node-ab.ts /tmp/base [hops=2] [rounds=6] [perRound=48]                      */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Harness = typeof import('../src-core/node/it/harness.ts');
type App = typeof import('../src-core/app/index.ts');
type Crypto = typeof import('../src-core/crypto/backend.node.ts');

interface Side {
  readonly name: string;
  readonly pay: () => Promise<void>;
  readonly close: () => Promise<void>;
  n: number;
  ms: number;
  /** CPU time of this process during the side's rounds (the other side idles meanwhile) */
  cpuMs: number;
}

async function side(name: string, root: string, hops: number): Promise<Side> {
  const h = (await import(join(root, 'src-core/node/it/harness.ts'))) as Harness;
  const app = (await import(join(root, 'src-core/app/index.ts'))) as App;
  const { nodeBackend: crypto } = (await import(join(root, 'src-core/crypto/backend.node.ts'))) as Crypto;
  const net = await h.Net.create(name === 'A' ? 1 : 2);
  const nodes = [];
  for (let i = 0; i < hops; i++) nodes.push(await net.addNode(`n${i}`, i));
  for (let i = 0; i + 1 < hops; i++) await net.befriend(nodes[i]!, nodes[i + 1]!, 1n << 60n);
  const buyer = nodes[0]!;
  const dest = nodes[hops - 1]!.publicKey;
  const plan = await h.quote(buyer, dest, 1n, 60_000);
  const pay = async (): Promise<void> => {
    const paymentId = crypto.randomBytes(16);
    const out = await app.executePayment(buyer.app, {
      paymentId, invoiceId: crypto.randomBytes(32), currency: 'FST', totalDestPayment: 1n, destPublicKey: dest, autoCollect: true,
    }, plan, (k) => crypto.randomBytes(k));
    if (out.kind !== 'receipt') throw new Error(`${name}: payment ended ${out.kind}`);
    await app.ackPayment(buyer.app, paymentId, out.ackUid);
  };
  return { name, pay, close: () => net.close(), n: 0, ms: 0, cpuMs: 0 };
}

/** `count` payments, 8 in flight. */
async function round(s: Side, count: number, timed: boolean): Promise<void> {
  let next = 0;
  const t = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < count) { next++; await s.pay(); } }));
  if (!timed) return;
  const used = process.cpuUsage(cpu);
  s.ms += performance.now() - t;
  s.cpuMs += (used.user + used.system) / 1000;
  s.n += count;
}

const here = dirname(fileURLToPath(import.meta.url));
const [baseline, hopsArg, roundsArg, perRoundArg] = process.argv.slice(2);
if (baseline === undefined) throw new Error('usage: npx tsx bench/node-ab.ts <baseline checkout> [hops] [rounds] [perRound]');
const hops = Number(hopsArg ?? 2);
const rounds = Number(roundsArg ?? 6);
const perRound = Number(perRoundArg ?? 48);
const a = await side('A', resolve(baseline), hops);
const b = await side('B', resolve(here, '..'), hops);
try {
  for (const s of [a, b]) await round(s, 16, false);
  for (let i = 0; i < rounds; i++) {
    // alternate who goes first, so neither always follows the other's disk flushes
    for (const s of i % 2 === 0 ? [a, b] : [b, a]) await round(s, perRound, true);
  }
  const ps = (s: Side): number => Math.round((s.n * 1000) / s.ms * 10) / 10;
  const cpu = (s: Side): number => Math.round((s.cpuMs / s.n) * 100) / 100;
  const line = (o: object): void => { process.stdout.write(`${JSON.stringify(o)}\n`); };
  line({ figure: `node.ab.in_process.${hops}hop`, value: Math.round((ps(b) / ps(a)) * 100) / 100, unit: 'x', n: b.n, paymentsPerS: ps(b), paymentsPerSBaseline: ps(a), inFlight: 8 });
  line({ figure: `node.ab.cpu_per_payment.${hops}hop`, value: Math.round((cpu(a) / cpu(b)) * 100) / 100, unit: 'x', n: b.n, cpuMsPerPayment: cpu(b), cpuMsPerPaymentBaseline: cpu(a) });
} finally {
  await a.close();
  await b.close();
}
