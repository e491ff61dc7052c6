/** A network of stnode processes on a VirtualNet, configured through stctrl as a user would:
 *  strelay and stindex hosts (one each, or several, the index servers federated), one host per
 *  node, friendships from a list, optionally a delaying proxy in front of every server. For the
 *  node scenarios (nodes.test.ts shows the same steps written out for three nodes). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBackend as crypto } from '../../src-core/crypto/backend.node.ts';
import {
  formatAppTicket, formatFriend, formatIdent, formatIndexTicket, formatNodeTicket, formatRelayTicket, identFromSeed,
} from '../../src-core/files/index.ts';
import { initNodeDatabase } from '../../src-core/store/index.node.ts';
import type { Host, HostProcess, Impairment, VirtualNet } from './harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CurrencyView { balance: bigint; localPendingDebt: bigint; remotePendingDebt: bigint }
export interface FriendView { readonly consistent: boolean; readonly currencies: ReadonlyMap<string, CurrencyView> }

export interface CtrlResult { readonly code: number | string; readonly out: string; readonly err: string }

export interface NodeNetOptions {
  /** strelay processes (default 1, named `relay`; more are `relay0`, `relay1`, …). Node i uses
   *  relay i mod count. */
  readonly relays?: number;
  /** stindex processes (default 1, named `index`; more are `index0`, … and federate, each
   *  trusting every other). Node i reports to index i mod count, with the next one as its
   *  fallback. */
  readonly indexes?: number;
  /** A delaying TCP proxy (agents/delay-proxy.ts) in front of every relay and index server, for
   *  the delay and jitter netem cannot give here: the servers listen on their host's loopback
   *  and the proxy on the host's LAN address. It stays up while its server is killed. */
  readonly proxy?: { readonly delayMs: number; readonly jitterMs: number; readonly seed: number };
  /** How many stctrl processes `befriendAll` runs at once (default 8). */
  readonly parallel?: number;
}

const RELAY_PORT = 9000;
const INDEX_CLIENT_PORT = 7001;
const INDEX_SERVER_PORT = 7002;

export class NodeNet {
  readonly hosts = new Map<string, Host>();
  private readonly procs = new Map<string, HostProcess>();
  readonly relays: readonly string[];
  readonly indexes: readonly string[];
  /** stctrl calls slower than this are logged (with `log`). */
  slowMs = 20_000;
  log: (line: string) => void = () => {};
  /** What impaired the links, one line each (printed at the start of a run). */
  readonly impairments: string[] = [];

  private constructor(readonly net: VirtualNet, readonly dir: string, readonly nodes: readonly string[], readonly o: NodeNetOptions) {
    const r = o.relays ?? 1;
    const i = o.indexes ?? 1;
    this.relays = r === 1 ? ['relay'] : Array.from({ length: r }, (_, k) => `relay${k}`);
    this.indexes = i === 1 ? ['index'] : Array.from({ length: i }, (_, k) => `index${k}`);
  }

  /** Relays and index servers. */
  get servers(): readonly string[] { return [...this.relays, ...this.indexes]; }

  seedOf(name: string): Uint8Array {
    const s = new Uint8Array(32).fill(7);
    s.set(new TextEncoder().encode(name.slice(0, 24)));
    return s;
  }
  keyOf(name: string): Uint8Array { return crypto.ed25519PublicKey(this.seedOf(name)); }
  host(name: string): Host { return this.hosts.get(name) as Host; }
  relayOf(node: string): string { return this.relays[this.nodes.indexOf(node) % this.relays.length] as string; }
  indexesOf(node: string): string[] {
    const k = this.nodes.indexOf(node);
    const n = this.indexes.length;
    return n === 1 ? [this.indexes[0] as string] : [this.indexes[k % n] as string, this.indexes[(k + 1) % n] as string];
  }
  private serverSeed(name: string): Uint8Array {
    return new Uint8Array(32).fill((this.relays.includes(name) ? 80 : 90) + Math.max(0, Number(name.replace(/\D/g, '') || 0)));
  }
  /** Where a server listens itself: its host's loopback behind a proxy, else its LAN address. */
  private bindIp(name: string): string { return this.o.proxy === undefined ? this.host(name).ip : '127.0.0.1'; }

  /** Hosts for every relay, index server and node, all impaired alike, and every program started. */
  static async create(net: VirtualNet, dir: string, nodes: readonly string[], impairment: Impairment, o: NodeNetOptions = {}): Promise<NodeNet> {
    const n = new NodeNet(net, dir, nodes, o);
    for (const h of [...n.servers, ...nodes]) {
      const host = await net.addHost(h);
      n.hosts.set(h, host);
      const done = await net.impair(host, impairment);
      if (n.impairments.length === 0) {
        n.impairments.push(...done.applied.map((a) => `every host: ${a}`), ...done.missing.map((m) => `not applied: ${m}`));
      }
    }
    if (o.proxy !== undefined) {
      n.impairments.push(`delay ${o.proxy.delayMs} ms ± ${o.proxy.jitterMs} ms (uniform) each way on every connection to a relay or index server (TCP proxy on its host)`);
    }
    for (const r of n.relays) {
      await writeFile(join(dir, `${r}.ident`), formatIdent(identFromSeed(crypto, n.serverSeed(r))), { mode: 0o600 });
      await writeFile(join(dir, `${r}.ticket`), formatRelayTicket(n.relayTicket(r)));
    }
    for (const x of n.indexes) {
      await writeFile(join(dir, `${x}.ident`), formatIdent(identFromSeed(crypto, n.serverSeed(x))), { mode: 0o600 });
      await writeFile(join(dir, `${x}.ticket`), formatIndexTicket({ publicKey: crypto.ed25519PublicKey(n.serverSeed(x)), address: `${n.host(x).ip}:${INDEX_CLIENT_PORT}` }));
      await mkdir(join(dir, `${x}-trusted`), { recursive: true });
      for (const peer of n.indexes.filter((p) => p !== x)) {
        await writeFile(join(dir, `${x}-trusted`, `${peer}.ticket`),
          formatIndexTicket({ publicKey: crypto.ed25519PublicKey(n.serverSeed(peer)), address: `${n.host(peer).ip}:${INDEX_SERVER_PORT}` }));
      }
    }
    for (const name of nodes) {
      await mkdir(join(dir, name, 'trusted'), { recursive: true });
      const appSeed = n.seedOf(name).map((x) => x ^ 0xff);
      await writeFile(join(dir, name, 'node.ident'), formatIdent(identFromSeed(crypto, n.seedOf(name))), { mode: 0o600 });
      await writeFile(join(dir, name, 'app.ident'), formatIdent(identFromSeed(crypto, appSeed)), { mode: 0o600 });
      await writeFile(join(dir, name, 'node.ticket'), formatNodeTicket({ publicKey: n.keyOf(name), address: `${n.host(name).ip}:8000` }));
      await writeFile(join(dir, name, 'trusted', 'app.ticket'), formatAppTicket({ publicKey: crypto.ed25519PublicKey(appSeed), permissions: { buyer: true, seller: true, config: true, routes: true } }));
      await writeFile(join(dir, `${name}.friend`), formatFriend({ publicKey: n.keyOf(name), relays: [n.relayTicket(n.relayOf(name))] }));
      await initNodeDatabase(join(dir, name, 'node.db'), n.keyOf(name));
    }
    if (o.proxy !== undefined) {
      const p = o.proxy;
      await Promise.all(n.servers.map(async (s, k) => {
        const ip = n.host(s).ip;
        const ports = n.relays.includes(s) ? [RELAY_PORT] : [INDEX_CLIENT_PORT, INDEX_SERVER_PORT];
        const proc = net.spawn(n.host(s), `proxy ${s}`, process.execPath, [
          '--import', 'tsx', join(ROOT, 'test/net/agents/delay-proxy.ts'), '--delay', String(p.delayMs), '--jitter', String(p.jitterMs),
          '--seed', String(p.seed * 100 + k), ...ports.map((port) => `${ip}:${port}=127.0.0.1:${port}`),
        ], { cwd: ROOT });
        await proc.waitFor(/proxy listening/);
      }));
    }
    await Promise.all([...n.servers, ...nodes].map((x) => n.start(x)));
    await n.each(nodes, async (x) => {
      await n.ok(x, ['config', 'add-relay', '-n', 'relay', '-r', `${n.relayOf(x)}.ticket`]);
      for (const ix of n.indexesOf(x)) await n.ok(x, ['config', 'add-index', '-n', ix, '-i', `${ix}.ticket`]);
    });
    return n;
  }

  private relayTicket(r: string): { publicKey: Uint8Array; address: string } {
    return { publicKey: crypto.ed25519PublicKey(this.serverSeed(r)), address: `${this.host(r).ip}:${RELAY_PORT}` };
  }

  /** Runs `f` over `items`, at most `parallel` at once. */
  async each<T>(items: readonly T[], f: (x: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) await f(items[next++] as T);
    };
    await Promise.all(Array.from({ length: Math.min(this.o.parallel ?? 8, items.length) }, worker));
  }

  private bin(host: Host, label: string, program: string, args: readonly string[]): HostProcess {
    return this.net.spawn(host, label, process.execPath, [join(ROOT, 'bin', `${program}.js`), ...args], { cwd: this.dir });
  }

  /** Starts (or restarts, on the same database) a relay, an index server or a node; waits until
   *  it listens. */
  async start(name: string): Promise<void> {
    const h = this.host(name);
    const ip = this.relays.includes(name) || this.indexes.includes(name) ? this.bindIp(name) : h.ip;
    const p = this.relays.includes(name)
      ? this.bin(h, `strelay ${name}`, 'strelay', ['--idfile', `${name}.ident`, '--laddr', `${ip}:${RELAY_PORT}`])
      : this.indexes.includes(name)
        ? this.bin(h, `stindex ${name}`, 'stindex', ['--idfile', `${name}.ident`, '--lclient', `${ip}:${INDEX_CLIENT_PORT}`, '--lserver', `${ip}:${INDEX_SERVER_PORT}`, '--trusted', `${name}-trusted`])
        : this.bin(h, `stnode ${name}`, 'stnode', ['--database', `${name}/node.db`, '--idfile', `${name}/node.ident`, '--laddr', `${h.ip}:8000`, '--trusted', `${name}/trusted`, '--verbose']);
    this.procs.set(name, p);
    await p.waitFor(/listening/);
  }

  /** The last `n` lines a program (stnode runs with --verbose) wrote on stderr. */
  logTail(name: string, n: number): string[] {
    return (this.procs.get(name)?.stderr() ?? '').trim().split('\n').slice(-n);
  }

  async kill(name: string): Promise<void> {
    await this.procs.get(name)?.kill('SIGKILL');
  }

  /** One stctrl command for `name`'s node, run on that node's host. */
  async ctrl(name: string, args: readonly string[]): Promise<CtrlResult> {
    const t0 = performance.now();
    const p = this.bin(this.host(name), `stctrl ${name}`, 'stctrl', ['-I', `${name}/app.ident`, '-T', `${name}/node.ticket`, ...args]);
    const code = await p.exited;
    const ms = performance.now() - t0;
    if (ms > this.slowMs) {
      this.log(`slow stctrl ${name} ${args.join(' ')}: ${Math.round(ms)} ms, exit ${code} ${(p.stderr() || p.stdout()).trim().slice(0, 200)}\n`
        + `  ${name}'s log, last lines:\n    ${this.logTail(name, 25).join('\n    ')}`);
    }
    return { code, out: p.stdout(), err: p.stderr() };
  }

  async ok(name: string, args: readonly string[]): Promise<string> {
    const r = await this.ctrl(name, args);
    if (r.code !== 0) throw new Error(`stctrl ${name} ${args.join(' ')}: exit ${r.code}\n${r.out}${r.err}`);
    return r.out;
  }

  /** Both sides add, limit, open and enable each other. */
  async befriend(x: string, y: string, maxDebt: bigint): Promise<void> {
    await Promise.all([[x, y], [y, x]].map(async ([a, b]) => {
      await this.ok(a as string, ['config', 'add-friend', '-n', b as string, '-f', `${b}.friend`]);
      await this.ok(a as string, ['config', 'set-friend-max-debt', '-n', b as string, '-m', String(maxDebt)]);
      await this.ok(a as string, ['config', 'open-friend', '-n', b as string]);
      await this.ok(a as string, ['config', 'enable-friend', '-n', b as string]);
    }));
  }

  /** `befriend` for each pair, at most `parallel` stctrl processes at once. */
  async befriendAll(pairs: readonly (readonly [string, string])[], maxDebt: bigint): Promise<void> {
    const steps = pairs.flatMap(([x, y]) => [[x, y], [y, x]] as const);
    await this.each(steps, async ([a, b]) => {
      await this.ok(a, ['config', 'add-friend', '-n', b, '-f', `${b}.friend`]);
      await this.ok(a, ['config', 'set-friend-max-debt', '-n', b, '-m', String(maxDebt)]);
      await this.ok(a, ['config', 'open-friend', '-n', b]);
      await this.ok(a, ['config', 'enable-friend', '-n', b]);
    });
  }

  /** Balance in FST with each friend (see `friends`). */
  async balances(name: string): Promise<Map<string, bigint>> {
    const m = new Map<string, bigint>();
    for (const [friend, f] of await this.friends(name)) {
      const fst = f.currencies.get('FST');
      if (fst !== undefined) m.set(friend, fst.balance);
    }
    return m;
  }

  /** Each friend's channel from `info friends`: a friend's rows start with its name; a
   *  consistent channel has per currency `C: …` (the default, FST) or `C[USD]: …`, then
   *  `B  =n`, LMD, RMD, `LPD=n`, `RPD=n`; an inconsistent one starts its cell with `I:`. */
  async friends(name: string): Promise<Map<string, FriendView>> {
    const out = await this.ok(name, ['info', 'friends']);
    const m = new Map<string, { consistent: boolean; currencies: Map<string, CurrencyView> }>();
    let friend: { consistent: boolean; currencies: Map<string, CurrencyView> } | undefined;
    let currency: CurrencyView | undefined;
    for (const line of out.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      if (cells[2] !== undefined && cells[2] !== '' && cells[2] !== 'name') {
        friend = { consistent: true, currencies: new Map() };
        m.set(cells[2], friend);
      }
      const cell = cells[3] ?? '';
      if (friend === undefined) continue;
      if (cell === 'I:') friend.consistent = false;
      const c = /^C(?:\[([^\]]*)\])?:/.exec(cell);
      if (c !== null && !cell.startsWith('C: no currencies')) {
        currency = { balance: 0n, localPendingDebt: 0n, remotePendingDebt: 0n };
        friend.currencies.set(c[1] ?? 'FST', currency);
      }
      const v = /^(B  |LPD|RPD)=(-?\d+)$/.exec(cell);
      if (v !== null && currency !== undefined) {
        const x = BigInt(v[2] as string);
        if (v[1] === 'B  ') currency.balance = x;
        else if (v[1] === 'LPD') currency.localPendingDebt = x;
        else currency.remotePendingDebt = x;
      }
    }
    return m;
  }
}
