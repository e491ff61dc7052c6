/** The capacity graph an index server keeps: per currency, what each node reported about each friend.
 *  A directed edge u→v exists only when both ends report the friendship (an offline or disabled friend
 *  is not reported, so it drops out). Its capacity is min(u's send capacity to v, v's receive capacity
 *  from u) and its fee is the rate v charges for requests coming from u (reference/funder.md §3.2, §3.6). */
import { type Rate } from './rate.ts';
import { type CompactGraph, compact } from './compact-graph.ts';
import { type Half, HalfSet } from './half-set.ts';
import { keyId } from './node-key.ts';

/** One node's report about one friend in one currency. */
export interface FriendCapacity {
  readonly friend: Uint8Array;
  readonly currency: string;
  /** How much this node can still push to the friend (its own view). */
  readonly sendCapacity: bigint;
  /** How much the friend can still push to this node: remote_max_debt − (balance + rpd), saturating. */
  readonly recvCapacity: bigint;
  /** The rate this node charges for requests that come from this friend. */
  readonly rate: Rate;
}

export type { Half } from './half-set.ts';

export class CurrencyGraph {
  /** adj.get(u).get(v) = u's report about v. */
  readonly adj = new Map<number, HalfSet>();
  halves = 0;
  /** Array copy for search. Capacity and rate changes and removed friendships are patched into it at
   *  once (a removed one keeps its edge with capacity 0); new friendships wait for the next rebuild. */
  compactCache: CompactGraph | undefined;
  /** When compactCache was built (CapacityGraph's clock). */
  builtAt = 0;
  /** A usable friendship appeared that compactCache lacks. */
  missingEdges = false;

  /** Capacity of the directed edge u→v, 0n when either half is missing. */
  capacity(u: number, v: number): bigint {
    const a = this.adj.get(u)?.get(v);
    const b = this.adj.get(v)?.get(u);
    if (a === undefined || b === undefined) return 0n;
    return a.send < b.recv ? a.send : b.recv;
  }

  /** The rate v charges when forwarding a request that came from u. */
  rate(u: number, v: number): Rate | undefined {
    const b = this.adj.get(v)?.get(u);
    return b === undefined ? undefined : { mul: b.mul, add: b.add };
  }
}

export class CapacityGraph {
  private readonly ids = new Map<string, number>();
  private readonly keys: Uint8Array[] = [];
  private readonly graphs = new Map<string, CurrencyGraph>();
  /** node id → currencies it currently has reports in. */
  private readonly reportedIn = new Map<number, Set<string>>();

  idOf(publicKey: Uint8Array): number | undefined {
    return this.ids.get(keyId(publicKey));
  }

  keyOf(id: number): Uint8Array {
    const k = this.keys[id];
    if (k === undefined) throw new RangeError(`unknown node id ${id}`);
    return k;
  }

  private intern(publicKey: Uint8Array): number {
    const s = keyId(publicKey);
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(Uint8Array.from(publicKey));
      this.ids.set(s, id);
    }
    return id;
  }

  /** Node ids are dense: 0 ≤ id < idCount. */
  get idCount(): number {
    return this.keys.length;
  }

  currency(currency: string): CurrencyGraph | undefined {
    return this.graphs.get(currency);
  }

  /** The search copy of one currency's graph. It always has every capacity as reported now; new
   *  friendships appear in it once rebuilt, which happens at most once per `minRebuildIntervalMs`
   *  of `now` (default 0: whenever one is missing). A missing edge only hides a route, it never
   *  offers one that is not there. */
  compact(currency: string, now = 0, minRebuildIntervalMs = 0): CompactGraph | undefined {
    const g = this.graphs.get(currency);
    if (g === undefined) return undefined;
    if (g.compactCache === undefined || (g.missingEdges && now - g.builtAt >= minRebuildIntervalMs)) {
      g.compactCache = compact(g, this.keys.length);
      g.builtAt = now;
      g.missingEdges = false;
    }
    return g.compactCache;
  }

  currencies(): string[] {
    return [...this.graphs.keys()];
  }

  /** Replaces everything `node` reported with `reports` (a full snapshot), patching the search copy. */
  setNode(node: Uint8Array, reports: readonly FriendCapacity[]): void {
    const u = this.intern(node);
    const next = new Map<string, Map<number, Half>>();
    for (const r of reports) {
      const v = this.intern(r.friend);
      if (v === u) continue;
      let out = next.get(r.currency);
      if (out === undefined) { out = new Map(); next.set(r.currency, out); }
      out.set(v, { send: r.sendCapacity, recv: r.recvCapacity, mul: r.rate.mul, add: r.rate.add });
    }
    for (const c of this.reportedIn.get(u) ?? []) {
      if (!next.has(c)) this.clearCurrency(u, c);
    }
    for (const [c, out] of next) {
      let g = this.graphs.get(c);
      if (g === undefined) { g = new CurrencyGraph(); this.graphs.set(c, g); }
      const old = g.adj.get(u);
      const set = HalfSet.from(out);
      g.halves += set.size - (old?.size ?? 0);
      g.adj.set(u, set);
      patchNode(g, u, set);
    }
    if (next.size === 0) this.reportedIn.delete(u);
    else this.reportedIn.set(u, new Set(next.keys()));
  }

  removeNode(node: Uint8Array): void {
    const u = this.idOf(node);
    if (u !== undefined) this.clear(u);
  }

  private clear(u: number): void {
    for (const c of this.reportedIn.get(u) ?? []) this.clearCurrency(u, c);
    this.reportedIn.delete(u);
  }

  private clearCurrency(u: number, c: string): void {
    const g = this.graphs.get(c);
    const out = g?.adj.get(u);
    if (g === undefined || out === undefined) return;
    g.halves -= out.size;
    g.adj.delete(u);
    if (g.adj.size === 0) this.graphs.delete(c);
    else patchNode(g, u, HalfSet.EMPTY);
  }

  /** Number of (node, friend, currency) reports held. */
  get halfCount(): number {
    let n = 0;
    for (const g of this.graphs.values()) n += g.halves;
    return n;
  }

  get nodeCount(): number {
    return this.reportedIn.size;
  }
}

/** After u's half-edges became `out` (already in g.adj): rewrites the capacity and rate of u's edges
 *  in the search copy (0 for a friendship that is gone) and notes friendships the copy lacks. */
function patchNode(g: CurrencyGraph, u: number, out: HalfSet): void {
  const cg = g.compactCache;
  if (cg === undefined) return;
  const present = new Set<number>();
  if (u < cg.n) {
    for (let e = cg.start[u] as number; e < (cg.start[u + 1] as number); e++) {
      const v = cg.to[e] as number;
      present.add(v);
      const a = out.get(v);
      const b = g.adj.get(v)?.get(u);
      if (a === undefined || b === undefined) {
        setEdge(cg, e, 0n, cg.mul[e] as number, cg.add[e] as number);
        setEdge(cg, cg.rev[e] as number, 0n, cg.mul[cg.rev[e] as number] as number, cg.add[cg.rev[e] as number] as number);
        continue;
      }
      setEdge(cg, e, a.send < b.recv ? a.send : b.recv, b.mul, b.add);
      setEdge(cg, cg.rev[e] as number, b.send < a.recv ? b.send : a.recv, a.mul, a.add);
    }
  }
  for (const v of out.keys()) {
    if (!present.has(v) && g.adj.get(v)?.has(u) === true) g.missingEdges = true;
  }
}

function setEdge(cg: CompactGraph, e: number, cap: bigint, mul: number, add: number): void {
  cg.cap[e] = cap;
  cg.capNum[e] = Number(cap);
  cg.mul[e] = mul;
  cg.add[e] = add;
}
