/** Three federated stindex processes over real TCP (A ⇄ B ⇄ C, A and C not directly), plus an index
 *  server U that trusts A without A trusting it. Nodes are in-process IndexClients on the system clock. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBackend as crypto } from '../../crypto/backend.node.ts';
import { type Signer, identityFromSeed } from '../../crypto/index.ts';
import { formatIdent, formatIndexTicket } from '../../files/index.ts';
import { systemClock } from '../../net/index.ts';
import { tcpConnect } from '../../net/tcp.node.ts';
import { type IndexRoute } from '../../proto/index.ts';
import { IndexClient, type IndexServerAddress } from '../client.ts';
import { freePort } from '../../cli/it/spawn.ts';

const BIN = fileURLToPath(new URL('../../../bin/stindex.js', import.meta.url));
const ident = (i: number): Signer => identityFromSeed(crypto, new Uint8Array(32).fill(i));


interface Srv {
  readonly name: string;
  readonly seed: number;
  readonly id: Signer;
  readonly lclient: string;
  readonly lserver: string;
  readonly trusts: string[];
  proc?: ChildProcess;
  stderr: string;
}

let dir = '';
const servers = new Map<string, Srv>();
const clients: IndexClient[] = [];

async function launch(s: Srv): Promise<void> {
  const args = [BIN, '--idfile', join(dir, s.name, 'index.ident'), '--lclient', s.lclient, '--lserver', s.lserver, '--trusted', join(dir, s.name, 'trusted'), '--verbose'];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  s.proc = proc;
  let out = '';
  proc.stderr?.on('data', (d: Buffer) => { s.stderr += d.toString(); });
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`stindex ${s.name} exited with ${code}: ${s.stderr}`)));
  });
}

async function kill(s: Srv): Promise<void> {
  const p = s.proc;
  if (p === undefined || p.exitCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
}

function nodeClient(id: Signer, server: Srv): IndexClient {
  const c = new IndexClient({
    identity: id, crypto, clock: systemClock, random: (n) => crypto.randomBytes(n),
    servers: [{ publicKey: server.id.publicKey, address: server.lclient } satisfies IndexServerAddress],
    connect: (a) => tcpConnect(a), minReportIntervalMs: 50, reconnectMinMs: 100, reconnectMaxMs: 1000,
  });
  clients.push(c);
  c.start();
  return c;
}

/** Polls route requests until `want` holds (bounded: cross-process propagation). */
async function routesUntil(c: IndexClient, q: { source: Uint8Array; destination: Uint8Array; amount: bigint }, want: (r: IndexRoute[]) => boolean): Promise<IndexRoute[]> {
  const deadline = Date.now() + 30_000;
  let last: IndexRoute[] = [];
  while (Date.now() < deadline) {
    const r = await c.requestRoutes({ ...q, currency: 'FST' });
    if (r.ok) {
      last = r.value;
      if (want(last)) return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return last;
}

const [n1, n2, asker] = [ident(101), ident(102), ident(103)];
const big = 1n << 64n;
const cap = (recv: bigint) => ({ sendCapacity: big, recvCapacity: recv, rate: { mul: 0, add: 1 } });

describe('index server federation over TCP', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stindex-fed-'));
    // U's key sorts below A's, so U is the one that dials A, and A must refuse it
    const spec: [string, number, string[]][] = [['A', 201, ['B']], ['B', 202, ['A', 'C']], ['C', 203, ['B']], ['U', 206, ['A']]];
    for (const [name, seed, trusts] of spec) {
      servers.set(name, { name, seed, id: ident(seed), lclient: `127.0.0.1:${await freePort()}`, lserver: `127.0.0.1:${await freePort()}`, trusts, stderr: '' });
    }
    for (const s of servers.values()) {
      await mkdir(join(dir, s.name, 'trusted'), { recursive: true });
      await writeFile(join(dir, s.name, 'index.ident'), formatIdent({ privateKey: new Uint8Array(32).fill(s.seed), publicKey: s.id.publicKey }));
      for (const t of s.trusts) {
        const other = servers.get(t) as Srv;
        await writeFile(join(dir, s.name, 'trusted', `${t}.ticket`), formatIndexTicket({ publicKey: other.id.publicKey, address: other.lserver }));
      }
    }
    await Promise.all([...servers.values()].map(launch));
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const s of servers.values()) await kill(s);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const S = (n: string) => servers.get(n) as Srv;
  const q = (amount: bigint) => ({ source: n1.publicKey, destination: n2.publicKey, amount });

  it('makes a node reporting to A routable by a node asking C, and back', async () => {
    const c1 = nodeClient(n1, S('A'));
    const c2 = nodeClient(n2, S('C'));
    c1.setCapacity(n2.publicKey, 'FST', cap(1000n));
    c2.setCapacity(n1.publicKey, 'FST', cap(500n));
    const atC = nodeClient(asker, S('C'));
    const routes = await routesUntil(atC, q(400n), (r) => r.length > 0);
    expect(routes).toHaveLength(1);
    expect(routes[0]?.route).toEqual([n1.publicKey, n2.publicKey]);
    expect(routes[0]?.capacity).toBe(500n);
    const atA = nodeClient(ident(104), S('A'));
    const back = await routesUntil(atA, { source: n2.publicKey, destination: n1.publicKey, amount: 900n }, (r) => r.length > 0);
    expect(back[0]?.capacity).toBe(1000n);
  }, 60_000);

  it('lets an index server that only one side trusts learn nothing', async () => {
    // by now A, B and C all know both nodes (previous test); U trusts A, A does not trust U
    const deadline = Date.now() + 30_000;
    while (!S('A').stderr.includes('refused untrusted index server') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(S('A').stderr).toContain('refused untrusted index server');
    const atU = nodeClient(ident(105), S('U'));
    const r = await atU.requestRoutes({ ...q(1n), currency: 'FST' });
    expect(r).toEqual({ ok: true, value: [] });
    const back = await atU.requestRoutes({ source: n2.publicKey, destination: n1.publicKey, amount: 1n, currency: 'FST' });
    expect(back).toEqual({ ok: true, value: [] });
  }, 60_000);

  it('recovers when B is killed and restarted: B relearns the graph and carries new updates', async () => {
    await kill(S('B'));
    await launch(S('B'));
    const atB = nodeClient(ident(106), S('B'));
    const routes = await routesUntil(atB, q(400n), (r) => r.length > 0);
    expect(routes[0]?.capacity).toBe(500n);
    // a change reported to C after the restart reaches A through the new B
    const c2 = clients[1] as IndexClient;
    c2.setCapacity(n1.publicKey, 'FST', cap(700n));
    const atA = clients[3] as IndexClient;
    const updated = await routesUntil(atA, q(600n), (r) => r[0]?.capacity === 700n);
    expect(updated[0]?.capacity).toBe(700n);
  }, 60_000);
});
