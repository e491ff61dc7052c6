/** A read-only, array-based copy of one currency's graph for fast route search (compressed sparse rows).
 *  Only usable directed edges appear (both ends report the friendship); every edge u→v has its reverse
 *  v→u at index rev[e]. Built from the Map-based CurrencyGraph and cached until the graph changes. */
import { type CurrencyGraph } from './graph.ts';

export interface CompactGraph {
  /** Node ids run from 0 to n-1. */
  readonly n: number;
  /** Edges of u are start[u] … start[u+1]-1. */
  readonly start: Int32Array;
  readonly to: Int32Array;
  readonly rev: Int32Array;
  /** Exact capacity of the edge. (Patched in place by CapacityGraph when only capacities change.) */
  readonly cap: bigint[];
  /** Number(cap): rounding is monotone, so it decides every comparison except ties. */
  readonly capNum: Float64Array;
  /** The rate the edge's head charges for requests coming from its tail. */
  readonly mul: Float64Array;
  readonly add: Float64Array;
}

export function compact(g: CurrencyGraph, n: number): CompactGraph {
  const start = new Int32Array(n + 1);
  const to: number[] = [];
  const cap: bigint[] = [];
  const mul: number[] = [];
  const add: number[] = [];
  const index = new Map<number, number>();
  for (let u = 0; u < n; u++) {
    start[u] = to.length;
    const out = g.adj.get(u);
    if (out === undefined) continue;
    for (let i = 0; i < out.size; i++) {
      const v = out.friends[i] as number;
      const other = g.adj.get(v);
      const j = other === undefined ? -1 : other.indexOf(u);
      if (other === undefined || j < 0) continue;
      index.set(u * n + v, to.length);
      to.push(v);
      const send = out.send[i] as bigint, recv = other.recv[j] as bigint;
      cap.push(send < recv ? send : recv);
      mul.push(other.mul[j] as number);
      add.push(other.add[j] as number);
    }
  }
  start[n] = to.length;
  const rev = new Int32Array(to.length);
  for (let u = 0; u < n; u++) {
    for (let e = start[u] as number; e < (start[u + 1] as number); e++) {
      rev[e] = index.get((to[e] as number) * n + u) as number;
    }
  }
  return {
    n, start, to: Int32Array.from(to), rev, cap,
    capNum: Float64Array.from(cap, (c) => Number(c)), mul: Float64Array.from(mul), add: Float64Array.from(add),
  };
}

/** c ≥ t, deciding by the float copy and falling back to bigints only on a tie. */
export function capAtLeast(g: CompactGraph, e: number, t: bigint, tNum: number): boolean {
  const c = g.capNum[e] as number;
  if (c !== tNum) return c > tNum;
  return (g.cap[e] as bigint) >= t;
}
