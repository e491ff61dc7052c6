/** A network of stnode processes on a VirtualNet, configured through stctrl as a user would:
 *  one strelay and one stindex host, one host per node, friendships from a list. For the node
 *  scenarios (nodes.test.ts shows the same steps written out for three nodes). */
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

export class NodeNet {
  readonly hosts = new Map<string, Host>();
  private readonly procs = new Map<string, HostProcess>();

  private constructor(readonly net: VirtualNet, readonly dir: string, readonly nodes: readonly string[]) {}

  seedOf(name: string): Uint8Array {
    const s = new Uint8Array(32).fill(7);
    s.set(new TextEncoder().encode(name.slice(0, 24)));
    return s;
  }
  keyOf(name: string): Uint8Array { return crypto.ed25519PublicKey(this.seedOf(name)); }
  host(name: string): Host { return this.hosts.get(name) as Host; }

  /** Hosts `relay`, `index` and one per node, all impaired alike, and every program started. */
  static async create(net: VirtualNet, dir: string, nodes: readonly string[], impairment: Impairment): Promise<NodeNet> {
    const n = new NodeNet(net, dir, nodes);
    for (const h of ['relay', 'index', ...nodes]) {
      const host = await net.addHost(h);
      n.hosts.set(h, host);
      await net.impair(host, impairment);
    }
    const relaySeed = new Uint8Array(32).fill(90);
    const indexSeed = new Uint8Array(32).fill(91);
    const relay = { publicKey: crypto.ed25519PublicKey(relaySeed), address: `${n.host('relay').ip}:9000` };
    const index = { publicKey: crypto.ed25519PublicKey(indexSeed), address: `${n.host('index').ip}:7001` };
    await writeFile(join(dir, 'relay.ident'), formatIdent(identFromSeed(crypto, relaySeed)), { mode: 0o600 });
    await writeFile(join(dir, 'index.ident'), formatIdent(identFromSeed(crypto, indexSeed)), { mode: 0o600 });
    await writeFile(join(dir, 'relay.ticket'), formatRelayTicket(relay));
    await writeFile(join(dir, 'index.ticket'), formatIndexTicket(index));
    await mkdir(join(dir, 'index-trusted'), { recursive: true });
    for (const name of nodes) {
      await mkdir(join(dir, name, 'trusted'), { recursive: true });
      const appSeed = n.seedOf(name).map((x) => x ^ 0xff);
      await writeFile(join(dir, name, 'node.ident'), formatIdent(identFromSeed(crypto, n.seedOf(name))), { mode: 0o600 });
      await writeFile(join(dir, name, 'app.ident'), formatIdent(identFromSeed(crypto, appSeed)), { mode: 0o600 });
      await writeFile(join(dir, name, 'node.ticket'), formatNodeTicket({ publicKey: n.keyOf(name), address: `${n.host(name).ip}:8000` }));
      await writeFile(join(dir, name, 'trusted', 'app.ticket'), formatAppTicket({ publicKey: crypto.ed25519PublicKey(appSeed), permissions: { buyer: true, seller: true, config: true, routes: true } }));
      await writeFile(join(dir, `${name}.friend`), formatFriend({ publicKey: n.keyOf(name), relays: [relay] }));
      await initNodeDatabase(join(dir, name, 'node.db'), n.keyOf(name));
    }
    await Promise.all([n.start('relay'), n.start('index'), ...nodes.map((x) => n.start(x))]);
    await Promise.all(nodes.map(async (x) => {
      await n.ok(x, ['config', 'add-relay', '-n', 'relay', '-r', 'relay.ticket']);
      await n.ok(x, ['config', 'add-index', '-n', 'index', '-i', 'index.ticket']);
    }));
    return n;
  }

  private bin(host: Host, label: string, program: string, args: readonly string[]): HostProcess {
    return this.net.spawn(host, label, process.execPath, [join(ROOT, 'bin', `${program}.js`), ...args], { cwd: this.dir });
  }

  /** Starts (or restarts, on the same database) `relay`, `index` or a node; waits until it listens. */
  async start(name: string): Promise<void> {
    const h = this.host(name);
    const p = name === 'relay'
      ? this.bin(h, 'strelay', 'strelay', ['--idfile', 'relay.ident', '--laddr', `${h.ip}:9000`])
      : name === 'index'
        ? this.bin(h, 'stindex', 'stindex', ['--idfile', 'index.ident', '--lclient', `${h.ip}:7001`, '--lserver', `${h.ip}:7002`, '--trusted', 'index-trusted'])
        : this.bin(h, `stnode ${name}`, 'stnode', ['--database', `${name}/node.db`, '--idfile', `${name}/node.ident`, '--laddr', `${h.ip}:8000`, '--trusted', `${name}/trusted`]);
    this.procs.set(name, p);
    await p.waitFor(/listening/);
  }

  async kill(name: string): Promise<void> {
    await this.procs.get(name)?.kill('SIGKILL');
  }

  /** One stctrl command for `name`'s node, run on that node's host. */
  async ctrl(name: string, args: readonly string[]): Promise<CtrlResult> {
    const p = this.bin(this.host(name), `stctrl ${name}`, 'stctrl', ['-I', `${name}/app.ident`, '-T', `${name}/node.ticket`, ...args]);
    const code = await p.exited;
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
