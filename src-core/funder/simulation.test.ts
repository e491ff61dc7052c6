/** Deterministic simulation: funders in a friend graph with cycles, wired by an in-memory network
 *  that delays, reorders, duplicates and drops messages, takes links down, and restarts nodes from
 *  their store (encoded snapshot + encoded mutation journal) at random points, while thousands of
 *  random payments run (single and multi-route, with fees, several currencies, with and without
 *  invoices). After quiescence: channels consistent, balances mirrored, each node's total equal to
 *  what its collected payments and fees say, nothing frozen, every payment ended with a valid
 *  receipt or a cancel. Halfway, three friendships are forgotten and re-added (forcing a reset that
 *  the forgetting side accepts) while faults continue. A failing seed is printed; rerun with
 *  SIM_SEED=<seed>. */
import { describe, expect, it } from 'vitest';
import { decodeExact, encode } from '../codec/index.ts';
import { nodeBackend } from '../crypto/backend.node.ts';
import { prng } from '../index/graph-gen.ts';
import { type Rate, checkReceiptForInvoice } from '../proto/index.ts';
import type { AppRequest, FunderEvent } from './events.ts';
import { type Hex, fromHex, toHex } from './hex.ts';
import { applyMutation } from './mutations.ts';
import { calcFee } from './rate.ts';
import { afterRestart } from './state.ts';
import { funderMutationCodec, funderStateCodec } from './state-codec.ts';
import { step } from './step.ts';
import { type Envelope, type TestNode, makeNode } from './testkit.ts';

const crypto = nodeBackend;


interface Part {
  readonly buyer: number;
  readonly route: readonly number[];
  readonly currency: string;
  readonly dest: bigint;
  readonly fees: bigint;
  readonly mediatorFees: readonly bigint[];
}
interface PaymentPlan {
  readonly buyer: number;
  readonly seller: number;
  readonly currency: string;
  readonly total: bigint;
  readonly invoiceId: Uint8Array;
  readonly autoCollect: boolean;
  status: 'open' | 'success' | 'canceled';
}

const CURRENCIES = ['FST', 'USD'];
const EDGES: readonly [number, number][] = [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6], [6, 0], [0, 3], [2, 5], [1, 4]];

class Sim {
  readonly nodes: TestNode[];
  readonly stores: { snapshot: Uint8Array; journal: Uint8Array[] }[];
  pool: Envelope[] = [];
  actions: { node: number; request: AppRequest }[] = [];
  readonly down = new Set<string>();
  readonly rates = new Map<string, Rate>(); // `${mediator}>${fromFriend}` → rate
  readonly parts = new Map<Hex, Part>();
  readonly payments = new Map<Hex, PaymentPlan>();
  readonly collected = new Set<Hex>();
  readonly forgotten = new Set<string>();
  resets = 0;
  readonly seenResults: number[];
  now = 0;
  private nextId = 1;

  constructor(readonly rnd: () => number, n: number) {
    this.nodes = Array.from({ length: n }, (_, i) => makeNode(crypto, i));
    this.stores = this.nodes.map((x) => ({ snapshot: encode(funderStateCodec, x.state), journal: [] }));
    this.seenResults = this.nodes.map(() => 0);
  }

  index(key: Hex): number { return this.nodes.findIndex((n) => n.key === key); }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.rnd() * xs.length)] as T; }
  linkKey(a: number, b: number): string { return a < b ? `${a}-${b}` : `${b}-${a}`; }
  friendsOf(i: number): number[] { return EDGES.filter(([a, b]) => a === i || b === i).map(([a, b]) => (a === i ? b : a)); }

  /** One event at node i: persist its mutations (write-ahead), then release its messages. */
  run(i: number, event: FunderEvent): void {
    const node = this.nodes[i]!;
    const out = step(node.state, event, { now: this.now, random: node.random, signer: node.signer, crypto, unseal: node.unseal });
    const store = this.stores[i]!;
    for (const m of out.mutations) store.journal.push(encode(funderMutationCodec, m));
    node.state = out.mutations.reduce(applyMutation, node.state);
    if (store.journal.length > 64) store.journal = [], store.snapshot = encode(funderStateCodec, node.state);
    for (const m of out.messages) {
      if (m.kind !== 'friend-message') continue;
      const to = toHex(m.to);
      if (m.message.kind === 'move-token-request') {
        for (const co of m.message.moveToken.currenciesOperations) {
          for (const op of co.operations) if (op.kind === 'collect') this.noteCollect(i, toHex(op.requestId));
        }
      }
      this.pool.push({ from: node.key, to, message: m.message });
    }
    node.results.push(...out.results);
    this.react(i);
  }

  private noteCollect(from: number, id: Hex): void {
    const part = this.parts.get(id);
    if (part !== undefined && part.route[part.route.length - 1] === from) this.collected.add(id);
  }

  request(i: number, request: AppRequest): void {
    const id = new Uint8Array(16);
    new DataView(id.buffer).setUint32(12, this.nextId++);
    this.run(i, { kind: 'app-request', requestId: id, request });
  }

  /** The apps: hand commits to sellers, ack closed payments. */
  private react(i: number): void {
    const node = this.nodes[i]!;
    for (; this.seenResults[i]! < node.results.length; this.seenResults[i]!++) {
      const r = node.results[this.seenResults[i]!]!;
      if (r.kind === 'transaction-result' && r.result.kind === 'complete') {
        const part = this.parts.get(toHex(r.requestId));
        if (part !== undefined) this.actions.push({ node: part.route[part.route.length - 1]!, request: { kind: 'commit-invoice', commit: r.result.commit } });
      }
      if (r.kind === 'payment-status') {
        const plan = this.payments.get(toHex(r.paymentId));
        if (plan === undefined || r.status.kind === 'not-found') continue;
        if (r.status.kind === 'success') {
          const problem = checkReceiptForInvoice(crypto, {
            invoiceId: plan.invoiceId, currency: plan.currency, destPublicKey: this.nodes[plan.seller]!.signer.publicKey, totalDestPayment: plan.total,
          }, r.status.receipt);
          if (problem !== undefined) throw new Error(`bad receipt for payment ${toHex(r.paymentId)}: ${problem}`);
          plan.status = 'success';
        } else if (plan.status === 'open') {
          plan.status = 'canceled';
        }
        this.actions.push({ node: i, request: { kind: 'ack-close-payment', paymentId: r.paymentId, ackUid: r.status.ackUid } });
      }
    }
  }

  setup(): void {
    for (const [a, b] of EDGES) {
      for (const [x, y] of [[a, b], [b, a]] as const) {
        const fy = this.nodes[y]!.signer.publicKey;
        this.request(x, { kind: 'add-friend', friendPublicKey: fy, relays: [], name: `n${y}` });
        this.request(x, { kind: 'enable-friend', friendPublicKey: fy });
        for (const c of CURRENCIES) {
          const rate: Rate = { mul: this.rnd() < 0.5 ? 0 : Math.floor(this.rnd() * 2 ** 28), add: Math.floor(this.rnd() * 3) };
          this.rates.set(`${x}>${y}>${c}`, rate);
          this.request(x, { kind: 'set-friend-currency-rate', friendPublicKey: fy, currency: c, rate });
          this.request(x, { kind: 'set-friend-currency-max-debt', friendPublicKey: fy, currency: c, remoteMaxDebt: 400n });
          this.request(x, { kind: 'open-friend-currency', friendPublicKey: fy, currency: c });
        }
      }
    }
    for (const [a, b] of EDGES) this.connect(a, b);
  }

  connect(a: number, b: number): void {
    this.down.delete(this.linkKey(a, b));
    this.run(a, { kind: 'friend-online', friend: this.nodes[b]!.signer.publicKey });
    this.run(b, { kind: 'friend-online', friend: this.nodes[a]!.signer.publicKey });
  }

  disconnect(a: number, b: number): void {
    this.down.add(this.linkKey(a, b));
    this.pool = this.pool.filter((e) => !((e.from === this.nodes[a]!.key && e.to === this.nodes[b]!.key) || (e.from === this.nodes[b]!.key && e.to === this.nodes[a]!.key)));
    this.run(a, { kind: 'friend-offline', friend: this.nodes[b]!.signer.publicKey });
    this.run(b, { kind: 'friend-offline', friend: this.nodes[a]!.signer.publicKey });
  }

  /** Node i forgets friend j and adds it again (the way to force a reset, §7.5 #11), only while
   *  nothing is pending between them so that no credit is at stake; i later accepts j's terms. */
  forget(i: number, j: number): void {
    const link = (x: number, y: number) => this.nodes[x]!.state.friends.get(this.nodes[y]!.key)!.channel;
    const idle = (x: number, y: number): boolean => {
      const c = link(x, y);
      return c.kind === 'consistent' && c.pendingBackwardsOps.length + c.pendingRequests.length + c.pendingUserRequests.length === 0
        && [...c.tc.mutualCredits.values()].every((mc) => mc.local.size === 0 && mc.remote.size === 0);
    };
    if (!idle(i, j) || !idle(j, i) || this.down.has(this.linkKey(i, j))) return;
    const fj = this.nodes[j]!.signer.publicKey;
    this.request(i, { kind: 'remove-friend', friendPublicKey: fj });
    this.request(i, { kind: 'add-friend', friendPublicKey: fj, relays: [], name: `n${j}` });
    this.request(i, { kind: 'enable-friend', friendPublicKey: fj });
    for (const c of CURRENCIES) {
      this.request(i, { kind: 'set-friend-currency-rate', friendPublicKey: fj, currency: c, rate: this.rates.get(`${i}>${j}>${c}`)! });
      this.request(i, { kind: 'set-friend-currency-max-debt', friendPublicKey: fj, currency: c, remoteMaxDebt: 400n });
      this.request(i, { kind: 'open-friend-currency', friendPublicKey: fj, currency: c });
    }
    this.forgotten.add(`${i}>${j}`);
    this.resets++;
    this.disconnect(i, j);
    this.connect(i, j);
  }

  /** The forgetting side accepts its friend's terms once it has them. */
  acceptResets(): void {
    for (const key of [...this.forgotten]) {
      const [i, j] = key.split('>').map(Number) as [number, number];
      const c = this.nodes[i]!.state.friends.get(this.nodes[j]!.key)!.channel;
      if (c.kind === 'consistent') { this.forgotten.delete(key); continue; }
      if (c.remoteTerms !== undefined && !this.down.has(this.linkKey(i, j))) {
        this.request(i, { kind: 'reset-friend-channel', friendPublicKey: this.nodes[j]!.signer.publicKey, resetToken: c.remoteTerms.resetToken });
      }
    }
  }

  /** Crash and restart node i from its store; its links drop and come back. */
  restart(i: number): void {
    for (const f of this.friendsOf(i)) if (!this.down.has(this.linkKey(i, f))) this.disconnect(i, f);
    const store = this.stores[i]!;
    const snap = decodeExact(funderStateCodec, store.snapshot);
    if (!snap.ok) throw snap.error;
    let state = snap.value;
    for (const b of store.journal) {
      const m = decodeExact(funderMutationCodec, b);
      if (!m.ok) throw m.error;
      state = applyMutation(state, m.value);
    }
    // The store holds exactly what the node had in memory.
    if (Buffer.compare(encode(funderStateCodec, state), encode(funderStateCodec, this.nodes[i]!.state)) !== 0) {
      throw new Error(`node ${i}: snapshot + journal differ from the state in memory`);
    }
    this.nodes[i]!.state = afterRestart(state);
    this.run(i, { kind: 'init' });
    for (const f of this.friendsOf(i)) this.connect(i, f);
  }

  routes(from: number, to: number): number[][] {
    const out: number[][] = [];
    const walk = (path: number[]): void => {
      if (out.length >= 6) return;
      const last = path[path.length - 1]!;
      if (last === to) { out.push(path); return; }
      if (path.length >= 5) return;
      for (const f of this.friendsOf(last)) if (!path.includes(f)) walk([...path, f]);
    };
    walk([from]);
    return out;
  }

  startPayment(): void {
    const buyer = Math.floor(this.rnd() * this.nodes.length);
    let seller = Math.floor(this.rnd() * (this.nodes.length - 1));
    if (seller >= buyer) seller += 1;
    const currency = this.pick(CURRENCIES);
    const routes = this.routes(buyer, seller);
    if (routes.length === 0) return;
    const multi = routes.length > 1 && this.rnd() < 0.35;
    const chosen = multi ? [routes[0]!, routes[routes.length - 1]!] : [this.pick(routes)];
    const amounts = chosen.map(() => BigInt(1 + Math.floor(this.rnd() * 40)));
    const total = amounts.reduce((s, x) => s + x, 0n);
    const autoCollect = this.rnd() < 0.3;
    const invoiceId = this.nodes[buyer]!.random(32);
    const paymentId = this.nodes[buyer]!.random(16);
    const sellerKey = this.nodes[seller]!.signer.publicKey;
    if (!autoCollect) this.request(seller, { kind: 'add-invoice', invoiceId, currency, totalDestPayment: total });
    this.payments.set(toHex(paymentId), { buyer, seller, currency, total, invoiceId, autoCollect, status: 'open' });
    const deadline = this.rnd() < 0.2 ? this.now + Math.floor(this.rnd() * 20_000) : undefined;
    this.request(buyer, { kind: 'create-payment', paymentId, invoiceId, currency, totalDestPayment: total, destPublicKey: sellerKey, autoCollect, deadline });
    chosen.forEach((route, k) => {
      const dest = amounts[k]!;
      const mediatorFees = route.slice(1, -1).map((m, j) => calcFee(this.rates.get(`${m}>${route[j]!}>${currency}`)!, dest)!);
      const fees = mediatorFees.reduce((s, x) => s + x, 0n) + (this.rnd() < 0.2 ? 1n : 0n);
      const requestId = this.nodes[buyer]!.random(16);
      this.parts.set(toHex(requestId), { buyer, route, currency, dest, fees, mediatorFees });
      this.request(buyer, { kind: 'create-transaction', paymentId, requestId, route: route.map((x) => this.nodes[x]!.signer.publicKey), destPayment: dest, fees });
    });
    this.request(buyer, { kind: 'request-close-payment', paymentId });
  }

  deliverOne(faults: boolean): void {
    const k = faults ? Math.floor(this.rnd() * this.pool.length) : 0;
    const e = this.pool[k]!;
    const roll = this.rnd();
    if (faults && roll < 0.05) { this.pool.splice(k, 1); return; } // dropped
    if (!(faults && roll < 0.1)) this.pool.splice(k, 1); // else duplicated: a copy stays in flight
    const to = this.index(e.to);
    const from = this.index(e.from);
    if (this.down.has(this.linkKey(to, from))) return;
    this.run(to, { kind: 'friend-message', from: fromHex(e.from), message: e.message });
  }

  chaos(steps: number, payments: number): void {
    let started = 0;
    for (let s = 0; s < steps; s++) {
      const r = this.rnd();
      if (r < 0.08 && started < payments) { this.startPayment(); started++; }
      else if (r < 0.1 && this.actions.length > 0) { const a = this.actions.splice(Math.floor(this.rnd() * this.actions.length), 1)[0]!; this.request(a.node, a.request); }
      else if (r < 0.102) this.restart(Math.floor(this.rnd() * this.nodes.length));
      else if (r < 0.1025) { const [a, b] = this.pick(EDGES); if (this.rnd() < 0.5) this.forget(a, b); else this.forget(b, a); }
      else if (r < 0.104 && this.forgotten.size > 0) this.acceptResets();
      else if (r < 0.104) { const [a, b] = this.pick(EDGES); if (!this.down.has(this.linkKey(a, b))) this.disconnect(a, b); }
      else if (r < 0.11 && this.down.size > 0) { const [a, b] = this.pick([...this.down]).split('-').map(Number) as [number, number]; this.connect(a, b); }
      else if (r < 0.12) { this.now += 1000; this.run(Math.floor(this.rnd() * this.nodes.length), { kind: 'tick' }); }
      else if (this.pool.length > 0) this.deliverOne(true);
    }
    while (started < payments) { this.startPayment(); started++; }
  }

  /** Heal everything and run until no state changes. */
  settle(): void {
    for (const l of [...this.down]) { const [a, b] = l.split('-').map(Number) as [number, number]; this.connect(a, b); }
    for (let round = 0; round < 500; round++) {
      this.acceptResets();
      const before = this.nodes.map((n) => n.state);
      for (let i = 0; this.pool.length > 0 || this.actions.length > 0; i++) {
        if (i > 200_000) throw new Error('no quiescence');
        if (this.pool.length > 0) this.deliverOne(false);
        else { const a = this.actions.shift()!; this.request(a.node, a.request); }
      }
      this.now += 1000;
      for (let i = 0; i < this.nodes.length; i++) this.run(i, { kind: 'tick' });
      while (this.pool.length > 0) this.deliverOne(false);
      if (this.nodes.every((n, i) => n.state === before[i]) && this.actions.length === 0 && this.forgotten.size === 0) return;
    }
    throw new Error('no quiescence after 500 rounds');
  }

  /** Sellers give up on invoices still open (a partly paid multi-route payment). */
  cancelLeftoverInvoices(): void {
    this.nodes.forEach((n, i) => {
      for (const k of n.state.openInvoices.keys()) this.request(i, { kind: 'cancel-invoice', invoiceId: fromHex(k) });
    });
    this.payments.forEach((p, k) => { if (p.status === 'open') this.request(p.buyer, { kind: 'request-close-payment', paymentId: fromHex(k) }); });
  }
}

function checkInvariants(sim: Sim): void {
  const expected = sim.nodes.map(() => new Map<string, bigint>(CURRENCIES.map((c) => [c, 0n])));
  const add = (i: number, c: string, x: bigint): void => { expected[i]!.set(c, expected[i]!.get(c)! + x); };
  for (const id of sim.collected) {
    const p = sim.parts.get(id)!;
    add(p.buyer, p.currency, -(p.dest + p.fees));
    p.route.slice(1, -1).forEach((m, j) => add(m, p.currency, p.mediatorFees[j]!));
    add(p.route[p.route.length - 1]!, p.currency, p.dest + p.fees - p.mediatorFees.reduce((s, x) => s + x, 0n));
  }
  sim.nodes.forEach((n, i) => {
    const totals = new Map<string, bigint>(CURRENCIES.map((c) => [c, 0n]));
    for (const f of sim.friendsOf(i)) {
      const other = sim.nodes[f]!;
      const mine = n.state.friends.get(other.key)!.channel;
      const theirs = other.state.friends.get(n.key)!.channel;
      expect(mine.kind, `channel ${i}-${f}`).toBe('consistent');
      if (mine.kind !== 'consistent' || theirs.kind !== 'consistent') continue;
      expect(mine.pendingBackwardsOps.length + mine.pendingRequests.length + mine.pendingUserRequests.length).toBe(0);
      for (const [c, mc] of mine.tc.mutualCredits) {
        const o = theirs.tc.mutualCredits.get(c)!;
        expect(mc.balance, `balance ${i}-${f} ${c}`).toBe(-o.balance);
        expect([mc.localPendingDebt, mc.remotePendingDebt, mc.local.size, mc.remote.size], `frozen ${i}-${f} ${c}`).toEqual([0n, 0n, 0, 0]);
        totals.set(c, totals.get(c)! + mc.balance);
      }
    }
    expect(totals, `totals of node ${i}`).toEqual(expected[i]);
    expect(n.state.openTransactions.size, `open transactions at ${i}`).toBe(0);
  });
  for (const [k, p] of sim.payments) expect(p.status, `payment ${k}`).not.toBe('open');
}

function simulate(seed: number, payments: number): { collected: number; payments: number; succeeded: number; resets: number } {
  const sim = new Sim(prng(seed), 7);
  try {
    sim.setup();
    sim.settle();
    const half = Math.floor(payments / 2);
    sim.chaos(half * 14, half);
    sim.settle();
    sim.cancelLeftoverInvoices();
    sim.settle();
    // Three friendships are forgotten and re-added while idle; the resets then run under faults.
    for (let k = 0; k < 3; k++) { const [x, y] = sim.pick(EDGES); sim.forget(x, y); }
    expect(sim.resets).toBeGreaterThan(0);
    sim.chaos((payments - half) * 14, payments - half);
    sim.settle();
    sim.cancelLeftoverInvoices();
    sim.settle();
    checkInvariants(sim);
  } catch (e) {
    console.error(`funder simulation failed with seed ${seed}; replay with SIM_SEED=${seed}`);
    throw e;
  }
  const succeeded = [...sim.payments.values()].filter((p) => p.status === 'success').length;
  return { collected: sim.collected.size, payments: sim.payments.size, succeeded, resets: sim.resets };
}

describe('funder simulation', () => {
  const seeds = process.env.SIM_SEED === undefined ? [11, 22] : [Number(process.env.SIM_SEED)];
  const payments = Number(process.env.SIM_PAYMENTS ?? 500);
  it.each(seeds)('seed %i: random payments under faults end consistent, mirrored and accounted', (seed) => {
    const r = simulate(seed, payments);
    if (process.env.SIM_STATS !== undefined) console.log(seed, r);
    expect(r.payments).toBeGreaterThan(payments * 0.85);
    expect(r.collected).toBeGreaterThan(payments / 4);
    expect(r.succeeded).toBeGreaterThan(r.payments / 4);
  }, Math.max(120_000, payments * 300));
});
