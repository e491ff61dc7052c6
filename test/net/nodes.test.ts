/** Nodes on virtual hosts: three stnode processes in a line (n0 — n1 — n2), a strelay and a
 *  stindex, each in its own namespace, every link at 5 % loss, configured and driven with stctrl
 *  as a user would. n0 pays n2 through n1 while n1 is SIGKILLed and restarted mid-way; afterwards
 *  every payment either succeeded or failed cleanly, and the balances show exactly the successful
 *  ones, mirrored on both sides of each friendship, with nothing kept or lost by n1. A first step
 *  toward the ≥ 30-node scenario (scenario.ts). */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../../src-core/crypto/backend.node.ts';
import {
  formatAppTicket, formatFriend, formatIdent, formatIndexTicket, formatNodeTicket, formatRelayTicket, identFromSeed,
} from '../../src-core/files/index.ts';
import { initNodeDatabase } from '../../src-core/store/index.node.ts';
import { type Host, type HostProcess, VirtualNet, netSupport } from './harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const support = await netSupport();
const canRun = support.netns && (support.netem || support.iptablesLoss);

let net: VirtualNet;
let dir = '';
const H: Record<string, Host> = {};
const nodes = ['n0', 'n1', 'n2'];
const procs = new Map<string, HostProcess>();
const seedOf = (name: string): Uint8Array => new Uint8Array(32).fill(100 + name.charCodeAt(name.length - 1));
const keyOf = (name: string): Uint8Array => crypto.ed25519PublicKey(seedOf(name));

function bin(host: Host, label: string, program: string, args: string[]): HostProcess {
  return net.spawn(host, label, process.execPath, [join(ROOT, 'bin', `${program}.js`), ...args], { cwd: dir });
}

async function startNode(name: string): Promise<void> {
  const h = H[name] as Host;
  const p = bin(h, `stnode ${name}`, 'stnode', ['--database', `${name}/node.db`, '--idfile', `${name}/node.ident`, '--laddr', `${h.ip}:8000`, '--trusted', `${name}/trusted`]);
  procs.set(name, p);
  await p.waitFor(/listening/);
}

/** One stctrl command for `name`'s node, run on that node's host. */
async function ctrl(name: string, args: string[]): Promise<{ code: number | string; out: string; err: string }> {
  const p = bin(H[name] as Host, `stctrl ${name}`, 'stctrl', ['-I', `${name}/app.ident`, '-T', `${name}/node.ticket`, ...args]);
  const code = await p.exited;
  return { code, out: p.stdout(), err: p.stderr() };
}
async function ok(name: string, args: string[]): Promise<string> {
  const r = await ctrl(name, args);
  if (r.code !== 0) throw new Error(`stctrl ${name} ${args.join(' ')}: exit ${r.code}\n${r.out}${r.err}`);
  return r.out;
}
async function poll<T>(what: string, f: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Balance with each friend, from `info friends` (rows `| st | name | B  =n |`). */
async function balances(name: string): Promise<Map<string, bigint>> {
  const out = await ok(name, ['info', 'friends']);
  const m = new Map<string, bigint>();
  let current = '';
  for (const line of out.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells[2] !== undefined && cells[2] !== '' && cells[2] !== 'name') current = cells[2];
    const b = /^B\s*=(-?\d+)$/.exec(cells[3] ?? '');
    if (b !== null) m.set(current, BigInt(b[1] as string));
  }
  return m;
}

const title = 'stnode processes on lossy virtual hosts, a mediator killed mid-payment';
describe.skipIf(!canRun)(canRun ? title : `${title} (skipped: ${support.reasons.join('; ')})`, () => {
  beforeAll(async () => {
    net = await VirtualNet.create('10.77.3');
    dir = await mkdtemp(join(tmpdir(), 'offset-net-nodes-'));
    for (const n of ['relay', 'index', ...nodes]) {
      H[n] = await net.addHost(n);
      await net.impair(H[n] as Host, { lossPct: 5, delayMs: 50, jitterMs: 20 });
    }
    const relaySeed = new Uint8Array(32).fill(90);
    const indexSeed = new Uint8Array(32).fill(91);
    const relay = { publicKey: crypto.ed25519PublicKey(relaySeed), address: `${(H['relay'] as Host).ip}:9000` };
    const index = { publicKey: crypto.ed25519PublicKey(indexSeed), address: `${(H['index'] as Host).ip}:7001` };
    await writeFile(join(dir, 'relay.ident'), formatIdent(identFromSeed(crypto, relaySeed)), { mode: 0o600 });
    await writeFile(join(dir, 'index.ident'), formatIdent(identFromSeed(crypto, indexSeed)), { mode: 0o600 });
    await writeFile(join(dir, 'relay.ticket'), formatRelayTicket(relay));
    await writeFile(join(dir, 'index.ticket'), formatIndexTicket(index));
    await mkdir(join(dir, 'index-trusted'));
    for (const n of nodes) {
      await mkdir(join(dir, n, 'trusted'), { recursive: true });
      const appSeed = seedOf(n).map((x) => x ^ 0xff);
      await writeFile(join(dir, n, 'node.ident'), formatIdent(identFromSeed(crypto, seedOf(n))), { mode: 0o600 });
      await writeFile(join(dir, n, 'app.ident'), formatIdent(identFromSeed(crypto, appSeed)), { mode: 0o600 });
      await writeFile(join(dir, n, 'node.ticket'), formatNodeTicket({ publicKey: keyOf(n), address: `${(H[n] as Host).ip}:8000` }));
      await writeFile(join(dir, n, 'trusted', 'app.ticket'), formatAppTicket({ publicKey: crypto.ed25519PublicKey(appSeed), permissions: { buyer: true, seller: true, config: true, routes: true } }));
      await writeFile(join(dir, `${n}.friend`), formatFriend({ publicKey: keyOf(n), relays: [relay] }));
      await initNodeDatabase(join(dir, n, 'node.db'), keyOf(n));
    }
    await Promise.all([
      bin(H['relay'] as Host, 'strelay', 'strelay', ['--idfile', 'relay.ident', '--laddr', relay.address]).waitFor(/listening/),
      bin(H['index'] as Host, 'stindex', 'stindex', ['--idfile', 'index.ident', '--lclient', index.address, '--lserver', `${(H['index'] as Host).ip}:7002`, '--trusted', 'index-trusted']).waitFor(/listening/),
      ...nodes.map(startNode),
    ]);
    await Promise.all(nodes.map(async (n) => {
      await ok(n, ['config', 'add-relay', '-n', 'relay', '-r', 'relay.ticket']);
      await ok(n, ['config', 'add-index', '-n', 'index', '-i', 'index.ticket']);
    }));
    const befriend = async (x: string, y: string): Promise<void> => {
      await ok(x, ['config', 'add-friend', '-n', y, '-f', `${y}.friend`]);
      await ok(x, ['config', 'set-friend-max-debt', '-n', y, '-m', '1000']);
      await ok(x, ['config', 'open-friend', '-n', y]);
      await ok(x, ['config', 'enable-friend', '-n', y]);
    };
    await Promise.all([befriend('n0', 'n1'), befriend('n1', 'n0'), befriend('n1', 'n2'), befriend('n2', 'n1')]);
  }, 240_000);

  afterAll(async () => {
    await net?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pays n0 → n2 through n1, which is SIGKILLed and restarted; every credit is accounted for', async () => {
    const dest = toBase64Url(keyOf('n2'));
    const pay = async (): Promise<'ok' | 'failed'> => {
      const r = await ctrl('n0', ['funds', 'send-funds', '--amount', '10', '--dest', dest]);
      return r.code === 0 && r.out.startsWith('Payment successful!') ? 'ok' : 'failed';
    };
    // the first payment waits for the index server to learn the route
    await poll('a first payment n0 → n2', async () => ((await pay()) === 'ok' ? true : undefined), 120_000);
    let succeeded = 1;
    let failed = 0;
    for (let i = 0; i < 6; i++) {
      const p = pay();
      if (i === 2) {
        await (procs.get('n1') as HostProcess).kill('SIGKILL');
        await startNode('n1');
      }
      if ((await p) === 'ok') succeeded++; else failed++;
    }
    // settle: payments after the restart go through again
    await poll('a payment after the restart', async () => ((await pay()) === 'ok' ? true : undefined), 120_000);
    succeeded++;
    const total = BigInt(succeeded) * 10n;
    const expected = async (): Promise<true | undefined> => {
      const [b0, b1, b2] = await Promise.all(nodes.map(balances));
      const pairs = [b0?.get('n1'), b1?.get('n0'), b1?.get('n2'), b2?.get('n1')];
      return pairs.join() === [-total, total, -total, total].join() ? true : undefined;
    };
    await poll(`balances to show exactly ${succeeded} payments of 10`, expected, 60_000).catch(async (e: Error) => {
      const all = await Promise.all(nodes.map(async (n) => `${n}: ${JSON.stringify([...(await balances(n))].map(([k, v]) => [k, String(v)]))}`));
      throw new Error(`${e.message} (failed ${failed})\n${all.join('\n')}`);
    });
    console.log(JSON.stringify({ figure: 'net.nodes.payments', succeeded, failed, mediatorKills: 1 }));
  }, 400_000);
});
