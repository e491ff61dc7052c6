/** The scenario runner over stnode processes: nodes in a friend graph with cycles, a relay and an
 *  index server, each on its own lossy virtual host; a seeded storm SIGKILLs and restarts nodes,
 *  the relay and the index server, and cuts and restores node links, while buyers pay random
 *  destinations with stctrl and friends are disabled, re-enabled and given new currencies. After it settles, every friendship's balances mirror each other and
 *  every node's net position is what the payments explain: the successful ones exactly, plus
 *  possibly some that stctrl saw fail (a buyer killed mid-payment) but never more.
 *  SCENARIO_NODES, SCENARIO_SEEDS and SCENARIO_MS make bigger and longer runs. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { prng } from '../fuzz/prng.ts';
import { VirtualNet, netSupport } from './harness.ts';
import { NodeNet } from './node-net.ts';
import { type FaultTarget, faultSchedule, runScenario } from './scenario.ts';

const support = await netSupport();
const canRun = support.netns && (support.netem || support.iptablesLoss);
const count = Number(process.env['SCENARIO_NODES'] ?? 5);
const seeds = (process.env['SCENARIO_SEEDS'] ?? '1').split(',').map(Number);
const stormMs = Number(process.env['SCENARIO_MS'] ?? 15_000);
const nets: VirtualNet[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const n of nets) await n.destroy();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

interface Payment { readonly from: string; readonly to: string; readonly amount: bigint; readonly ok: boolean; readonly ms: number }

const title = `${count} stnode processes in a storm of crashes and cut links, on lossy virtual hosts`;
describe.skipIf(!canRun)(canRun ? title : `${title} (skipped: ${support.reasons.join('; ')})`, () => {
  it.each(seeds)('every credit is accounted for after the storm (seed %i)', async (seed) => {
    const net = await VirtualNet.create(`10.77.${10 + (seed % 200)}`);
    nets.push(net);
    const dir = await mkdtemp(join(tmpdir(), 'offset-scenario-nodes-'));
    dirs.push(dir);
    const names = Array.from({ length: count }, (_, i) => `n${i}`);
    const nn = await NodeNet.create(net, dir, names, { lossPct: 5, delayMs: 50, jitterMs: 20 });
    // a ring with chords: every node has two paths to every other
    const friendships: [string, string][] = names.map((n, i) => [n, names[(i + 1) % count] as string]);
    for (let i = 0; i + 2 < count; i += 3) friendships.push([names[i] as string, names[i + 2] as string]);
    await Promise.all(friendships.map(([a, b]) => nn.befriend(a, b, 10_000n)));

    const r = prng(seed);
    const targets: FaultTarget[] = [
      ...['relay', 'index', ...names].map((n): FaultTarget => ({ name: `proc ${n}`, kind: 'process', break: () => nn.kill(n), repair: () => nn.start(n) })),
      ...names.map((n): FaultTarget => ({ name: `link ${n}`, kind: 'link', break: () => net.cut(nn.host(n)), repair: () => net.restore(nn.host(n)) })),
    ];
    const schedule = faultSchedule(seed, {
      durationMs: stormMs, processes: targets.filter((t) => t.kind === 'process').map((t) => t.name),
      links: targets.filter((t) => t.kind === 'link').map((t) => t.name), meanGapMs: 2500, downMs: [500, 3000], maxConcurrent: 1,
    });
    const payments: Payment[] = [];
    const pay = async (from: string, to: string, amount: bigint): Promise<boolean> => {
      const t0 = performance.now();
      const res = await nn.ctrl(from, ['funds', 'send-funds', '--amount', String(amount), '--dest', toBase64Url(nn.keyOf(to))]);
      const ok = res.code === 0 && res.out.startsWith('Payment successful!');
      payments.push({ from, to, amount, ok, ms: performance.now() - t0 });
      return ok;
    };
    // before the storm: wait until the index server knows enough for a payment
    const deadline = Date.now() + 120_000;
    while (!(await pay('n0', names[Math.floor(count / 2)] as string, 1n))) {
      if (Date.now() > deadline) throw new Error('no route before the storm');
    }

    const figures = await runScenario({
      name: `nodes-${count}`, seed, schedule, targets,
      async workload(settled) {
        let over = false;
        void settled.then(() => { over = true; });
        const buyers = names.slice(0, Math.min(3, count)).map(async (from) => {
          while (!over) {
            let to = r.pick(names);
            if (to === from) to = names[(names.indexOf(from) + 1) % count] as string;
            await pay(from, to, BigInt(1 + r.below(5)));
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
              await nn.ctrl(a, ['config', 'enable-friend', '-n', b]);
            }
          }
        })();
        await Promise.all([...buyers, churn]);
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

    // settled: each friendship's two views agree, and each node's net is explained by the payments
    const check = async (): Promise<string | undefined> => {
      const views = new Map(await Promise.all(names.map(async (n) => [n, await nn.balances(n)] as const)));
      for (const [a, b] of friendships) {
        const ab = views.get(a)?.get(b);
        const ba = views.get(b)?.get(a);
        if (ab === undefined || ba === undefined || ab !== -ba) return `${a}→${b} ${ab} vs ${b}→${a} ${ba}`;
      }
      for (const n of names) {
        const net0 = [...(views.get(n) as Map<string, bigint>).values()].reduce((s, x) => s + x, 0n);
        const sum = (f: (p: Payment) => boolean): bigint => payments.filter(f).reduce((s, p) => s + p.amount, 0n);
        const okNet = sum((p) => p.ok && p.to === n) - sum((p) => p.ok && p.from === n);
        const lo = okNet - sum((p) => !p.ok && p.from === n);
        const hi = okNet + sum((p) => !p.ok && p.to === n);
        if (net0 < lo || net0 > hi) return `${n}: net ${net0} outside [${lo}, ${hi}] (ok ${okNet})`;
      }
      return undefined;
    };
    let problem: string | undefined = 'not checked';
    for (const end = Date.now() + 90_000; problem !== undefined && Date.now() < end;) {
      problem = await check();
      if (problem !== undefined) await new Promise((res) => setTimeout(res, 1000));
    }
    console.log(JSON.stringify({ ...figures, payments: { attempted: payments.length, succeeded: payments.filter((p) => p.ok).length } }));
    if (problem !== undefined) {
      const tables = await Promise.all(names.map(async (n) => `${n}:\n${(await nn.ctrl(n, ['info', 'friends'])).out}`));
      console.log(`after the storm: ${problem}\n${tables.join('\n')}`);
    }
    expect(problem).toBeUndefined();
    expect(figures.faultsInjected.crash + figures.faultsInjected.cut).toBeGreaterThan(0);
    expect(figures.delivered).toBeGreaterThan(0);
    await net.destroy();
  }, stormMs + 400_000);
});
