/** index.route_requests_per_s.10k, index.route_p99_ms.10k: route search on a 10k-node, 50k-friendship
 *  random graph (fees on, capacities 0..10k, amounts mostly payable in one route, some needing a split).
 *  index.bytes_per_edge: heap held by the server's graph (maps + search arrays) per friendship.
 *  index.reports_per_s.10k: signed node reports (new capacities, same friends) a server core takes in
 *  per second on that graph, signature check included (node:crypto). */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../src-core/crypto/index.ts';
import { CapacityGraph } from '../src-core/index/graph.ts';
import { signNodeReport } from '../src-core/index/report.ts';
import { IndexServerCore } from '../src-core/index/server-core.ts';
import { GEN_CURRENCY, type GenGraph, loadGraph, prng, randomGraph } from '../src-core/index/graph-gen.ts';
import { findRoutes } from '../src-core/index/route-search.ts';
import { type BenchContext, percentile } from './figure.ts';

const NODES = 10_000;
const EDGES = 50_000;

function gc(): void {
  setFlagsFromString('--expose-gc');
  const f = runInNewContext('gc') as (() => void) | undefined;
  f?.(); f?.();
}

function bytesPerEdge(gen: GenGraph): number {
  // typed arrays live outside the V8 heap: count them too
  const used = (): number => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  gc();
  const before = used();
  // fresh bigints and keys, so nothing is shared with the generator's objects
  const copy = gen.reports.map((rs) => rs.map((r) => ({
    ...r, friend: Uint8Array.from(r.friend), sendCapacity: (r.sendCapacity + 1n) - 1n, recvCapacity: (r.recvCapacity + 1n) - 1n,
  })));
  const g = new CapacityGraph();
  gen.keys.forEach((k, i) => g.setNode(k, copy[i] ?? []));
  copy.length = 0;
  g.compact(GEN_CURRENCY);
  gc();
  const after = used();
  if (g.halfCount !== 2 * EDGES) throw new Error('graph lost reports');
  return Math.round((after - before) / EDGES);
}

export async function run(ctx: BenchContext): Promise<void> {
  const gen = randomGraph(NODES, EDGES, { seed: 11, minCap: 0n, maxCap: 10_000n });
  ctx.report({ figure: 'index.bytes_per_edge', value: bytesPerEdge(gen), unit: 'bytes', nodes: NODES, edges: EDGES });

  const g = loadGraph(gen);
  g.compact(GEN_CURRENCY);
  const rnd = prng(12);
  const request = () => {
    const s = Math.floor(rnd() * NODES);
    let d = Math.floor(rnd() * NODES);
    if (d === s) d = (d + 1) % NODES;
    const amount = rnd() < 0.9 ? BigInt(1 + Math.floor(rnd() * 1000)) : BigInt(5000 + Math.floor(rnd() * 10_000));
    return { source: gen.keys[s] as Uint8Array, destination: gen.keys[d] as Uint8Array, currency: GEN_CURRENCY, amount };
  };
  for (let i = 0; i < 20; i++) findRoutes(g, request());
  const n = ctx.quick ? 100 : 1000;
  const times: number[] = [];
  let found = 0, split = 0;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const req = request();
    const t = performance.now();
    const routes = findRoutes(g, req);
    times.push(performance.now() - t);
    if (routes.length > 0) found++;
    if (routes.length > 1) split++;
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  const extra = { n, nodes: NODES, edges: EDGES, found, split };
  ctx.report({ figure: 'index.route_requests_per_s.10k', value: Math.round((n * 1000) / total), unit: 'ops/s', ...extra });
  reportsPerSecond(ctx, gen);
  ctx.report({ figure: 'index.route_p99_ms.10k', value: Number(percentile(times, 99).toFixed(2)), unit: 'ms', p50: Number(percentile(times, 50).toFixed(2)), ...extra });
}

function reportsPerSecond(ctx: BenchContext, gen: GenGraph): void {
  const n = ctx.quick ? 500 : 5000;
  // node i gets the identity of seed i; its friends are re-keyed to those identities
  const ids = Array.from({ length: NODES }, (_, i) => {
    const seed = new Uint8Array(32);
    new DataView(seed.buffer).setUint32(0, i + 1);
    return identityFromSeed(nodeBackend, seed);
  });
  const index = new Map(gen.keys.map((k, i) => [Buffer.from(k).toString('hex'), i]));
  const friendsOf = (i: number, bump: bigint) => (gen.reports[i] ?? []).map((r) => ({
    ...r, friend: (ids[index.get(Buffer.from(r.friend).toString('hex')) as number] as { publicKey: Uint8Array }).publicKey,
    recvCapacity: r.recvCapacity + bump,
  }));
  const core = new IndexServerCore({ crypto: nodeBackend, ttlMs: 3_600_000, maxSkewMs: 60_000 });
  const now = 1_700_000_000_000;
  ids.forEach((id, i) => core.acceptReport(signNodeReport(nodeBackend, id, { node: id.publicKey, time: BigInt(now), counter: 0n, friends: friendsOf(i, 0n) }), now));
  core.routes({ source: (ids[0] as { publicKey: Uint8Array }).publicKey, destination: (ids[1] as { publicKey: Uint8Array }).publicKey, currency: GEN_CURRENCY, amount: 1n });
  const rnd = prng(13);
  const reports = Array.from({ length: n }, (_, k) => {
    const i = Math.floor(rnd() * NODES);
    const id = ids[i] as (typeof ids)[number];
    return signNodeReport(nodeBackend, id, { node: id.publicKey, time: BigInt(now), counter: BigInt(k + 1), friends: friendsOf(i, BigInt(k + 1)) });
  });
  const start = performance.now();
  let accepted = 0;
  for (const r of reports) if (core.acceptReport(r, now) === 'accepted') accepted++;
  const ms = performance.now() - start;
  if (accepted !== n) throw new Error(`only ${accepted} of ${n} reports accepted`);
  ctx.report({ figure: 'index.reports_per_s.10k', value: Math.round((n * 1000) / ms), unit: 'ops/s', n, nodes: NODES, edges: EDGES });
}
