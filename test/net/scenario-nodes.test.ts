/** The scenario runner over stnode processes: nodes in a friend graph with cycles, 2 relays and 3
 *  federated index servers, each on its own virtual host with lossy, duplicating, reordering links
 *  and a delaying proxy in front of every server; a seeded storm SIGKILLs and restarts nodes,
 *  relays and index servers, and cuts and restores node links, while buyers pay random
 *  destinations with stctrl, on one route or split over several (amounts above what one route
 *  carries with fresh balances), and friends are disabled, re-enabled and given new currencies. After it
 *  settles, every friendship's balances mirror each other and every node's net position is what
 *  the payments explain: the successful ones exactly, plus possibly some that stctrl saw fail (a
 *  buyer killed mid-payment) but never more.
 *  SCENARIO_NODES, SCENARIO_SEEDS and SCENARIO_MS make bigger and longer runs; SCENARIO_VERBOSE=1
 *  prints every fault and failed payment. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { formatInvoice } from '../../src-core/files/index.ts';
// A destination holds the parts of a split auto-collect payment this long waiting for the rest;
// when a part failed upstream, the others stay pending (and the buyer's stctrl waits) until then.
import { IMPLICIT_INVOICE_TTL_MS } from '../../src-core/funder/index.ts';
import { prng } from '../fuzz/prng.ts';
import { VirtualNet, netSupport } from './harness.ts';
import { NodeNet } from './node-net.ts';
import { type FaultTarget, faultSchedule, runScenario } from './scenario.ts';

const support = await netSupport();
const canRun = support.netns && (support.netem || support.iptablesLoss);
const count = Number(process.env['SCENARIO_NODES'] ?? 5);
const seeds = (process.env['SCENARIO_SEEDS'] ?? '1,2').split(',').map(Number);
/** Every friendship's max debt, both ways. A route can carry MAX_DEBT plus the smallest balance in
 *  the sender's favour along it: at most MAX_DEBT with fresh balances. MULTI amounts are 1.2–1.5 ×
 *  MAX_DEBT: they must be split before the storm, and during it too unless the payments so far
 *  (1–10 each) moved every hop of one route 20+ the buyer's way. (Amounts above 2 × MAX_DEBT
 *  always split but need most of both ends' capacity: under the storm almost all failed with
 *  `no route`.) */
const MAX_DEBT = 100n;
const MULTI: readonly [bigint, bigint] = [MAX_DEBT + MAX_DEBT / 5n + 1n, MAX_DEBT + MAX_DEBT / 2n];
/** How long a seller waits for an invoice to be paid before canceling it. */
const SELLER_PATIENCE_MS = 30_000;
/** Link faults on every host (see harness.ts for what this kernel can apply). */
const IMPAIRMENT = { lossPct: 5, delayMs: 50, jitterMs: 20, duplicatePct: 1, reorderPct: 2 } as const;
const stormMs = Number(process.env['SCENARIO_MS'] ?? 15_000);
const minCrashes = Number(process.env['SCENARIO_MIN_CRASHES'] ?? 0);
/** SCENARIO_VERBOSE=1: every fault and every failed payment as a progress line, at any size. */
const verbose = process.env['SCENARIO_VERBOSE'] !== undefined;
const STREGISTER = fileURLToPath(new URL('../../bin/stregister.js', import.meta.url));
const nets: VirtualNet[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const n of nets) await n.destroy();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** One stctrl payment: `send-funds`, or `pay-invoice` of an invoice made here (the receipt is
 *  then checked with `stregister verify-receipt`). `disrupted`: its buyer was down or crashed
 *  while it ran, so a failure may still have gone through. */
interface Payment {
  readonly from: string; readonly to: string; readonly amount: bigint; readonly ok: boolean; readonly ms: number; readonly multi?: boolean;
  readonly invoice?: string; readonly receipt?: string; readonly disrupted: boolean;
  /** How it went, for the report of a failed invariant: stctrl's last line, or the seller's choice. */
  readonly note?: string;
}

/** `stregister verify-receipt` run as the seller would, offline, from the scenario's folder. */
const verifyReceipt = (dir: string, invoice: string, receipt: string): Promise<string> => new Promise((resolve) => {
  execFile(process.execPath, [STREGISTER, 'verify-receipt', '-i', invoice, '-r', receipt], { cwd: dir }, (_e, out, err) => resolve(`${out}${err}`));
});

/** A ring, each node also joined to the one half-way round and (from 8 nodes) every third to the
 *  one three ahead: cycles everywhere, every node (but one when the count is odd) with three or
 *  more friends, so with fresh balances three routes' worth of capacity leaves and enters it. */
function friendGraph(names: readonly string[]): [string, string][] {
  const n = names.length;
  const seen = new Set<string>();
  const out: [string, string][] = [];
  const add = (i: number, j: number): void => {
    const [a, b] = [i % n, j % n].sort((x, y) => x - y) as [number, number];
    if (a === b || seen.has(`${a} ${b}`)) return;
    seen.add(`${a} ${b}`);
    out.push([names[a] as string, names[b] as string]);
  };
  for (let i = 0; i < n; i++) add(i, i + 1);
  for (let i = 0; i < Math.floor(n / 2); i++) add(i, i + Math.floor(n / 2));
  if (n >= 8) for (let i = 1; i < n; i += 3) add(i, i + 3);
  return out;
}

const title = `${count} stnode processes, 2 relays, 3 federated index servers in a storm of crashes and cut links, on lossy virtual hosts`;
describe.skipIf(!canRun)(canRun ? title : `${title} (skipped: ${support.reasons.join('; ')})`, () => {
  it.each(seeds)('every credit is accounted for after the storm (seed %i)', async (seed) => {
    const net = await VirtualNet.create(`10.77.${10 + (seed % 200)}`);
    nets.push(net);
    const dir = await mkdtemp(join(tmpdir(), 'offset-scenario-nodes-'));
    dirs.push(dir);
    const names = Array.from({ length: count }, (_, i) => `n${i}`);
    const t0 = performance.now();
    const say = (line: string): void => { console.log(`[seed ${seed} ${((performance.now() - t0) / 1000).toFixed(1)} s] ${line}`); };
    const nn = await NodeNet.create(net, dir, names, IMPAIRMENT, { relays: 2, indexes: 3, proxy: { delayMs: 50, jitterMs: 20, seed } });
    console.log(`scenario seed ${seed}: links impaired as follows\n  ${nn.impairments.join('\n  ')}`);
    const friendships = friendGraph(names);
    await nn.befriendAll(friendships, MAX_DEBT);
    const setupMs = Math.round(performance.now() - t0);
    nn.log = say;
    say(`set up: ${count} nodes, ${friendships.length} friendships`);

    const r = prng(seed);
    const crashes = new Map<string, number>();
    const down = new Set<string>();
    const targets: FaultTarget[] = [
      ...[...nn.servers, ...names].map((n): FaultTarget => ({
        name: `proc ${n}`, kind: 'process',
        break: () => { down.add(n); crashes.set(n, (crashes.get(n) ?? 0) + 1); return nn.kill(n); },
        repair: async () => { await nn.start(n); down.delete(n); },
      })),
      ...names.map((n): FaultTarget => ({ name: `link ${n}`, kind: 'link', break: () => net.cut(nn.host(n)), repair: () => net.restore(nn.host(n)) })),
    ];
    const schedule = faultSchedule(seed, {
      durationMs: stormMs, processes: targets.filter((t) => t.kind === 'process').map((t) => t.name),
      links: targets.filter((t) => t.kind === 'link').map((t) => t.name), meanGapMs: 2500, downMs: [500, 3000], maxConcurrent: 1,
    });
    const payments: Payment[] = [];
    await mkdir(join(dir, 'pay'));
    // Each payment's files get their own number, taken when it starts: payments.length is the
    // same for concurrent workers until one finishes, and a second worker would overwrite the
    // first's invoice (both then paid the second amount while the first was counted).
    let fileSeq = 0;
    const retry = async (name: string, args: string[], done: (out: string) => boolean): Promise<string | undefined> => {
      for (let i = 0; i < 60; i++) {
        const res = await nn.ctrl(name, args);
        if (res.code === 0 && done(res.out)) return res.out;
        await new Promise((res) => setTimeout(res, 500));
      }
      return undefined;
    };
    /** The seller registers an invoice, the buyer pays it with a commit, then the seller either
     *  collects with the commit or (sometimes, and whenever the buyer failed) cancels; the buyer
     *  asks for the outcome until it is definite. A definite cancel must have moved nothing. */
    const payByCommit = async (from: string, to: string, amount: bigint, multi = false): Promise<boolean> => {
      const t0 = performance.now();
      const buyerCrashed = ((wasDown, crashed0) => (): boolean => wasDown || down.has(from) || (crashes.get(from) ?? 0) !== crashed0)(down.has(from), crashes.get(from) ?? 0);
      const file = `pay/${fileSeq++}-${from}-${to}-commit`;
      const inv = `${file}.invoice`;
      let note = 'commit flow';
      const done = (ok: boolean, disrupted: boolean): boolean => {
        payments.push({ from, to, amount, ok, ms: performance.now() - t0, disrupted, multi, note, ...(ok ? { invoice: inv, receipt: `${file}.receipt` } : {}) });
        return ok;
      };
      if ((await nn.ctrl(to, ['seller', 'create-invoice', '-a', String(amount), '-i', inv])).code !== 0) return done(false, false);
      const buying = nn.ctrl(from, ['buyer', 'pay-invoice', '-i', inv, '-c', `${file}.commit`, '--yes']);
      // A seller does not wait for ever: an invoice still unpaid after SELLER_PATIENCE_MS is
      // canceled. That also frees the parts of a split payment that reached the seller while
      // another part failed: they wait for the rest, and the buyer waits for them.
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([buying.then(() => false), new Promise<boolean>((res) => { timer = setTimeout(() => res(true), SELLER_PATIENCE_MS); })]);
      clearTimeout(timer);
      if (late) lateCancels++;
      const canceledLate = late ? await retry(to, ['seller', 'cancel-invoice', '-i', inv], () => true) : undefined;
      const bought = await buying;
      if (bought.code !== 0) {
        why(bought.err || bought.out);
        if (verbose) say(`failed: ${from}→${to} ${amount} (commit flow): ${bought.err.trim() || bought.out.trim()}`);
      }
      // the id is printed before the payment starts, so a failed one can be asked about too
      const id = /Payment id: (\S+)/.exec(bought.out)?.[1];
      const collect = !late && bought.code === 0 && id !== undefined && !r.chance(0.2);
      commits[collect ? 'collect' : 'cancel']++;
      note = `commit flow, ${late ? 'canceled late' : collect ? 'collected' : 'canceled'} by the seller; buyer: ${(bought.err.trim() || bought.out.trim()).split('\n').pop() ?? ''}`;
      const sellerDone = late ? canceledLate : collect
        ? await retry(to, ['seller', 'commit-invoice', '-i', inv, '-c', `${file}.commit`], () => true)
        : await retry(to, ['seller', 'cancel-invoice', '-i', inv], () => true);
      if (id === undefined) return done(false, sellerDone === undefined);
      const status = await retry(from, ['buyer', 'payment-status', '-p', id, '-r', `${file}.receipt`, '--force'],
        (out) => /^Payment (succeeded|was canceled|could not be found)/.test(out));
      if (status?.startsWith('Payment succeeded') === true) return done(true, false);
      // not found: never created (the buyer failed first), or lost with a crashed buyer
      return done(false, status === undefined || (status.startsWith('Payment could not') && buyerCrashed()));
    };
    const commits = { collect: 0, cancel: 0 };
    let lateCancels = 0;
    let lastFailure = '';
    /** Why payments failed: stctrl's one-line errors, ids and amounts blanked, counted. */
    const reasons: Record<string, number> = {};
    const why = (text: string): void => {
      const k = (text.trim().split('\n').pop() ?? '').replace(/[A-Za-z0-9_-]{22,}/g, '…').replace(/\d+/g, 'N').slice(0, 90) || `exit without a message`;
      reasons[k] = (reasons[k] ?? 0) + 1;
    };
    const pay = async (from: string, to: string, amount: bigint, invoiced = false, multi = false): Promise<boolean> => {
      const t0 = performance.now();
      const wasDown = down.has(from);
      const crashed0 = crashes.get(from) ?? 0;
      const file = `pay/${fileSeq++}-${from}-${to}`;
      let res;
      if (invoiced) {
        await writeFile(join(dir, `${file}.invoice`), formatInvoice({ invoiceId: r.bytes(32), currency: 'FST', destPublicKey: nn.keyOf(to), totalDestPayment: amount }));
        res = await nn.ctrl(from, ['funds', 'pay-invoice', '-i', `${file}.invoice`, '-r', `${file}.receipt`]);
      } else {
        res = await nn.ctrl(from, ['funds', 'send-funds', '--amount', String(amount), '--dest', toBase64Url(nn.keyOf(to))]);
      }
      const ok = res.code === 0 && res.out.startsWith('Payment successful!');
      if (!ok) {
        lastFailure = `${from}→${to} ${amount}: ${res.err.trim() || res.out.trim()}`;
        if (verbose) say(`failed: ${lastFailure}`);
        why(res.err || res.out);
      }
      const disrupted = wasDown || down.has(from) || (crashes.get(from) ?? 0) !== crashed0;
      const note = `${invoiced ? 'pay-invoice' : 'send-funds'}: ${(res.err.trim() || res.out.trim()).split('\n').pop() ?? ''}`;
      payments.push({ from, to, amount, ok, ms: performance.now() - t0, disrupted, multi, note, ...(invoiced ? { invoice: `${file}.invoice`, receipt: `${file}.receipt` } : {}) });
      return ok;
    };
    // before the storm: wait until the index server knows enough for a payment
    // (reports must reach the index servers and cross the federation), and one split over routes
    const deadline = Date.now() + 180_000;
    while (!(await pay('n0', names[Math.floor(count / 2)] as string, 1n))) {
      if (Date.now() > deadline) throw new Error(`no route before the storm: ${lastFailure}`);
    }
    const multiAmount = (): bigint => MULTI[0] + BigInt(r.below(Number(MULTI[1] - MULTI[0]) + 1));
    const friendsOf = (x: string): number => friendships.filter(([a, b]) => a === x || b === x).length;
    // split payments between nodes with the most friends (most capacity to split over): four or
    // more where enough nodes have them (from 8 nodes), else three
    const need = names.filter((x) => friendsOf(x) >= 4).length >= 4 ? 4 : 3;
    const wide = names.filter((x) => friendsOf(x) >= need);
    while (!(await payByCommit(wide[0] as string, wide[Math.floor(wide.length / 2)] as string, multiAmount(), true))) {
      if (Date.now() > deadline) throw new Error(`no multi-route payment before the storm: ${lastFailure}`);
    }
    const readyMs = Math.round(performance.now() - t0);
    say('routes found, single and multi-route: the storm starts');

    const figures = await runScenario({
      name: `nodes-${count}`, seed, schedule, targets, ...(count > 10 || verbose ? { log: say } : {}),
      async workload(settled) {
        let over = false;
        void settled.then(() => { over = true; say(`storm over, ${payments.length} payments so far; finishing those in flight`); });
        // Each worker picks a new buyer for every payment: a fixed set of buyers would run its
        // friendships down to their max debt and turn most payments into `no route`.
        const buyers = Array.from({ length: Math.max(3, Math.floor(count / 6)) }, async () => {
          while (!over) {
            const from = r.pick(names);
            let to = r.pick(names);
            if (to === from) to = names[(names.indexOf(from) + 1) % count] as string;
            const amount = BigInt(1 + r.below(10));
            const how = r.below(4);
            // split payments go both ways: commit flow (the seller's patience frees a lost
            // part's siblings) and auto-collect (the destination's implicit invoice expiry does)
            if (how === 3 && wide.includes(from) && wide.includes(to)) {
              if (r.chance(0.5)) await payByCommit(from, to, multiAmount(), true);
              else await pay(from, to, multiAmount(), true, true);
            } else if (how === 2) await payByCommit(from, to, amount);
            else await pay(from, to, amount, how === 1);
          }
        });
        // app-level churn alongside the faults: friends disabled and re-enabled, currencies added
        const churned = new Set<string>();
        const churn = (async () => {
          while (!over) {
            const [x, y] = r.pick(friendships);
            const [a, b] = r.chance(0.5) ? [x, y] : [y, x];
            if (r.chance(0.3)) await nn.ctrl(a, ['config', 'add-currency', '-n', b, '-c', 'USD']);
            else {
              churned.add(`${a} ${b}`);
              await nn.ctrl(a, ['config', 'disable-friend', '-n', b]);
              await new Promise((res) => setTimeout(res, 300 + r.below(1500)));
              // re-enabled at once, retried while its node is down: a payment waiting on this
              // friendship must not wait for the end of the workload (which waits for it)
              for (let tries = 0; (await nn.ctrl(a, ['config', 'enable-friend', '-n', b])).code !== 0 && tries < 40; tries++) {
                await new Promise((res) => setTimeout(res, 500));
              }
            }
          }
        })();
        await Promise.all([...buyers, churn]);
        say('workload finished; re-enabling churned friends');
        // a re-enable that met a dead node is repeated until it takes
        for (const k of churned) {
          const [a, b] = k.split(' ') as [string, string];
          for (let tries = 0; (await nn.ctrl(a, ['config', 'enable-friend', '-n', b])).code !== 0 && tries < 20; tries++) {
            await new Promise((res) => setTimeout(res, 500));
          }
        }
        const done = payments.filter((p) => p.ok);
        return { attempted: payments.length, delivered: done.length, latenciesMs: done.map((p) => p.ms) };
      },
    });

    // settled, read through stctrl on every node: each channel consistent with nothing pending
    // (LPD = RPD = 0), each friendship's two views mirrored in every currency both have, and each
    // node's net explained by the payments: the successful ones exactly; a failed one moved
    // nothing unless its buyer crashed while it ran (then it may have gone through)
    const check = async (): Promise<string | undefined> => {
      const views = new Map(await Promise.all(names.map(async (n) => [n, await nn.friends(n)] as const)));
      for (const [n, fs] of views) {
        for (const [f, v] of fs) {
          if (!v.consistent) return `${n}: the channel with ${f} is inconsistent`;
          for (const [c, x] of v.currencies) {
            if (x.localPendingDebt !== 0n || x.remotePendingDebt !== 0n) return `${n}→${f} ${c}: LPD=${x.localPendingDebt} RPD=${x.remotePendingDebt}`;
          }
        }
      }
      for (const [a, b] of friendships) {
        const ab = views.get(a)?.get(b);
        const ba = views.get(b)?.get(a);
        if (ab?.currencies.get('FST') === undefined || ba?.currencies.get('FST') === undefined) return `${a}/${b}: no FST on one side`;
        for (const [c, x] of ab.currencies) {
          const y = ba.currencies.get(c);
          if (y !== undefined && x.balance !== -y.balance) return `${a}→${b} ${c} ${x.balance} vs ${b}→${a} ${y.balance}`;
        }
      }
      for (const n of names) {
        const net0 = [...(views.get(n) as Map<string, { currencies: ReadonlyMap<string, { balance: bigint }> }>).values()]
          .reduce((s, v) => s + (v.currencies.get('FST')?.balance ?? 0n), 0n);
        const sum = (f: (p: Payment) => boolean): bigint => payments.filter(f).reduce((s, p) => s + p.amount, 0n);
        const okNet = sum((p) => p.ok && p.to === n) - sum((p) => p.ok && p.from === n);
        const lo = okNet - sum((p) => !p.ok && p.disrupted && p.from === n);
        const hi = okNet + sum((p) => !p.ok && p.disrupted && p.to === n);
        if (net0 < lo || net0 > hi) return `${n}: net ${net0} outside [${lo}, ${hi}] (ok ${okNet})`;
      }
      return undefined;
    };
    say('checking the invariants on every node');
    let problem: string | undefined = 'not checked';
    const settling = performance.now();
    for (const end = Date.now() + IMPLICIT_INVOICE_TTL_MS + 120_000; problem !== undefined && Date.now() < end;) {
      problem = await check();
      if (problem !== undefined) await new Promise((res) => setTimeout(res, 5000));
    }
    const settleMs = Math.round(performance.now() - settling);
    say(`invariants ${problem === undefined ? 'hold' : `do not hold: ${problem}`} (${settleMs} ms after the workload)`);
    // every invoice paid successfully has a receipt the seller's stregister accepts
    const receipts = payments.filter((p) => p.ok && p.invoice !== undefined);
    const verdicts = await Promise.all(receipts.map((p) => verifyReceipt(dir, p.invoice as string, p.receipt as string)));
    const badReceipts = verdicts.map((v, i) => [v, receipts[i]?.invoice] as const).filter(([v]) => v !== 'Receipt is valid!\n');
    // every payment ended: none still has parts under way on its buyer's node (one ended but not
    // yet acknowledged, e.g. its stctrl was killed, stays listed as success or canceled)
    const openPayments: Record<string, number> = {};
    for (const n of names) {
      const table = await nn.ok(n, ['info', 'payments']);
      for (const line of table.split('\n').slice(1)) {
        const stage = line.split('|').at(-2)?.trim(); // | id | currency | amount | destination | stage |
        if (stage !== undefined && stage !== '') openPayments[stage] = (openPayments[stage] ?? 0) + 1;
      }
    }
    const failed = payments.filter((p) => !p.ok);
    console.log(JSON.stringify({
      ...figures, settleMs, nodes: count, friendships: friendships.length, relays: nn.relays.length, indexServers: nn.indexes.length, setupMs, readyMs,
      impairments: nn.impairments,
      payments: {
        attempted: payments.length, succeeded: payments.length - failed.length, invoices: payments.filter((p) => p.invoice !== undefined).length, commits, lateCancels,
        multiRoute: { attempted: payments.filter((p) => p.multi === true).length, succeeded: payments.filter((p) => p.multi === true && p.ok).length },
        receiptsVerified: receipts.length - badReceipts.length, openPayments, failed: failed.length, failedWithBuyerCrash: failed.filter((p) => p.disrupted).length, reasons,
      },
    }));
    if (problem !== undefined) {
      const tables = await Promise.all(names.map(async (n) => `${n}:\n${(await nn.ctrl(n, ['info', 'friends'])).out}${(await nn.ctrl(n, ['info', 'payments'])).out}`
        + `${(await nn.ctrl(n, ['info', 'history', '--limit', '256'])).out}`
        + `  log, last lines:\n    ${nn.logTail(n, 12).join('\n    ')}\n`));
      const list = payments.map((p, i) => `  ${i} ${p.from}→${p.to} ${p.amount}${p.multi === true ? ' (split)' : ''}: ${p.ok ? 'ok' : 'failed'}${p.disrupted ? ', buyer disrupted' : ''} — ${p.note ?? ''}`);
      console.log(`after the storm: ${problem}\npayments:\n${list.join('\n')}\n${tables.join('\n')}`);
    }
    expect(problem).toBeUndefined();
    expect(badReceipts).toEqual([]);
    expect(openPayments['in-progress'] ?? 0).toBe(0);
    expect(figures.faultsInjected.crash).toBeGreaterThanOrEqual(minCrashes);
    expect(figures.faultsInjected.crash + figures.faultsInjected.cut).toBeGreaterThan(0);
    expect(figures.delivered).toBeGreaterThan(0);
    await net.destroy();
  }, stormMs + 300_000 + count * 15_000 + 2 * IMPLICIT_INVOICE_TTL_MS);
});
