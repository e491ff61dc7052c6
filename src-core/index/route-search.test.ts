import { describe, expect, it } from 'vitest';
import { CapacityGraph } from './graph.ts';
import {
  GEN_CURRENCY, type GenGraph, genKey, gridGraph, lineGraph, loadGraph, prng, randomGraph, ringGraph,
} from './graph-gen.ts';
import { keyId } from './node-key.ts';
import { type Rate, ZERO_RATE, addRates, maxPayable } from './rate.ts';
import { DEFAULT_LIMITS, type FoundRoute, findRoutes } from './route-search.ts';

const oracles = new WeakMap<GenGraph, ReturnType<typeof makeOracle>>();
function oracle(gen: GenGraph) {
  let o = oracles.get(gen);
  if (o === undefined) { o = makeOracle(gen); oracles.set(gen, o); }
  return o;
}

/** An oracle read straight from the generated reports, independent of CapacityGraph's internals. */
function makeOracle(gen: GenGraph) {
  const index = new Map(gen.keys.map((k, i) => [keyId(k), i]));
  const halves = gen.reports.map((rs) => new Map(rs.map((r) => [index.get(keyId(r.friend)) as number, r])));
  const half = (a: number, b: number) => halves[a]?.get(b);
  const idx = (k: Uint8Array): number => {
    const i = index.get(keyId(k));
    if (i === undefined) throw new Error('route names an unknown node');
    return i;
  };
  const capacity = (a: number, b: number): bigint => {
    const x = half(a, b), y = half(b, a);
    if (x === undefined || y === undefined) return 0n;
    return x.sendCapacity < y.recvCapacity ? x.sendCapacity : y.recvCapacity;
  };
  const routeRate = (path: readonly number[]): Rate | undefined => {
    let rate: Rate | undefined = ZERO_RATE;
    for (let k = 1; k + 1 < path.length && rate; k++) rate = addRates(rate, (half(path[k] as number, path[k - 1] as number) as { rate: Rate }).rate);
    return rate;
  };
  return { idx, capacity, routeRate };
}

/** Checks what every answer must satisfy; returns the total payable amount. */
function checkRoutes(gen: GenGraph, routes: readonly FoundRoute[], s: number, d: number, amount: bigint): void {
  const o = oracle(gen);
  const used = new Map<string, bigint>();
  let payable = 0n;
  for (const r of routes) {
    const path = r.route.map(o.idx);
    expect(path[0]).toBe(s);
    expect(path[path.length - 1]).toBe(d);
    expect(new Set(path).size).toBe(path.length);
    expect(path.length).toBeLessThan(32);
    expect(o.routeRate(path)).toEqual(r.rate);
    for (let k = 0; k + 1 < path.length; k++) {
      const key = `${path[k]}>${path[k + 1]}`;
      used.set(key, (used.get(key) ?? 0n) + r.capacity);
      expect(used.get(key)).toBeLessThanOrEqual(o.capacity(path[k] as number, path[k + 1] as number));
    }
    expect(r.capacity).toBeGreaterThan(0n);
    payable += maxPayable(r.rate, r.capacity);
  }
  if (routes.length > 0) expect(payable).toBeGreaterThanOrEqual(amount);
}

/** Edmonds–Karp on the oracle's capacities (rates ignored): the most any set of routes can move. */
function maxFlow(gen: GenGraph, s: number, d: number): bigint {
  const o = oracle(gen);
  const n = gen.keys.length;
  const nbrs: number[][] = Array.from({ length: n }, () => []);
  gen.reports.forEach((rs, a) => rs.forEach((r) => nbrs[a]?.push(o.idx(r.friend))));
  const flow = new Map<string, bigint>();
  const res = (a: number, b: number) => o.capacity(a, b) - (flow.get(`${a}>${b}`) ?? 0n);
  let total = 0n;
  for (;;) {
    const prev = new Array<number>(n).fill(-1);
    prev[s] = s;
    const queue = [s];
    while (queue.length > 0 && prev[d] === -1) {
      const u = queue.shift() as number;
      for (const v of nbrs[u] ?? []) if (prev[v] === -1 && res(u, v) > 0n) { prev[v] = u; queue.push(v); }
    }
    if (prev[d] === -1) return total;
    let x = -1n;
    for (let v = d; v !== s; v = prev[v] as number) { const r = res(prev[v] as number, v); if (x < 0n || r < x) x = r; }
    for (let v = d; v !== s; v = prev[v] as number) {
      const u = prev[v] as number;
      flow.set(`${u}>${v}`, (flow.get(`${u}>${v}`) ?? 0n) + x);
      flow.set(`${v}>${u}`, (flow.get(`${v}>${u}`) ?? 0n) - x);
    }
    total += x;
  }
}

const ask = (g: CapacityGraph, gen: GenGraph, s: number, d: number, amount: bigint) =>
  findRoutes(g, { source: gen.keys[s] as Uint8Array, destination: gen.keys[d] as Uint8Array, currency: GEN_CURRENCY, amount });

describe('findRoutes', () => {
  it('finds the one route of a line and refuses more than its capacity', () => {
    const gen = lineGraph(6, { seed: 1, minCap: 100n, maxCap: 1000n, fees: false });
    const g = loadGraph(gen);
    const o = oracle(gen);
    let cap = o.capacity(0, 1);
    for (let k = 1; k < 5; k++) if (o.capacity(k, k + 1) < cap) cap = o.capacity(k, k + 1);
    const routes = ask(g, gen, 0, 5, cap);
    expect(routes).toHaveLength(1);
    expect(routes[0]?.route.map(o.idx)).toEqual([0, 1, 2, 3, 4, 5]);
    checkRoutes(gen, routes, 0, 5, cap);
    expect(ask(g, gen, 0, 5, cap + 1n)).toEqual([]);
  });

  it('stops when a request has used up its work budget', () => {
    const gen = lineGraph(10, { seed: 1, minCap: 100n, maxCap: 100n, fees: false });
    const g = loadGraph(gen);
    const q = (maxVisits: number, amount: bigint) => findRoutes(g, { source: gen.keys[0] as Uint8Array, destination: gen.keys[9] as Uint8Array, currency: GEN_CURRENCY, amount }, { ...DEFAULT_LIMITS, maxVisits });
    expect(q(9, 10n)).toHaveLength(1); // nine expansions reach the end of the line
    expect(q(8, 10n)).toEqual([]);
  });

  it('charges the rate each mediator set for the friend the request came from', () => {
    const k = [genKey(0), genKey(1), genKey(2)];
    const big = 1n << 64n;
    const g = new CapacityGraph();
    g.setNode(k[0] as Uint8Array, [{ friend: k[1] as Uint8Array, currency: 'X', sendCapacity: big, recvCapacity: big, rate: { mul: 0, add: 100 } }]);
    g.setNode(k[1] as Uint8Array, [
      { friend: k[0] as Uint8Array, currency: 'X', sendCapacity: big, recvCapacity: big, rate: { mul: 0, add: 7 } },
      { friend: k[2] as Uint8Array, currency: 'X', sendCapacity: big, recvCapacity: big, rate: { mul: 0, add: 50 } },
    ]);
    g.setNode(k[2] as Uint8Array, [{ friend: k[1] as Uint8Array, currency: 'X', sendCapacity: big, recvCapacity: big, rate: { mul: 0, add: 9 } }]);
    const forward = findRoutes(g, { source: k[0] as Uint8Array, destination: k[2] as Uint8Array, currency: 'X', amount: 10n });
    expect(forward[0]?.rate).toEqual({ mul: 0, add: 7 });
    const back = findRoutes(g, { source: k[2] as Uint8Array, destination: k[0] as Uint8Array, currency: 'X', amount: 10n });
    expect(back[0]?.rate).toEqual({ mul: 0, add: 50 });
    expect(findRoutes(g, { source: k[0] as Uint8Array, destination: k[2] as Uint8Array, currency: 'Y', amount: 10n })).toEqual([]);
  });

  it('needs both ends to report a friendship: a friend that stops reporting drops out', () => {
    const gen = lineGraph(3, { seed: 2, minCap: 100n, maxCap: 100n, fees: false });
    const g = loadGraph(gen);
    expect(ask(g, gen, 0, 2, 50n)).toHaveLength(1);
    g.setNode(gen.keys[1] as Uint8Array, gen.reports[1]?.filter((r) => keyId(r.friend) !== keyId(gen.keys[2] as Uint8Array)) ?? []);
    expect(ask(g, gen, 0, 2, 50n)).toEqual([]);
    g.setNode(gen.keys[1] as Uint8Array, gen.reports[1] ?? []);
    expect(ask(g, gen, 0, 2, 50n)).toHaveLength(1);
    g.removeNode(gen.keys[2] as Uint8Array);
    expect(ask(g, gen, 0, 2, 50n)).toEqual([]);
  });

  it('includes the fees in the capacity a single route must have', () => {
    const k = [genKey(0), genKey(1), genKey(2)];
    const g = new CapacityGraph();
    const r = (friend: Uint8Array, cap: bigint, add: number) => ({ friend, currency: 'X', sendCapacity: cap, recvCapacity: cap, rate: { mul: 0, add } });
    g.setNode(k[0] as Uint8Array, [r(k[1] as Uint8Array, 105n, 0)]);
    g.setNode(k[1] as Uint8Array, [r(k[0] as Uint8Array, 105n, 5), r(k[2] as Uint8Array, 105n, 0)]);
    g.setNode(k[2] as Uint8Array, [r(k[1] as Uint8Array, 105n, 0)]);
    const q = (amount: bigint) => findRoutes(g, { source: k[0] as Uint8Array, destination: k[2] as Uint8Array, currency: 'X', amount });
    expect(q(100n)).toHaveLength(1);
    expect(q(101n)).toEqual([]);
  });

  it('prefers the cheapest route, then the shortest', () => {
    // ring of 6: 0→1→2→3 (2 mediators) vs 0→5→4→3 (2 mediators); make the first expensive
    const gen = ringGraph(6, { seed: 3, minCap: 1000n, maxCap: 1000n, fees: false });
    const g0 = loadGraph(gen);
    const plain = ask(g0, gen, 0, 3, 10n);
    expect(plain).toHaveLength(1);
    expect(plain[0]?.route).toHaveLength(4);
    const expensive = gen.reports.map((rs, i) => rs.map((r) => (i === 1 ? { ...r, rate: { mul: 0, add: 5 } } : r)));
    const g = loadGraph({ keys: gen.keys, reports: expensive });
    const o = oracle(gen);
    expect(ask(g, gen, 0, 3, 10n)[0]?.route.map(o.idx)).toEqual([0, 5, 4, 3]);
    // a direct friendship is cheaper (no mediator) and shorter than both
    expect(ask(g, gen, 0, 1, 10n)[0]?.route.map(o.idx)).toEqual([0, 1]);
  });

  it('avoids an excluded friendship, in one route and when splitting', () => {
    const gen = ringGraph(8, { seed: 4, minCap: 100n, maxCap: 100n, fees: false });
    const g = loadGraph(gen);
    const o = oracle(gen);
    const k = (i: number) => gen.keys[i] as Uint8Array;
    const req = (amount: bigint, from: number, to: number) => findRoutes(g, { source: k(0), destination: k(2), currency: GEN_CURRENCY, amount, exclude: { from: k(from), to: k(to) } });
    expect(req(50n, 1, 2)[0]?.route.map(o.idx)).toEqual([0, 7, 6, 5, 4, 3, 2]);
    expect(req(50n, 2, 1)[0]?.route.map(o.idx)).toEqual([0, 1, 2]); // the other direction is still usable
    expect(req(150n, 1, 2)).toEqual([]); // the split needs both sides
    expect(req(150n, 6, 5)).toEqual([]); // the long side runs 7→6→5
    const both = req(150n, 5, 6);
    expect(both).toHaveLength(2);
    checkRoutes(gen, both, 0, 2, 150n);
  });

  it('splits over the cheapest routes first', () => {
    // s=0 and d=4 joined through three mediators 1, 2, 3; the expensive one (2) is also the widest
    const k = [0, 1, 2, 3, 4].map(genKey);
    const key = (i: number) => k[i] as Uint8Array;
    const e = (friend: number, add = 0, cap = 100n) => ({ friend: key(friend), currency: 'X', sendCapacity: cap, recvCapacity: cap, rate: { mul: 0, add } });
    const g = new CapacityGraph();
    g.setNode(key(0), [e(1), e(2, 0, 110n), e(3)]);
    g.setNode(key(1), [e(0, 1), e(4)]);
    g.setNode(key(2), [e(0, 50, 110n), e(4, 0, 110n)]);
    g.setNode(key(3), [e(0, 2), e(4)]);
    g.setNode(key(4), [e(1), e(2, 0, 110n), e(3)]);
    const routes = findRoutes(g, { source: key(0), destination: key(4), currency: 'X', amount: 140n });
    expect(routes.map((r) => r.rate.add).sort()).toEqual([1, 2]);
    expect(routes.every((r) => r.capacity === 100n)).toBe(true);
  });

  it('splits over both sides of a ring when neither can carry the amount alone', () => {
    const gen = ringGraph(8, { seed: 4, minCap: 100n, maxCap: 100n, fees: false });
    const g = loadGraph(gen);
    const routes = ask(g, gen, 0, 4, 200n);
    expect(routes).toHaveLength(2);
    checkRoutes(gen, routes, 0, 4, 200n);
    expect(ask(g, gen, 0, 4, 201n)).toEqual([]);
  });

  it('answers correctly on random lines, rings and grids: routes are real and cover the max flow', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rnd = prng(seed);
      const gens: GenGraph[] = [
        lineGraph(2 + (seed % 7), { seed, fees: seed % 2 === 0 }),
        ringGraph(3 + (seed % 9), { seed, fees: seed % 2 === 0 }),
        gridGraph(2 + (seed % 4), 2 + (seed % 3), { seed, fees: false }),
        randomGraph(20, 40, { seed, fees: false }),
      ];
      for (const gen of gens) {
        const g = loadGraph(gen);
        const n = gen.keys.length;
        const s = Math.floor(rnd() * n);
        const d = (s + 1 + Math.floor(rnd() * (n - 1))) % n;
        const flow = maxFlow(gen, s, d);
        for (const amount of [1n, flow / 3n, flow / 2n, flow, flow + 1n]) {
          if (amount <= 0n) continue;
          const routes = ask(g, gen, s, d, amount);
          checkRoutes(gen, routes, s, d, amount);
          if (amount > flow) expect(routes).toEqual([]);
          // zero-fee graphs: whenever the total capacity suffices, the answer covers the amount
          const feeless = gen.reports.every((rs) => rs.every((r) => r.rate.mul === 0 && r.rate.add === 0));
          if (feeless && amount <= flow) expect(routes.length, `seed ${seed} n ${n} ${s}->${d} amount ${amount} flow ${flow}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('serves a 10k-node random graph: every answer is real, small amounts go in one route', () => {
    const gen = randomGraph(10_000, 50_000, { seed: 7, minCap: 0n, maxCap: 10_000n });
    const g = loadGraph(gen);
    const rnd = prng(99);
    let single = 0;
    for (let i = 0; i < 40; i++) {
      const s = Math.floor(rnd() * 10_000);
      const d = Math.floor(rnd() * 10_000);
      if (s === d) continue;
      const amount = i % 4 === 3 ? 15_000n : 100n;
      const routes = ask(g, gen, s, d, amount);
      checkRoutes(gen, routes, s, d, amount);
      if (amount === 100n && routes.length === 1) single++;
    }
    expect(single).toBeGreaterThan(20);
  });
});
