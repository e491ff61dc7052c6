/** funder.payments_per_s.3hop: complete payments per second over buyer → m1 → m2 → seller, in one
 *  process, real Ed25519 (node backend); invoice, request, response, commit, collect, receipt;
 *  8 payments in flight at a time (…_serial: one at a time, i.e. latency-bound).
 *  Each event's mutations are appended durably to the node's own store (src-core/store, one
 *  sql.js database + journal per node, fsync per append) before its messages are delivered, as a
 *  node does (write-ahead). `funder.payments_per_s.3hop_in_memory` is the same without the store. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '../src-core/codec/index.ts';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import {
  type AppResult, type FunderEvent, funderMutationCodec, funderStateCodec, step, applyMutation, toHex,
} from '../src-core/funder/index.ts';
import { type Envelope, type TestNode, TestNet, makeNode } from '../src-core/funder/testkit.ts';
import { type NodeStore, initNodeDatabase, openNodeStore } from '../src-core/store/index.node.ts';
import type { BenchContext } from './figure.ts';

const crypto = nodeBackend;

/** Each node appends its event's records right away (the store groups concurrent appends into one
 *  fsync) and releases the event's messages only once that append is durable. */
class DurableNet extends TestNet {
  stores = new Map<string, NodeStore>();
  inFlight = new Set<Promise<void>>();

  override run(node: TestNode, event: FunderEvent): AppResult[] {
    const out = step(node.state, event, this.env(node));
    node.state = out.mutations.reduce(applyMutation, node.state);
    const store = this.stores.get(node.key);
    const release = (): void => {
      for (const m of out.messages) if (m.kind === 'friend-message') this.queue.push({ from: node.key, to: toHex(m.to), message: m.message });
    };
    if (store === undefined || out.mutations.length === 0) release();
    else {
      const p = store.append(out.mutations.map((m) => encode(funderMutationCodec, m))).then(async () => {
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

async function measure(ctx: BenchContext, durable: boolean, batch: number): Promise<{ value: number; n: number }> {
  const net = new DurableNet(crypto);
  const nodes = [0, 1, 2, 3].map((i) => net.add(makeNode(crypto, i)));
  const dir = await mkdtemp(join(tmpdir(), 'funder-bench-'));
  try {
    if (durable) {
      for (const n of nodes) {
        const path = join(dir, `${n.key.slice(0, 8)}.db`);
        await initNodeDatabase(path, n.signer.publicKey);
        net.stores.set(n.key, await openNodeStore(path, { publicKey: n.signer.publicKey }));
      }
    }
    for (let i = 0; i < 3; i++) net.befriend(nodes[i]!, nodes[i + 1]!, ['FST'], 1n << 100n);
    for (let i = 1; i < 3; i++) {
      net.request(nodes[i]!, { kind: 'set-friend-currency-rate', friendPublicKey: nodes[i - 1]!.signer.publicKey, currency: 'FST', rate: { mul: 0, add: 1 } });
    }
    await net.settle();
    const warm = ctx.quick ? 2 : 5;
    for (let i = 0; i < warm; i++) await payBatch(net, nodes, i * batch, batch);
    const ms = ctx.quick ? 300 : 3000;
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < ms) { await payBatch(net, nodes, warm * batch + n, batch); n += batch; }
    return { value: Math.round((n * 1000) / (performance.now() - start)), n };
  } finally {
    for (const s of net.stores.values()) await s.close();
    await rm(dir, { recursive: true, force: true });
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
}
