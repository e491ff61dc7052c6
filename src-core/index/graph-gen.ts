/** Generated friend graphs for route-search tests and the bench: lines, rings, grids, random graphs.
 *  Deterministic for a seed; node keys are synthetic 32-byte ids (route search never verifies them). */
import { CapacityGraph, type FriendCapacity } from './graph.ts';
import { type Rate } from './rate.ts';

export interface GenOptions {
  readonly seed: number;
  /** Receive capacities are drawn uniformly from [minCap, maxCap]. */
  readonly minCap?: bigint;
  readonly maxCap?: bigint;
  /** When false every rate is zero. */
  readonly fees?: boolean;
}

export interface GenGraph {
  readonly keys: readonly Uint8Array[];
  /** reports[i] = what node i reports about its friends (currency 'FST'). */
  readonly reports: readonly FriendCapacity[][];
}

export const GEN_CURRENCY = 'FST';

export function genKey(i: number): Uint8Array {
  const k = new Uint8Array(32);
  k[0] = 0xa5;
  new DataView(k.buffer).setUint32(28, i);
  return k;
}

/** mulberry32: a small deterministic PRNG for generators (not for keys). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function build(n: number, pairs: readonly (readonly [number, number])[], opts: GenOptions): GenGraph {
  const rnd = prng(opts.seed);
  const minCap = opts.minCap ?? 0n;
  const maxCap = opts.maxCap ?? 1000n;
  const span = maxCap - minCap + 1n;
  const cap = (): bigint => minCap + (BigInt(Math.floor(rnd() * 2 ** 31)) * span) / 2n ** 31n;
  const rate = (): Rate => (opts.fees === false ? { mul: 0, add: 0 } : { mul: Math.floor(rnd() * 2 ** 28), add: Math.floor(rnd() * 4) });
  const keys = Array.from({ length: n }, (_, i) => genKey(i));
  const reports: FriendCapacity[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of pairs) {
    const sendAB = rnd() < 0.2 ? cap() : 1n << 100n;
    const sendBA = rnd() < 0.2 ? cap() : 1n << 100n;
    (reports[a] as FriendCapacity[]).push({ friend: keys[b] as Uint8Array, currency: GEN_CURRENCY, sendCapacity: sendAB, recvCapacity: cap(), rate: rate() });
    (reports[b] as FriendCapacity[]).push({ friend: keys[a] as Uint8Array, currency: GEN_CURRENCY, sendCapacity: sendBA, recvCapacity: cap(), rate: rate() });
  }
  return { keys, reports };
}

export function lineGraph(n: number, opts: GenOptions): GenGraph {
  return build(n, Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const), opts);
}

export function ringGraph(n: number, opts: GenOptions): GenGraph {
  return build(n, Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as const), opts);
}

export function gridGraph(w: number, h: number, opts: GenOptions): GenGraph {
  const pairs: [number, number][] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x + 1 < w) pairs.push([y * w + x, y * w + x + 1]);
      if (y + 1 < h) pairs.push([y * w + x, (y + 1) * w + x]);
    }
  }
  return build(w * h, pairs, opts);
}

/** A connected random graph: a random spanning tree, then random extra friendships up to `edges`. */
export function randomGraph(n: number, edges: number, opts: GenOptions): GenGraph {
  const rnd = prng(opts.seed ^ 0x5bd1e995);
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  const add = (a: number, b: number): void => {
    if (a === b) return;
    const k = a < b ? a * n + b : b * n + a;
    if (seen.has(k)) return;
    seen.add(k);
    pairs.push([a, b]);
  };
  for (let i = 1; i < n; i++) add(i, Math.floor(rnd() * i));
  while (pairs.length < edges) add(Math.floor(rnd() * n), Math.floor(rnd() * n));
  return build(n, pairs, opts);
}

export function loadGraph(gen: GenGraph): CapacityGraph {
  const g = new CapacityGraph();
  gen.keys.forEach((k, i) => g.setNode(k, gen.reports[i] as FriendCapacity[]));
  return g;
}
