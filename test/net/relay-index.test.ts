/** Relays and index servers across virtual hosts (harness.ts): 2 strelay and 3 federated stindex
 *  processes, each in its own network namespace, with relay clients and index clients in more
 *  namespaces, every link lossy (5 %; plus 50 ms ± 20 ms delay where the kernel has netem).
 *  Messages cross the relays, a route is found through federation, and both recover after a link
 *  is cut and restored. Skipped, with the reason printed, where namespaces cannot be made. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../../src-core/crypto/backend.node.ts';
import { formatIdent, formatIndexTicket, identFromSeed } from '../../src-core/files/index.ts';
import { type Host, type HostProcess, VirtualNet, netSupport } from './harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const support = await netSupport();
const canRun = support.netns && (support.netem || support.iptablesLoss);
if (!canRun) console.log(`test/net skipped: ${support.reasons.join('; ')}`);
else if (support.reasons.length > 0) console.log(`test/net runs with less: ${support.reasons.join('; ')}`);

const keyOf = (seed: number): string => toBase64Url(crypto.ed25519PublicKey(new Uint8Array(32).fill(seed)));

let net: VirtualNet;
let dir = '';
const H: Record<string, Host> = {};
const relays: { host: Host; seed: number; addr: string }[] = [];
const indexes: Record<string, { host: Host; seed: number; lclient: string; lserver: string; proc?: HostProcess }> = {};

function program(host: Host, label: string, bin: string, args: string[]): HostProcess {
  return net.spawn(host, label, process.execPath, [join(ROOT, 'bin', `${bin}.js`), ...args], { cwd: dir });
}
function agent(host: Host, label: string, script: string, args: string[]): HostProcess {
  return net.spawn(host, label, process.execPath, ['--import', 'tsx', join(ROOT, 'test/net/agents', script), ...args], { cwd: ROOT });
}
const lines = (p: HostProcess): Record<string, unknown>[] =>
  p.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

async function startIndex(name: string): Promise<void> {
  const s = indexes[name] as (typeof indexes)[string];
  s.proc = program(s.host, `stindex ${name}`, 'stindex', ['--idfile', `${name}.ident`, '--lclient', s.lclient, '--lserver', s.lserver, '--trusted', `trusted-${name}`]);
  await s.proc.waitFor(/listening for nodes/);
}

const title = 'relays and federated index servers on lossy virtual hosts';
describe.skipIf(!canRun)(canRun ? title : `${title} (skipped: ${support.reasons.join('; ')})`, () => {
  beforeAll(async () => {
    net = await VirtualNet.create('10.77.0');
    dir = await mkdtemp(join(tmpdir(), 'offset-net-'));
    for (const n of ['r1', 'r2', 'iA', 'iB', 'iC', 'nL', 'nS', 'nR1', 'nR2', 'nQ']) H[n] = await net.addHost(n);
    for (const h of Object.values(H)) await net.impair(h, { lossPct: 5, delayMs: 50, jitterMs: 20 });
    for (const [i, name] of ['r1', 'r2'].entries()) {
      const seed = 60 + i;
      await writeFile(join(dir, `${name}.ident`), formatIdent(identFromSeed(crypto, new Uint8Array(32).fill(seed))), { mode: 0o600 });
      relays.push({ host: H[name] as Host, seed, addr: `${(H[name] as Host).ip}:9000` });
    }
    const trust: Record<string, string[]> = { iA: ['iB'], iB: ['iA', 'iC'], iC: ['iB'] };
    for (const [i, name] of ['iA', 'iB', 'iC'].entries()) {
      const host = H[name] as Host;
      indexes[name] = { host, seed: 70 + i, lclient: `${host.ip}:7001`, lserver: `${host.ip}:7002` };
      await writeFile(join(dir, `${name}.ident`), formatIdent(identFromSeed(crypto, new Uint8Array(32).fill(70 + i))), { mode: 0o600 });
    }
    for (const [name, peers] of Object.entries(trust)) {
      await mkdir(join(dir, `trusted-${name}`));
      for (const p of peers) {
        const o = indexes[p] as (typeof indexes)[string];
        await writeFile(join(dir, `trusted-${name}`, `${p}.ticket`), formatIndexTicket({ publicKey: crypto.ed25519PublicKey(new Uint8Array(32).fill(o.seed)), address: o.lserver }));
      }
    }
    await Promise.all([
      ...relays.map((r, i) => program(r.host, `strelay r${i + 1}`, 'strelay', ['--idfile', `r${i + 1}.ident`, '--laddr', r.addr]).waitFor(/listening on/)),
      ...['iA', 'iB', 'iC'].map(startIndex),
    ]);
  }, 120_000);

  afterAll(async () => {
    await net?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('carries messages through both relays, and again after the listener\'s link is cut and restored', async () => {
    const listeners = relays.map((r, i) => agent(H['nL'] as Host, `listener ${i}`, 'relay-peer.ts', ['listen', '--relay', `${keyOf(r.seed)}@${r.addr}`, '--seed', '2']));
    await Promise.all(listeners.map((l) => l.waitFor(/"listening"/)));
    const count = 80;
    const senders = relays.map((r, i) => agent(H['nS'] as Host, `sender ${i}`, 'relay-peer.ts',
      ['send', '--relay', `${keyOf(r.seed)}@${r.addr}`, '--seed', '1', '--peer', keyOf(2), '--count', String(count), '--interval', '60', '--wait', '4000']));
    // cut once both have delivered some, restore 3 s later
    await Promise.all(senders.map((s) => s.waitFor(/"seq":10,"ok":true/, 60_000)));
    await net.cut(H['nL'] as Host);
    await new Promise((r) => setTimeout(r, 3000));
    await net.restore(H['nL'] as Host);
    await Promise.all(senders.map((s) => s.waitFor(/"event":"summary"/, 180_000)));
    for (const s of senders) {
      const results = lines(s).filter((l) => l['event'] === 'result');
      const summary = lines(s).find((l) => l['event'] === 'summary') as Record<string, number>;
      console.log(JSON.stringify({ figure: `net.relay.${s.label.replace(' ', '')}`, ...summary }));
      expect(results).toHaveLength(count);
      expect(results.slice(0, 10).every((r) => r['ok'] === true)).toBe(true);
      // recovered: the last 15 messages all came back
      expect(results.slice(-15).map((r) => r['ok'])).toEqual(new Array(15).fill(true));
    }
    // the loss was real: the hosts' links dropped packets
    expect(await net.dropped(H['nS'] as Host) + await net.dropped(H['r1'] as Host)).toBeGreaterThan(0);
  }, 240_000);

  it('answers a route query through federation, and carries an update again after the middle server is cut off and back', async () => {
    const at = (name: string): string => {
      const s = indexes[name] as (typeof indexes)[string];
      return `${keyOf(s.seed)}@${s.lclient}`;
    };
    agent(H['nR1'] as Host, 'reporter 101', 'index-peer.ts', ['report', '--server', at('iA'), '--seed', '101', '--friend', '102', '--recv', '1000']);
    let r2 = agent(H['nR2'] as Host, 'reporter 102', 'index-peer.ts', ['report', '--server', at('iC'), '--seed', '102', '--friend', '101', '--recv', '500']);
    const ask = (server: string, want: bigint, wait: number): HostProcess =>
      agent(H['nQ'] as Host, `asker ${server}`, 'index-peer.ts', ['ask', '--server', at(server), '--seed', '103', '--from', '101', '--to', '102', '--amount', '100', '--want', String(want), '--wait', String(wait)]);
    // n1 reported to A, n2 to C: a route at C needs A's report carried over B
    const first = ask('iC', 500n, 90_000);
    const got = await first.waitFor(/"event":"(route|no-route)".*\n/, 120_000);
    expect(got[1]).toBe('route');

    await net.cut(H['iB'] as Host);
    await r2.kill();
    r2 = agent(H['nR2'] as Host, 'reporter 102 (700)', 'index-peer.ts', ['report', '--server', at('iC'), '--seed', '102', '--friend', '101', '--recv', '700']);
    await r2.waitFor(/"reporting"/);
    // with B cut off, A cannot learn the new capacity
    const during = ask('iA', 700n, 3000);
    expect((await during.waitFor(/"event":"(route|no-route)"/, 60_000))[1]).toBe('no-route');
    await net.restore(H['iB'] as Host);
    const after = ask('iA', 700n, 120_000);
    const m = await after.waitFor(/"event":"(route|no-route)".*\n/, 150_000);
    console.log(JSON.stringify({ figure: 'net.index.recovered_route', line: m[0].trim() }));
    expect(m[1]).toBe('route');
  }, 300_000);
});
