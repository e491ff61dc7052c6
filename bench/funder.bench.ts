/** funder.payments_per_s.3hop: complete payments per second over buyer → m1 → m2 → seller, in one
 *  process, real Ed25519 (node backend); invoice, request, response, commit, collect, receipt;
 *  8 payments in flight at a time (…_serial: one at a time, i.e. latency-bound).
 *  Each event's mutations are appended durably to the node's own store (src-core/store, one
 *  sql.js database + journal per node, fsync per append) before its messages are delivered, as a
 *  node does (write-ahead). `funder.payments_per_s.3hop_in_memory` is the same without the store.
 *  Each node has its own verify memo (withVerifyMemo), as a node process has.
 *  A/B figures (`funder.ab.*`, unit x): two networks in one process, batches interleaved, the
 *  ratio of their payments/s (> 1: the change is faster): friend patches against journaling the
 *  whole friend (the journal before patches), the journal opened O_DSYNC against write +
 *  fdatasync (one payment at a time: the chain of fsyncs is the whole cost), and the verify memo
 *  against none. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '../src-core/codec/index.ts';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import {
  type AppResult, type Env, type FunderEvent, type FunderMutation, funderMutationCodec, funderStateCodec, step, applyMutation, toHex,
  withVerifyMemo,
} from '../src-core/funder/index.ts';
import type { CryptoBackend } from '../src-core/crypto/index.ts';
import { type Envelope, type TestNode, TestNet, makeNode } from '../src-core/funder/testkit.ts';
import { type JournalSync, type NodeStore, initNodeDatabase, openNodeStore } from '../src-core/store/index.node.ts';
import type { BenchContext } from './figure.ts';

const crypto = nodeBackend;

/** Each node appends its event's records right away (the store groups concurrent appends into one
 *  fsync) and releases the event's messages only once that append is durable. */
interface Variant {
  /** 'whole': every changed friend journaled whole (set-friend), as before friend patches. */
  readonly journal: 'patch' | 'whole';
  readonly verifyMemo: boolean;
  readonly journalSync: JournalSync;
}
const CURRENT: Variant = { journal: 'patch', verifyMemo: true, journalSync: 'o-dsync' };

class DurableNet extends TestNet {
  stores = new Map<string, NodeStore>();
  inFlight = new Set<Promise<void>>();
  journalBytes = 0;
  private readonly memos = new Map<string, CryptoBackend>();

  constructor(crypto: CryptoBackend, readonly variant: Variant = CURRENT) {
    super(crypto);
  }

  override env(node: TestNode): Env {
    const env = super.env(node);
    if (!this.variant.verifyMemo) return env;
    let memo = this.memos.get(node.key);
    if (memo === undefined) { memo = withVerifyMemo(this.crypto); this.memos.set(node.key, memo); }
    return { ...env, crypto: memo };
  }

  override run(node: TestNode, event: FunderEvent): AppResult[] {
    const out = step(node.state, event, this.env(node));
    node.state = out.mutations.reduce(applyMutation, node.state);
    const store = this.stores.get(node.key);
    const release = (): void => {
      for (const m of out.messages) if (m.kind === 'friend-message') this.queue.push({ from: node.key, to: toHex(m.to), message: m.message });
    };
    if (store === undefined || out.mutations.length === 0) release();
    else {
      const whole = (m: FunderMutation): FunderMutation =>
        (m.kind === 'patch-friend' ? { kind: 'set-friend', friend: node.state.friends.get(m.publicKey)! } : m);
      const records = out.mutations.map((m) => encode(funderMutationCodec, this.variant.journal === 'whole' ? whole(m) : m));
      for (const r of records) this.journalBytes += r.length;
      const p = store.append(records).then(async () => {
        release();
        if (store.checkpointDue) await store.checkpoint(new Map([['funder', encode(funderStateCodec, node.state)]]));
      });
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    }
    node.results.push(...out.results);
    return [...out.results];
  }

  async settle(): Promise<void> {
    for (;;) {
      while (this.queue.length > 0) this.deliver(this.queue.shift() as Envelope);
      if (this.inFlight.size === 0) return;
      await Promise.all([...this.inFlight]);
    }
  }
}

/** `batch` payments started together (the store groups their appends, tokens carry several ops). */
async function payBatch(net: DurableNet, nodes: TestNode[], first: number, batch: number): Promise<void> {
  const [buyer, , , seller] = nodes as [TestNode, TestNode, TestNode, TestNode];
  const ids = Array.from({ length: batch }, (_, k) => {
    const id = new Uint8Array(16);
    new DataView(id.buffer).setUint32(0, first + k + 1);
    return id;
  });
  for (const id of ids) {
    const invoiceId = new Uint8Array(32);
    invoiceId.set(id);
    net.request(seller, { kind: 'add-invoice', invoiceId, currency: 'FST', totalDestPayment: 10n });
    net.request(buyer, { kind: 'create-payment', paymentId: id, invoiceId, currency: 'FST', totalDestPayment: 10n, destPublicKey: seller.signer.publicKey });
    net.request(buyer, { kind: 'create-transaction', paymentId: id, requestId: id, route: nodes.map((n) => n.signer.publicKey), destPayment: 10n, fees: 2n });
    net.request(buyer, { kind: 'request-close-payment', paymentId: id });
  }
  await net.settle();
  const commits = buyer.results.flatMap((r) => (r.kind === 'transaction-result' && r.result.kind === 'complete' ? [r.result.commit] : []));
  if (commits.length !== batch) throw new Error(`${commits.length} of ${batch} payments completed`);
  for (const commit of commits) net.request(seller, { kind: 'commit-invoice', commit });
  await net.settle();
  const done = buyer.results.flatMap((r) => (r.kind === 'payment-status' && r.status.kind === 'success' ? [r] : []));
  if (done.length !== batch) throw new Error(`${done.length} of ${batch} receipts`);
  for (const s of done) if (s.kind === 'payment-status' && s.status.kind === 'success') net.request(buyer, { kind: 'ack-close-payment', paymentId: s.paymentId, ackUid: s.status.ackUid });
  buyer.results.length = 0;
  seller.results.length = 0;
}

interface Setup {
  readonly net: DurableNet;
  readonly nodes: TestNode[];
  readonly dir: string;
  /** payments made so far (their ids must not repeat) */
  made: number;
  /** payments and milliseconds measured */
  n: number;
  ms: number;
}

async function setUp(durable: boolean, variant: Variant = CURRENT): Promise<Setup> {
  const net = new DurableNet(crypto, variant);
  const nodes = [0, 1, 2, 3].map((i) => net.add(makeNode(crypto, i)));
  const dir = await mkdtemp(join(tmpdir(), 'funder-bench-'));
  if (durable) {
    for (const n of nodes) {
      const path = join(dir, `${n.key.slice(0, 8)}.db`);
      await initNodeDatabase(path, n.signer.publicKey);
      net.stores.set(n.key, await openNodeStore(path, { publicKey: n.signer.publicKey, journalSync: variant.journalSync }));
    }
  }
  for (let i = 0; i < 3; i++) net.befriend(nodes[i]!, nodes[i + 1]!, ['FST'], 1n << 100n);
  for (let i = 1; i < 3; i++) {
    net.request(nodes[i]!, { kind: 'set-friend-currency-rate', friendPublicKey: nodes[i - 1]!.signer.publicKey, currency: 'FST', rate: { mul: 0, add: 1 } });
  }
  await net.settle();
  return { net, nodes, dir, made: 0, n: 0, ms: 0 };
}

async function tearDown(s: Setup): Promise<void> {
  for (const st of s.net.stores.values()) await st.close();
  await rm(s.dir, { recursive: true, force: true });
}

async function batchOn(s: Setup, batch: number, timed: boolean): Promise<void> {
  const t = performance.now();
  await payBatch(s.net, s.nodes, s.made, batch);
  s.made += batch;
  if (timed) { s.ms += performance.now() - t; s.n += batch; }
}

/** Runs the setups in turn, one batch each per round (interleaved: load from other processes
 *  hits all of them alike), for about `ms` in total after a warm-up. */
async function interleaved(ctx: BenchContext, setups: readonly Setup[], batch: number, ms: number): Promise<void> {
  const warm = ctx.quick ? 2 : 5;
  for (let i = 0; i < warm; i++) for (const s of setups) await batchOn(s, batch, false);
  for (const s of setups) s.net.journalBytes = 0;
  const start = performance.now();
  while (performance.now() - start < ms) for (const s of setups) await batchOn(s, batch, true);
}

const perSecond = (s: Setup): number => (s.n * 1000) / s.ms;

async function measure(ctx: BenchContext, durable: boolean, batch: number): Promise<{ value: number; n: number }> {
  const s = await setUp(durable);
  try {
    await interleaved(ctx, [s], batch, ctx.quick ? 300 : 3000);
    return { value: Math.round(perSecond(s)), n: s.n };
  } finally {
    await tearDown(s);
  }
}

/** B against A, interleaved in this process: B's payments/s over A's. */
async function ab(ctx: BenchContext, durable: boolean, a: Variant, b: Variant, batch = BATCH): Promise<{ ratio: number; a: Setup; b: Setup }> {
  const [x, y] = [await setUp(durable, a), await setUp(durable, b)];
  try {
    await interleaved(ctx, [x, y], batch, ctx.quick ? 600 : 6000);
    return { ratio: Math.round((perSecond(y) / perSecond(x)) * 100) / 100, a: x, b: y };
  } finally {
    await tearDown(x);
    await tearDown(y);
  }
}

const BATCH = 8;

export async function run(ctx: BenchContext): Promise<void> {
  const durable = await measure(ctx, true, BATCH);
  ctx.report({
    figure: 'funder.payments_per_s.3hop', value: durable.value, unit: 'payments/s', n: durable.n, concurrent: BATCH,
    backend: 'node', store: 'src-core/store (sql.js + journal; write-ahead append per event, one store per node, group commit)', nodes: 4,
  });
  const serial = await measure(ctx, true, 1);
  ctx.report({ figure: 'funder.payments_per_s.3hop_serial', value: serial.value, unit: 'payments/s', n: serial.n, concurrent: 1, backend: 'node', store: 'src-core/store', nodes: 4 });
  const mem = await measure(ctx, false, BATCH);
  ctx.report({ figure: 'funder.payments_per_s.3hop_in_memory', value: mem.value, unit: 'payments/s', n: mem.n, concurrent: BATCH, backend: 'node', store: 'none', nodes: 4 });
  const patch = await ab(ctx, true, { ...CURRENT, journal: 'whole' }, CURRENT);
  const bytes = (s: Setup): number => Math.round(s.net.journalBytes / s.n);
  ctx.report({
    figure: 'funder.ab.friend_patch.3hop', value: patch.ratio, unit: 'x', n: patch.b.n,
    journalBytesPerPayment: bytes(patch.b), journalBytesPerPaymentWhole: bytes(patch.a),
    paymentsPerS: Math.round(perSecond(patch.b)), paymentsPerSWhole: Math.round(perSecond(patch.a)),
  });
  const sync = await ab(ctx, true, { ...CURRENT, journalSync: 'fdatasync' }, CURRENT, 1);
  ctx.report({
    figure: 'funder.ab.journal_o_dsync.3hop_serial', value: sync.ratio, unit: 'x', n: sync.b.n,
    paymentsPerS: Math.round(perSecond(sync.b) * 10) / 10, paymentsPerSFdatasync: Math.round(perSecond(sync.a) * 10) / 10,
  });
  const memo = await ab(ctx, false, { ...CURRENT, verifyMemo: false }, CURRENT);
  ctx.report({
    figure: 'funder.ab.verify_memo.3hop_in_memory', value: memo.ratio, unit: 'x', n: memo.b.n,
    paymentsPerS: Math.round(perSecond(memo.b)), paymentsPerSWithout: Math.round(perSecond(memo.a)),
  });
}
