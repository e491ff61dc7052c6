import { describe, expect, it } from 'vitest';
import { CapacityGraph, type FriendCapacity } from './graph.ts';
import { genKey, prng } from './graph-gen.ts';

/** Every edge of the search copy must match the reports held, and every usable pair must be in it. */
function checkCompact(g: CapacityGraph, currency: string): void {
  const cg = g.compact(currency);
  const mg = g.currency(currency);
  if (cg === undefined || mg === undefined) { expect(mg?.adj.size ?? 0).toBe(0); return; }
  const inCopy = new Set<string>();
  for (let u = 0; u < cg.n; u++) {
    for (let e = cg.start[u] as number; e < (cg.start[u + 1] as number); e++) {
      const v = cg.to[e] as number;
      expect(cg.cap[e]).toBe(mg.capacity(u, v)); // 0 for a friendship that is gone
      expect(cg.capNum[e]).toBe(Number(mg.capacity(u, v)));
      const rate = mg.rate(u, v);
      if (rate !== undefined && mg.adj.get(u)?.has(v)) expect({ mul: cg.mul[e], add: cg.add[e] }).toEqual(rate);
      expect(cg.to[cg.rev[e] as number]).toBe(u);
      inCopy.add(`${u}>${v}`);
    }
  }
  for (const [u, out] of mg.adj) for (const v of out.keys()) if (mg.adj.get(v)?.has(u)) expect(inCopy.has(`${u}>${v}`)).toBe(true);
}

describe('CapacityGraph', () => {
  it('keeps its search copy equal to the reports through refreshes, capacity changes and friend changes', () => {
    const rnd = prng(5);
    const n = 12;
    const keys = Array.from({ length: n }, (_, i) => genKey(i));
    const g = new CapacityGraph();
    const friendsOf: number[][] = Array.from({ length: n }, () => []);
    const report = (u: number): FriendCapacity[] => friendsOf[u]?.flatMap((v) => ['A', 'B'].map((currency) => ({
      friend: keys[v] as Uint8Array, currency,
      sendCapacity: BigInt(Math.floor(rnd() * 1000)), recvCapacity: BigInt(Math.floor(rnd() * 1000)),
      rate: { mul: Math.floor(rnd() * 1000), add: Math.floor(rnd() * 5) },
    }))) ?? [];
    for (let step = 0; step < 400; step++) {
      const u = Math.floor(rnd() * n);
      const roll = rnd();
      if (roll < 0.15) {
        const v = Math.floor(rnd() * n);
        const fs = friendsOf[u] as number[];
        if (v !== u && !fs.includes(v)) fs.push(v);
      } else if (roll < 0.25) {
        (friendsOf[u] as number[]).splice(Math.floor(rnd() * (friendsOf[u]?.length ?? 0)), 1);
      }
      if (roll > 0.95) g.removeNode(keys[u] as Uint8Array);
      else g.setNode(keys[u] as Uint8Array, report(u));
      if (step % 3 === 0) { checkCompact(g, 'A'); checkCompact(g, 'B'); }
    }
  });

  it('hides a new friendship until the rebuild interval passes, but drops a lost one at once', () => {
    const [a, b, c] = [genKey(1), genKey(2), genKey(3)];
    const entry = (friend: Uint8Array): FriendCapacity => ({ friend, currency: 'X', sendCapacity: 9n, recvCapacity: 9n, rate: { mul: 0, add: 0 } });
    const g = new CapacityGraph();
    g.setNode(a, [entry(b)]);
    g.setNode(b, [entry(a)]);
    const at = (now: number) => {
      const cg = g.compact('X', now, 1000);
      const caps = new Map<string, bigint>();
      for (let u = 0; cg !== undefined && u < cg.n; u++) {
        for (let e = cg.start[u] as number; e < (cg.start[u + 1] as number); e++) caps.set(`${u}>${cg.to[e]}`, cg.cap[e] as bigint);
      }
      return caps;
    };
    expect(at(0).get('0>1')).toBe(9n);
    g.setNode(b, [entry(a), entry(c)]);
    g.setNode(c, [entry(b)]);
    expect(at(500).get('1>2')).toBeUndefined(); // not yet in the copy
    g.setNode(a, []);
    expect(at(600).get('0>1')).toBe(0n); // gone at once
    expect(at(1000).get('1>2')).toBe(9n);
  });

  it('forgets a currency a node stops reporting', () => {
    const [a, b] = [genKey(1), genKey(2)];
    const entry = (friend: Uint8Array, currency: string): FriendCapacity => ({ friend, currency, sendCapacity: 5n, recvCapacity: 5n, rate: { mul: 0, add: 0 } });
    const g = new CapacityGraph();
    g.setNode(a, [entry(b, 'X'), entry(b, 'Y')]);
    g.setNode(b, [entry(a, 'X'), entry(a, 'Y')]);
    expect(g.halfCount).toBe(4);
    g.setNode(a, [entry(b, 'Y')]);
    expect(g.halfCount).toBe(3);
    expect(g.currency('X')?.capacity(0, 1)).toBe(0n);
    expect(g.currency('Y')?.capacity(0, 1)).toBe(5n);
    g.removeNode(b);
    g.removeNode(a);
    expect(g.halfCount).toBe(0);
    expect(g.currencies()).toEqual([]);
    expect(g.nodeCount).toBe(0);
  });
});
