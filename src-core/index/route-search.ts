/** Route search over the capacity graph (pure, bounded work).
 *  1. One route: the cheapest (lowest total fee for the amount, then fewest hops) whose capacity carries
 *     amount + fees. Dijkstra on fee weights, restricted to edges ≥ a threshold that starts at the amount
 *     and rises to amount + the cheapest fee found, until the cheapest route under the threshold carries it
 *     (every route that carries the amount pays at least that fee, so none is lost by raising it).
 *  2. Otherwise several routes: first the cheapest route that can carry an equal share of what is still
 *     missing, filled to its bottleneck, again (≤ 4 routes); if that does not reach the amount, widest augmenting
 *     paths on the residual graph (a bounded max-flow), then a flow decomposition. The returned capacities are jointly feasible: paying each route up to its
 *     capacity never asks any edge for more than it has. Cheapest routes first, only as many as needed.
 *  A route's capacity is its bottleneck; what it can deliver is maxPayable(route.rate, capacity). */
import { type CompactGraph, capAtLeast } from './compact-graph.ts';
import { type CapacityGraph } from './graph.ts';
import { NodeHeap } from './heap.ts';
import { type Rate, ZERO_RATE, addRates, calcFee, maxPayable } from './rate.ts';

export interface RouteRequest {
  readonly source: Uint8Array;
  readonly destination: Uint8Array;
  readonly currency: string;
  readonly amount: bigint;
  /** A directed friendship no route may use. */
  readonly exclude?: { readonly from: Uint8Array; readonly to: Uint8Array } | undefined;
}

export interface FoundRoute {
  /** Full route: source first, destination last. */
  readonly route: readonly Uint8Array[];
  /** The most this route may carry (amount + fees) alongside the other returned routes. */
  readonly capacity: bigint;
  /** Sum of the mediators' rates. The buyer pays calcFee(rate, part). */
  readonly rate: Rate;
}

export interface SearchLimits {
  /** Most routes in one answer. */
  readonly maxRoutes: number;
  /** Most node expansions per request, over all the searches it takes (the bound on its work). */
  readonly maxVisits: number;
  /** Most nodes in a route, both ends included (a funder route part must stay < 32 keys). */
  readonly maxRouteLength: number;
  /** Most augmenting paths when splitting. */
  readonly maxAugmentations: number;
}

export const DEFAULT_LIMITS: SearchLimits = Object.freeze({
  maxRoutes: 16,
  maxVisits: 200_000,
  maxRouteLength: 16,
  maxAugmentations: 32,
});

const TWO32 = 2 ** 32;

/** How fresh the search copy must be: new friendships are added at most once per `minRebuildIntervalMs`
 *  of `now` (see CapacityGraph.compact). Default: always fresh. */
export interface Freshness {
  readonly now: number;
  readonly minRebuildIntervalMs: number;
}

/** Routes that together can carry `amount` to the destination with fees paid, or [] when none can. */
export function findRoutes(
  graph: CapacityGraph, req: RouteRequest, limits: SearchLimits = DEFAULT_LIMITS, freshness?: Freshness,
): FoundRoute[] {
  const g = graph.compact(req.currency, freshness?.now, freshness?.minRebuildIntervalMs);
  const s = graph.idOf(req.source);
  const d = graph.idOf(req.destination);
  if (g === undefined || s === undefined || d === undefined || s === d || req.amount <= 0n) return [];
  if (s >= g.n || d >= g.n) return [];
  const toRoute = (r: EdgeRoute): FoundRoute => ({
    route: [graph.keyOf(s), ...r.edges.map((e) => graph.keyOf(g.to[e] as number))],
    capacity: r.capacity,
    rate: r.rate,
  });

  const excluded = excludedEdge(graph, g, req);
  const budget: Budget = { visits: limits.maxVisits };
  const single = cheapestCarrying(g, s, d, req.amount, excluded, limits, budget);
  if (single !== undefined) return [toRoute(single)];

  // Quick bound: nothing delivers more than leaves the source or enters the destination.
  if (cutBound(g, s, d) < req.amount) return [];

  const cheap = cheapestSplit(g, s, d, req.amount, excluded, limits, budget);
  if (cheap !== undefined) return cheap.map(toRoute);

  const flow = new Map<number, bigint>();
  const residual = (e: number): bigint => (g.cap[e] as bigint) - (flow.get(e) ?? 0n);
  const residualNum = Float64Array.from(g.capNum); // Number(residual(e)): 0 exactly when the residual is 0
  if (excluded >= 0) residualNum[excluded] = 0;
  for (let i = 0; i < limits.maxAugmentations; i++) {
    const edges = widestPath(g, s, d, residualNum, limits, budget);
    if (edges === undefined) break;
    let x = residual(edges[0] as number);
    for (const e of edges) { const r = residual(e); if (r < x) x = r; }
    if (x <= 0n) break;
    for (const e of edges) {
      const r = g.rev[e] as number;
      flow.set(e, (flow.get(e) ?? 0n) + x);
      flow.set(r, (flow.get(r) ?? 0n) - x);
      residualNum[e] = Number(residual(e));
      residualNum[r] = Number(residual(r));
      if (e === excluded || r === excluded) residualNum[excluded] = 0;
    }
    const chosen = chooseCovering(decompose(g, s, d, flow, limits), req.amount, limits.maxRoutes);
    if (chosen !== undefined) return chosen.map(toRoute);
  }
  return [];
}

/** Routes the cheap split (2a) may use before the max-flow takes over. */
const CHEAP_SPLIT_ROUTES = 4;

/** 2a: the cheapest route that can still carry an equal share of what is missing, filled to its
 *  bottleneck, again (at most CHEAP_SPLIT_ROUTES routes): a split that favours low fees. Undefined when it
 *  does not reach the amount. Each directed edge's capacity is shared by the routes that use it. */
function cheapestSplit(
  g: CompactGraph, s: number, d: number, amount: bigint, excluded: number, limits: SearchLimits, budget: Budget,
): EdgeRoute[] | undefined {
  const used = new Map<number, bigint>();
  const left = (e: number): bigint => (g.cap[e] as bigint) - (used.get(e) ?? 0n);
  const leftNum = Float64Array.from(g.capNum);
  if (excluded >= 0) leftNum[excluded] = 0;
  const slots = Math.min(CHEAP_SPLIT_ROUTES, limits.maxRoutes);
  const routes: EdgeRoute[] = [];
  let total = 0n;
  while (routes.length < slots) {
    const share = (amount - total + BigInt(slots - routes.length) - 1n) / BigInt(slots - routes.length);
    const edges = cheapestPath(g, s, d, amount, share, excluded, limits, budget, leftNum);
    if (edges === undefined) return undefined;
    const rate = edgesRate(g, edges);
    let x = left(edges[0] as number);
    for (const e of edges) { const r = left(e); if (r < x) x = r; }
    for (const e of edges) {
      used.set(e, (used.get(e) ?? 0n) + x);
      leftNum[e] = Number(left(e));
    }
    if (rate === undefined) return undefined;
    const payable = maxPayable(rate, x);
    if (payable === 0n) return undefined;
    routes.push({ edges, capacity: x, rate });
    total += payable;
    if (total >= amount) return chooseCovering(routes, amount, limits.maxRoutes);
  }
  return undefined;
}

/** Node expansions left for this request. */
interface Budget { visits: number }

interface EdgeRoute { readonly edges: readonly number[]; readonly capacity: bigint; readonly rate: Rate }

/** Sum of the mediators' rates: each edge's head charges, except the destination (the last head). */
function edgesRate(g: CompactGraph, edges: readonly number[]): Rate | undefined {
  let rate: Rate | undefined = ZERO_RATE;
  for (let k = 0; k + 1 < edges.length && rate !== undefined; k++) {
    const e = edges[k] as number;
    rate = addRates(rate, { mul: g.mul[e] as number, add: g.add[e] as number });
  }
  return rate;
}

/** The edge id of req.exclude, or -1. */
function excludedEdge(graph: CapacityGraph, g: CompactGraph, req: RouteRequest): number {
  if (req.exclude === undefined) return -1;
  const u = graph.idOf(req.exclude.from), v = graph.idOf(req.exclude.to);
  if (u === undefined || v === undefined || u >= g.n) return -1;
  for (let e = g.start[u] as number; e < (g.start[u + 1] as number); e++) if (g.to[e] === v) return e;
  return -1;
}

function cheapestCarrying(
  g: CompactGraph, s: number, d: number, amount: bigint, excluded: number, limits: SearchLimits, budget: Budget,
): EdgeRoute | undefined {
  let threshold = amount;
  for (let round = 0; round < 8; round++) {
    const edges = cheapestPath(g, s, d, amount, threshold, excluded, limits, budget);
    if (edges === undefined) return undefined;
    const rate = edgesRate(g, edges);
    if (rate === undefined) return undefined;
    let capacity = g.cap[edges[0] as number] as bigint;
    for (const e of edges) if ((g.cap[e] as bigint) < capacity) capacity = g.cap[e] as bigint;
    if (maxPayable(rate, capacity) >= amount) return { edges, capacity, rate };
    const next = amount + calcFee(rate, amount);
    if (next <= threshold) return undefined;
    threshold = next;
  }
  return undefined;
}

function pathTo(g: CompactGraph, s: number, d: number, prevEdge: Int32Array): number[] | undefined {
  const edges: number[] = [];
  for (let x = d; x !== s;) {
    const e = prevEdge[x] as number;
    if (e < 0) return undefined;
    edges.push(e);
    x = g.to[g.rev[e] as number] as number;
  }
  return edges.reverse();
}

/** Dijkstra by (fee for `amount`, hops) over edges whose capacity is ≥ threshold; returns edge ids. */
function cheapestPath(
  g: CompactGraph, s: number, d: number, amount: bigint, threshold: bigint, excluded: number, limits: SearchLimits, budget: Budget,
  /** When given, the capacity left on each edge (as numbers), checked against the threshold instead. */
  left?: Float64Array,
): number[] | undefined {
  const { start, to, mul, add } = g;
  const amountNum = Number(amount);
  const tNum = Number(threshold);
  const cost = new Float64Array(g.n).fill(Infinity);
  const hops = new Int32Array(g.n);
  const prevEdge = new Int32Array(g.n).fill(-1);
  const heap = new NodeHeap();
  const top = { primary: 0, secondary: 0 };
  cost[s] = 0;
  heap.push(0, 0, s);
  for (;;) {
    const u = heap.pop(top);
    if (u < 0) return undefined;
    if (top.primary > (cost[u] as number) || (top.primary === cost[u] && top.secondary > (hops[u] as number))) continue;
    if (u === d) break;
    if (--budget.visits < 0) return undefined;
    const h = (hops[u] as number) + 1;
    if (h >= limits.maxRouteLength) continue;
    const cu = cost[u] as number;
    for (let e = start[u] as number, end = start[u + 1] as number; e < end; e++) {
      if (e === excluded || (left === undefined ? !capAtLeast(g, e, threshold, tNum) : !((left[e] as number) >= tNum && (left[e] as number) > 0))) continue;
      const v = to[e] as number;
      if (v === s) continue;
      const cv = v === d ? cu : cu + (amountNum * (mul[e] as number)) / TWO32 + (add[e] as number);
      const old = cost[v] as number;
      if (cv < old || (cv === old && h < (hops[v] as number))) {
        cost[v] = cv;
        hops[v] = h;
        prevEdge[v] = e;
        heap.push(cv, h, v);
      }
    }
  }
  return pathTo(g, s, d, prevEdge);
}

/** Max-bottleneck path on the residual graph (ties: fewer hops); returns edge ids. Compares the float
 *  residuals: the choice may be slightly off for huge values, the caller takes the exact bottleneck. */
function widestPath(
  g: CompactGraph, s: number, d: number, residualNum: Float64Array, limits: SearchLimits, budget: Budget,
): number[] | undefined {
  const { start, to } = g;
  const best = new Float64Array(g.n);
  const hops = new Int32Array(g.n);
  const prevEdge = new Int32Array(g.n).fill(-1);
  const done = new Uint8Array(g.n);
  const heap = new NodeHeap();
  const top = { primary: 0, secondary: 0 };
  best[s] = Infinity;
  heap.push(-Infinity, 0, s);
  for (;;) {
    const u = heap.pop(top);
    if (u < 0) return undefined;
    if (done[u] === 1) continue;
    done[u] = 1;
    if (u === d) break;
    if (--budget.visits < 0) return undefined;
    const h = (hops[u] as number) + 1;
    if (h >= limits.maxRouteLength) continue;
    const bu = best[u] as number;
    for (let e = start[u] as number, end = start[u + 1] as number; e < end; e++) {
      const r = residualNum[e] as number;
      if (r <= 0) continue;
      const v = to[e] as number;
      if (done[v] === 1) continue;
      const bv = r < bu ? r : bu;
      const old = best[v] as number;
      if (bv > old || (bv === old && h < (hops[v] as number))) {
        best[v] = bv;
        hops[v] = h;
        prevEdge[v] = e;
        heap.push(-bv, h, v);
      }
    }
  }
  return pathTo(g, s, d, prevEdge);
}

/** Splits a flow (edge → f, antisymmetric through rev) into simple source→destination routes, cancelling cycles. */
function decompose(g: CompactGraph, s: number, d: number, flow: ReadonlyMap<number, bigint>, limits: SearchLimits): EdgeRoute[] {
  const pos = new Map<number, Map<number, bigint>>(); // tail → (edge → positive flow)
  for (const [e, f] of flow) {
    if (f <= 0n) continue;
    const u = g.to[g.rev[e] as number] as number;
    let m = pos.get(u);
    if (m === undefined) { m = new Map(); pos.set(u, m); }
    m.set(e, f);
  }
  const tail = (e: number): number => g.to[g.rev[e] as number] as number;
  const amountOn = (e: number): bigint => pos.get(tail(e))?.get(e) ?? 0n;
  const take = (edges: readonly number[]): bigint => {
    let x = amountOn(edges[0] as number);
    for (const e of edges) { const f = amountOn(e); if (f < x) x = f; }
    for (const e of edges) {
      const m = pos.get(tail(e)) as Map<number, bigint>;
      const left = (m.get(e) as bigint) - x;
      if (left === 0n) m.delete(e); else m.set(e, left);
    }
    return x;
  };
  const routes: EdgeRoute[] = [];
  for (let guard = 0; guard < 4 * limits.maxAugmentations + 16; guard++) {
    const edges: number[] = [];
    const at = new Map<number, number>([[s, 0]]); // node → number of edges before reaching it
    let u = s;
    while (u !== d) {
      const next = pos.get(u)?.keys().next();
      if (next === undefined || next.done === true) return routes;
      const e = next.value;
      const v = g.to[e] as number;
      const i = at.get(v);
      if (i !== undefined) {
        take([...edges.slice(i), e]); // a cycle: cancel it
        for (const x of edges.splice(i)) at.delete(g.to[x] as number);
        u = v;
        continue;
      }
      edges.push(e);
      at.set(v, edges.length);
      u = v;
    }
    const capacity = take(edges);
    const rate = edgesRate(g, edges);
    if (rate !== undefined && edges.length < limits.maxRouteLength) routes.push({ edges, capacity, rate });
  }
  return routes;
}

/** The cheapest routes (by fee on the whole amount) whose payable amounts together reach `amount`. */
function chooseCovering(routes: EdgeRoute[], amount: bigint, maxRoutes: number): EdgeRoute[] | undefined {
  const sorted = [...routes].sort((a, b) => {
    const fa = calcFee(a.rate, amount), fb = calcFee(b.rate, amount);
    return fa < fb ? -1 : fa > fb ? 1 : a.edges.length - b.edges.length;
  });
  const out: EdgeRoute[] = [];
  let total = 0n;
  for (const r of sorted) {
    const p = maxPayable(r.rate, r.capacity);
    if (p === 0n) continue;
    out.push(r);
    total += p;
    if (total >= amount) return out;
    if (out.length === maxRoutes) return undefined;
  }
  return undefined;
}

/** min(Σ capacity out of s, Σ capacity into d): no set of routes carries more. */
function cutBound(g: CompactGraph, s: number, d: number): bigint {
  let out = 0n, inn = 0n;
  for (let e = g.start[s] as number; e < (g.start[s + 1] as number); e++) out += g.cap[e] as bigint;
  for (let e = g.start[d] as number; e < (g.start[d + 1] as number); e++) inn += g.cap[g.rev[e] as number] as bigint;
  return out < inn ? out : inn;
}
