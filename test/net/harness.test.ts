/** The virtual-host harness itself: hosts reach each other on the private LAN and nothing else,
 *  a cut link is dark until restored, and destroy() leaves no process and no namespace behind. */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Host, VirtualNet, netSupport } from './harness.ts';

const support = await netSupport();
const title = 'VirtualNet';

// a TCP echo server and a client that prints "ok" or "fail" after one round trip (2 s budget)
const SERVER = `require('net').createServer((s) => s.pipe(s)).listen(7100, process.argv[1], () => console.log('up'))`;
const CLIENT = `const s = require('net').connect(7100, process.argv[1]); const t = setTimeout(() => { console.log('fail'); process.exit(0); }, 2000);
s.on('error', () => { console.log('fail'); process.exit(0); }); s.on('data', () => { clearTimeout(t); console.log('ok'); process.exit(0); }); s.write('x');`;

/** Processes of group `pgid` that still run (zombies left to an init that does not reap are dead). */
function liveMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat: string;
    try { stat = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid && state !== 'Z' && state !== 'X') out.push(Number(d));
  }
  return out;
}

const namespaces = (): string[] => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0] ?? '').filter(Boolean);

describe.skipIf(!support.netns)(support.netns ? title : `${title} (skipped: ${support.reasons.join('; ')})`, () => {
  let net: VirtualNet;
  let a: Host;
  let b: Host;
  beforeAll(async () => {
    net = await VirtualNet.create('10.77.1');
    a = await net.addHost('a');
    b = await net.addHost('b');
    await net.spawn(a, 'echo server', process.execPath, ['-e', SERVER, a.ip]).waitFor(/up/);
  }, 60_000);
  afterAll(async () => { await net?.destroy(); });

  const roundTrip = async (): Promise<string> => {
    const m = await net.spawn(b, 'client', process.execPath, ['-e', CLIENT, a.ip]).waitFor(/ok|fail/, 30_000);
    return m[0];
  };

  it('connects hosts on the LAN, and a cut link is dark until restored', async () => {
    expect(await roundTrip()).toBe('ok');
    await net.cut(a);
    expect(await roundTrip()).toBe('fail');
    await net.restore(a);
    expect(await roundTrip()).toBe('ok');
  }, 60_000);

  it.skipIf(support.netem || !support.nftDup || !support.htbReorder)('duplicates and reorders packets without netem (nft dup, htb slow class)', async () => {
    const c = await net.addHost('c');
    const d = await net.addHost('d');
    const done = await net.impair(c, { duplicatePct: 30, reorderPct: 20 });
    expect(done.applied.join('; ')).toMatch(/duplication 30%.*reordering 20%/);
    const RECV = `const s = require('dgram').createSocket('udp4'); let n = 0, late = 0, max = -1;
      s.on('message', (m) => { n++; const k = Number(String(m).trim()); if (k < max) late++; max = Math.max(max, k); if (k === 299) setTimeout(() => { console.log('got ' + n + ' late ' + late); process.exit(0); }, 500); });
      s.bind(7200, process.argv[1], () => console.log('bound'));`;
    const SEND = `const s = require('dgram').createSocket('udp4'); let i = 0; const t = setInterval(() => { s.send(String(i).padEnd(100), 7200, process.argv[1]); if (++i === 300) { clearInterval(t); setTimeout(() => process.exit(0), 200); } }, 2);`;
    const recv = net.spawn(d, 'udp receiver', process.execPath, ['-e', RECV, d.ip]);
    await recv.waitFor(/bound/);
    await net.spawn(c, 'udp sender', process.execPath, ['-e', SEND, d.ip]).exited;
    const m = await recv.waitFor(/got (\d+) late (\d+)/, 20_000);
    // 300 sent (the last one may itself be late or lost to nothing here: loss is not on)
    expect(Number(m[1])).toBeGreaterThan(330);
    expect(Number(m[2])).toBeGreaterThan(0);
    await net.clearImpairment(c);
  }, 60_000);

  it('gives hosts no route off the LAN', () => {
    const routes = execFileSync('ip', ['-n', a.ns, 'route', 'show'], { encoding: 'utf8' });
    expect(routes).not.toMatch(/default/);
    expect(routes.trim()).toBe(`10.77.1.0/24 dev eth0 proto kernel scope link src ${a.ip}`);
    // and the root namespace has no interface of ours
    expect(execFileSync('ip', ['link', 'show'], { encoding: 'utf8' })).not.toMatch(new RegExp(`${net.id}|\\bp[0-9]+@`));
  });

  it('destroy() kills every process group and deletes every namespace', async () => {
    const other = await VirtualNet.create('10.77.2');
    const h = await other.addHost('x');
    const p = other.spawn(h, 'sleeper', 'sh', ['-c', 'sleep 600 & sleep 600']);
    const pid = p.child.pid as number;
    // bounded wait until sh has forked both sleeps (the group then has three live members)
    for (const deadline = Date.now() + 10_000; liveMembers(pid).length < 3 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    expect(liveMembers(pid).length).toBe(3);
    expect(namespaces().filter((n) => n.startsWith(other.id))).toHaveLength(2);
    await other.destroy();
    expect(namespaces().filter((n) => n.startsWith(other.id))).toEqual([]);
    expect(liveMembers(pid)).toEqual([]);
  }, 60_000);
});
