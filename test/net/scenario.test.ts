/** The scenario runner (scenario.ts): its fault schedule, and a short storm over relays on
 *  virtual hosts (relays SIGKILLed and restarted, links cut and restored) after which messages
 *  flow again. SCENARIO_SEEDS=1,2,… and SCENARIO_MS=… make longer runs on demand. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../../src-core/crypto/backend.node.ts';
import { formatIdent, identFromSeed } from '../../src-core/files/index.ts';
import { type Host, type HostProcess, VirtualNet, netSupport } from './harness.ts';
import { type FaultTarget, type ScheduleOptions, faultSchedule, runScenario } from './scenario.ts';

describe('faultSchedule', () => {
  const opts: ScheduleOptions = { durationMs: 60_000, processes: ['r1', 'r2', 'i1'], links: ['a', 'b'], meanGapMs: 1500, downMs: [500, 4000], maxConcurrent: 2 };

  it('is a pure function of the seed', () => {
    expect(faultSchedule(7, opts)).toEqual(faultSchedule(7, opts));
    expect(faultSchedule(7, opts)).not.toEqual(faultSchedule(8, opts));
  });

  it.each([1, 2, 3, 4, 5])('repairs every fault before the end, never hits a target that is down, keeps to maxConcurrent (seed %i)', (seed) => {
    const s = faultSchedule(seed, opts);
    expect(s.length).toBeGreaterThan(10);
    const down = new Map<string, number>();
    let maxDown = 0;
    for (let i = 0; i < s.length; i++) {
      const e = s[i] as (typeof s)[number];
      expect(e.atMs).toBeLessThan(opts.durationMs);
      if (i > 0) expect(e.atMs).toBeGreaterThanOrEqual((s[i - 1] as (typeof s)[number]).atMs);
      if (e.kind === 'crash' || e.kind === 'cut') {
        expect(down.has(e.target)).toBe(false);
        expect(e.kind === 'crash' ? opts.processes : opts.links).toContain(e.target);
        down.set(e.target, e.atMs);
      } else {
        expect(down.has(e.target)).toBe(true);
        down.delete(e.target);
      }
      maxDown = Math.max(maxDown, down.size);
    }
    expect(down.size).toBe(0);
    expect(maxDown).toBeLessThanOrEqual(2);
  });
});

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const support = await netSupport();
const canRun = support.netns && (support.netem || support.iptablesLoss);
const seeds = (process.env['SCENARIO_SEEDS'] ?? '1,2').split(',').map(Number);
const stormMs = Number(process.env['SCENARIO_MS'] ?? 8_000);
const keyOf = (seed: number): string => toBase64Url(crypto.ed25519PublicKey(new Uint8Array(32).fill(seed)));

let net: VirtualNet;
let dir = '';
const H: Record<string, Host> = {};

const title = 'a storm of relay crashes and cut links, on lossy virtual hosts';
describe.skipIf(!canRun)(canRun ? title : `${title} (skipped: ${support.reasons.join('; ')})`, () => {
  beforeAll(async () => {
    net = await VirtualNet.create('10.77.0');
    dir = await mkdtemp(join(tmpdir(), 'offset-scenario-'));
    for (const n of ['r1', 'r2', 'nL', 'nS']) {
      H[n] = await net.addHost(n);
      await net.impair(H[n] as Host, { lossPct: 5, delayMs: 50, jitterMs: 20 });
    }
    for (const [i, name] of ['r1', 'r2'].entries()) {
      await writeFile(join(dir, `${name}.ident`), formatIdent(identFromSeed(crypto, new Uint8Array(32).fill(60 + i))), { mode: 0o600 });
    }
  }, 60_000);

  afterAll(async () => {
    await net?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(seeds)('messages flow again once the storm is over (seed %i)', async (seed) => {
    const relays = ['r1', 'r2'].map((name, i) => ({ name, host: H[name] as Host, key: keyOf(60 + i), addr: `${(H[name] as Host).ip}:9000` }));
    const procs = new Map<string, HostProcess>();
    const startRelay = async (r: (typeof relays)[number]): Promise<void> => {
      const p = net.spawn(r.host, `strelay ${r.name}`, process.execPath, [join(ROOT, 'bin/strelay.js'), '--idfile', `${r.name}.ident`, '--laddr', r.addr], { cwd: dir });
      procs.set(r.name, p);
      await p.waitFor(/listening on/);
    };
    await Promise.all(relays.map(startRelay));
    const agent = (host: Host, label: string, args: string[]): HostProcess =>
      net.spawn(host, label, process.execPath, ['--import', 'tsx', join(ROOT, 'test/net/agents/relay-peer.ts'), ...args], { cwd: ROOT });
    const listeners = relays.map((r) => agent(H['nL'] as Host, `listener ${r.name}`, ['listen', '--relay', `${r.key}@${r.addr}`, '--seed', '2']));
    await Promise.all(listeners.map((l) => l.waitFor(/"listening"/)));

    const targets: FaultTarget[] = [
      ...relays.map((r): FaultTarget => ({
        name: `strelay ${r.name}`, kind: 'process',
        break: async () => { await procs.get(r.name)?.kill('SIGKILL'); },
        repair: () => startRelay(r),
      })),
      ...['r1', 'r2', 'nL', 'nS'].map((h): FaultTarget => ({
        name: `link ${h}`, kind: 'link', break: () => net.cut(H[h] as Host), repair: () => net.restore(H[h] as Host),
      })),
    ];
    const schedule = faultSchedule(seed, {
      durationMs: stormMs, processes: targets.filter((t) => t.kind === 'process').map((t) => t.name),
      links: targets.filter((t) => t.kind === 'link').map((t) => t.name), meanGapMs: 1200, downMs: [400, 2500], maxConcurrent: 2,
    });
    const figures = await runScenario({
      name: 'relays', seed, schedule, targets,
      async workload(settled) {
        const senders = relays.map((r) => agent(H['nS'] as Host, `sender ${r.name}`,
          ['send', '--relay', `${r.key}@${r.addr}`, '--seed', '1', '--peer', keyOf(2), '--for-ms', String(stormMs + 6_000), '--interval', '50', '--wait', '3000']));
        await settled;
        await Promise.all(senders.map((s) => s.waitFor(/"event":"summary"/, 120_000)));
        const results = senders.map((s) => s.stdout().split('\n').filter((l) => l.includes('"event":"result"')).map((l) => JSON.parse(l) as { ok: boolean; rttMs: number }));
        // after the storm: each sender's last 10 messages came back
        for (const r of results) expect(r.slice(-10).map((x) => x.ok)).toEqual(new Array(10).fill(true));
        const all = results.flat();
        return { attempted: all.length, delivered: all.filter((x) => x.ok).length, latenciesMs: all.filter((x) => x.ok).map((x) => x.rttMs) };
      },
    });
    console.log(JSON.stringify(figures));
    expect(figures.faultsInjected.crash + figures.faultsInjected.cut).toBeGreaterThan(0);
    expect(figures.delivered).toBeGreaterThan(0);
    for (const l of listeners) await l.kill();
    for (const p of procs.values()) await p.kill();
  }, stormMs + 180_000);
});
