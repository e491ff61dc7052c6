/** A multi-host network on one Linux machine, made by the test itself: one network namespace per
 *  virtual host, each joined by a veth pair to a bridge that lives in a namespace of its own (the
 *  "switch"), on a private /24. Nothing is created in the root namespace, so no traffic can leave
 *  the namespaces made here. Links can be impaired (tc netem where the kernel has it; random loss
 *  through iptables' statistic match where it does not), cut and restored. Processes run inside a
 *  host with `ip netns exec`, each in its own process group. `destroy()` kills every process group
 *  and deletes every namespace; namespaces left by a run that died are swept by the next one.
 *
 *  Needs root, iproute2 (`ip`, `tc`) and permission to create namespaces; `netSupport()` says
 *  what is missing, and the tests skip with that reason. */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Support {
  /** Namespaces, veth and bridge work. */
  readonly netns: boolean;
  /** tc netem (delay, jitter, loss, duplication, reordering). */
  readonly netem: boolean;
  /** iptables with the statistic match (random loss only). */
  readonly iptablesLoss: boolean;
  /** nftables `dup to ip daddr` (random duplication, without netem). */
  readonly nftDup: boolean;
  /** htb with a slow class that iptables' CLASSIFY sends random packets to (reordering,
   *  without netem: those packets fall behind the ones sent after them). */
  readonly htbReorder: boolean;
  /** Why something above is false (empty when all is there). */
  readonly reasons: readonly string[];
}

export interface Impairment {
  readonly delayMs?: number;
  readonly jitterMs?: number;
  readonly lossPct?: number;
  readonly duplicatePct?: number;
  readonly reorderPct?: number;
}

const NS_PREFIX = 'ofn';

function run(cmd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 127;
      resolve({ code, stdout, stderr });
    });
  });
}

async function must(cmd: string, args: readonly string[]): Promise<string> {
  const r = await run(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

const onPath = (name: string): string | undefined =>
  ['/usr/sbin', '/sbin', '/usr/bin', '/bin'].map((d) => `${d}/${name}`).find((p) => existsSync(p));

let cachedSupport: Promise<Support> | undefined;
const NONE = { netns: false, netem: false, iptablesLoss: false, nftDup: false, htbReorder: false } as const;

/** Probes once per process: creates a throwaway namespace and tries each feature in it. */
export function netSupport(): Promise<Support> {
  cachedSupport ??= (async (): Promise<Support> => {
    const reasons: string[] = [];
    if (process.platform !== 'linux') return { ...NONE, reasons: ['not Linux'] };
    if (process.getuid?.() !== 0) return { ...NONE, reasons: ['not root (network namespaces need root)'] };
    if (onPath('ip') === undefined) return { ...NONE, reasons: ['no `ip` (install iproute2)'] };
    await sweepStale();
    const ns = `${NS_PREFIX}-${process.pid}-probe`;
    const add = await run('ip', ['netns', 'add', ns]);
    if (add.code !== 0) return { ...NONE, reasons: [`cannot create a network namespace: ${add.stderr.trim()}`] };
    try {
      const veth = await run('ip', ['-n', ns, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1']);
      const br = await run('ip', ['-n', ns, 'link', 'add', 'b0', 'type', 'bridge']);
      const netns = veth.code === 0 && br.code === 0;
      if (!netns) reasons.push(`veth/bridge unavailable: ${(veth.stderr + br.stderr).trim()}`);
      let netem = false;
      if (onPath('tc') === undefined) reasons.push('no `tc` (install iproute2): no netem');
      else if (netns) {
        const q = await run('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', 'p0', 'root', 'netem', 'delay', '1ms']);
        netem = q.code === 0;
        if (!netem) reasons.push(`tc netem unavailable (${q.stderr.trim() || 'failed'}; the kernel needs CONFIG_NET_SCH_NETEM): no packet delay or jitter; loss by iptables, duplication by nft, reordering by htb where they work`);
      }
      let iptablesLoss = false;
      if (onPath('iptables') === undefined) reasons.push('no `iptables`: no loss without netem');
      else {
        const i = await run('ip', ['netns', 'exec', ns, 'iptables', '-A', 'INPUT', '-m', 'statistic', '--mode', 'random', '--probability', '0.01', '-j', 'DROP']);
        iptablesLoss = i.code === 0;
        if (!iptablesLoss) reasons.push(`iptables statistic match unavailable: ${i.stderr.trim()}`);
      }
      let nftDup = false;
      if (netem) { /* netem duplicates */ } else if (onPath('nft') === undefined) reasons.push('no `nft`: no duplication without netem');
      else if (netns) {
        const d = await nft(ns, 'p0', 1);
        nftDup = d.code === 0;
        if (!nftDup) reasons.push(`nftables dup unavailable: ${d.stderr.trim()}`);
      }
      let htbReorder = false;
      if (!netem && netns && iptablesLoss) {
        const h = await htbSlowClass(ns, 'p0', 1);
        htbReorder = h.code === 0;
        if (!htbReorder) reasons.push(`htb + CLASSIFY unavailable, no reordering: ${h.stderr.trim()}`);
      }
      return { netns, netem, iptablesLoss, nftDup, htbReorder, reasons };
    } finally {
      await run('ip', ['netns', 'del', ns]);
    }
  })();
  return cachedSupport;
}

/** Duplicates `pct` % of the packets leaving `dev`, to their own destination (nftables). */
function nft(ns: string, dev: string, pct: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const rules = `table ip ofnimp {\n  chain post { type filter hook postrouting priority 0; oifname "${dev}" numgen random mod 1000 < ${Math.round(pct * 10)} dup to ip daddr device "${dev}"; }\n}\n`;
  return new Promise((resolve) => {
    const child = execFile('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 127, stdout, stderr });
    });
    child.stdin?.end(rules);
  });
}

/** Reordering without netem: an htb root whose default class is fast and whose class 1:20 is
 *  slow (128 kbit/s: a full 1500-byte packet waits ~94 ms, a bare ACK ~4 ms, more when several
 *  queue), and iptables sending `pct` % of the packets, at random, to the slow class. */
async function htbSlowClass(ns: string, dev: string, pct: number): Promise<{ code: number; stderr: string }> {
  const steps: string[][] = [
    ['tc', 'qdisc', 'replace', 'dev', dev, 'root', 'handle', '1:', 'htb', 'default', '10', 'r2q', '1000'],
    ['tc', 'class', 'add', 'dev', dev, 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '10gbit'],
    ['tc', 'class', 'add', 'dev', dev, 'parent', '1:', 'classid', '1:20', 'htb', 'rate', '128kbit', 'ceil', '128kbit', 'burst', '1', 'cburst', '1', 'quantum', '1514'],
    ['tc', 'qdisc', 'add', 'dev', dev, 'parent', '1:20', 'handle', '20:', 'pfifo', 'limit', '200'],
    ['iptables', '-t', 'mangle', '-A', 'POSTROUTING', '-o', dev, '-m', 'statistic', '--mode', 'random', '--probability', String(pct / 100), '-j', 'CLASSIFY', '--set-class', '1:20'],
  ];
  for (const step of steps) {
    const r = await run('ip', ['netns', 'exec', ns, ...step]);
    if (r.code !== 0) return { code: r.code, stderr: `${step.join(' ')}: ${r.stderr}` };
  }
  return { code: 0, stderr: '' };
}

/** Deletes namespaces made by runs whose process is gone (a crashed or killed test). */
async function sweepStale(): Promise<void> {
  const list = await run('ip', ['netns', 'list']);
  for (const line of list.stdout.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const m = new RegExp(`^${NS_PREFIX}-(\\d+)-`).exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    let alive = true;
    try { process.kill(pid, 0); } catch { alive = false; }
    if (!alive) await run('ip', ['netns', 'del', name]);
  }
}

export interface Host {
  readonly name: string;
  readonly ns: string;
  /** The host's address on the virtual LAN. */
  readonly ip: string;
  /** The switch-side end of its veth pair (cut here, so both directions go dark). */
  readonly port: string;
}

export interface HostProcess {
  readonly host: Host;
  readonly label: string;
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<number | string>;
  /** SIGKILL to the whole process group; resolves when the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Resolves with the first stdout line matching `pattern` (bounded wait). */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
}

let instances = 0;

export class VirtualNet {
  private readonly hosts = new Map<string, Host>();
  private readonly procs = new Set<HostProcess>();
  private readonly namespaces: string[] = [];
  private destroyed = false;
  private readonly exitHook = (): void => this.destroySync();

  private constructor(readonly id: string, readonly subnet: string, private readonly sw: string) {
    process.once('exit', this.exitHook);
  }

  /** `subnet`: the first three octets of a private /24, e.g. '10.77.0'. */
  static async create(subnet = '10.77.0'): Promise<VirtualNet> {
    const id = `${NS_PREFIX}-${process.pid}-${instances++}`;
    const sw = `${id}-sw`;
    const net = new VirtualNet(id, subnet, sw);
    try {
      await must('ip', ['netns', 'add', sw]);
      net.namespaces.push(sw);
      await must('ip', ['-n', sw, 'link', 'set', 'lo', 'up']);
      await must('ip', ['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']);
      await must('ip', ['-n', sw, 'link', 'set', 'br0', 'up']);
    } catch (e) {
      await net.destroy();
      throw e;
    }
    return net;
  }

  host(name: string): Host {
    const h = this.hosts.get(name);
    if (h === undefined) throw new RangeError(`no host ${name}`);
    return h;
  }

  /** A new virtual host with the next address (.1, .2, …) on the LAN. */
  async addHost(name: string): Promise<Host> {
    if (this.hosts.has(name)) throw new RangeError(`host ${name} exists`);
    const n = this.hosts.size + 1;
    if (n > 250) throw new RangeError('a /24 holds at most 250 hosts here');
    const ns = `${this.id}-h${n}`;
    const host: Host = { name, ns, ip: `${this.subnet}.${n}`, port: `p${n}` };
    await must('ip', ['netns', 'add', ns]);
    this.namespaces.push(ns);
    // the pair is born inside the switch namespace and one end moves into the host: never in the root namespace
    await must('ip', ['-n', this.sw, 'link', 'add', host.port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    await must('ip', ['-n', this.sw, 'link', 'set', host.port, 'master', 'br0']);
    await must('ip', ['-n', this.sw, 'link', 'set', host.port, 'up']);
    await must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    await must('ip', ['-n', ns, 'addr', 'add', `${host.ip}/24`, 'dev', 'eth0']);
    await must('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    this.hosts.set(name, host);
    return host;
  }

  /** Impairs every packet `host` sends (so each packet between two impaired hosts is impaired
   *  once): netem on its end of the link where the kernel has it. Without netem: random loss with
   *  iptables' statistic match, duplication with nftables `dup`, reordering with an htb slow
   *  class; delay and jitter are then not applied at the packet level (a TCP proxy can add them,
   *  `agents/delay-proxy.ts`). Returns what was applied, one phrase each, and what was not. */
  async impair(host: Host, imp: Impairment): Promise<{ applied: string[]; missing: string[] }> {
    const s = await netSupport();
    const applied: string[] = [];
    const missing: string[] = [];
    if (s.netem) {
      const spec: string[] = ['netem'];
      if (imp.delayMs !== undefined) spec.push('delay', `${imp.delayMs}ms`, ...(imp.jitterMs ? [`${imp.jitterMs}ms`, 'distribution', 'normal'] : []));
      if (imp.lossPct) spec.push('loss', `${imp.lossPct}%`);
      if (imp.duplicatePct) spec.push('duplicate', `${imp.duplicatePct}%`);
      if (imp.reorderPct && imp.delayMs) spec.push('reorder', `${imp.reorderPct}%`);
      await must('ip', ['netns', 'exec', host.ns, 'tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', ...spec]);
      applied.push(`tc netem ${spec.slice(1).join(' ')} on eth0`);
      return { applied, missing };
    }
    if (!s.iptablesLoss) throw new Error(`cannot impair links here: ${s.reasons.join('; ')}`);
    await this.clearImpairment(host);
    if (imp.lossPct) {
      await must('ip', ['netns', 'exec', host.ns, 'iptables', '-A', 'OUTPUT', '-o', 'eth0', '-m', 'statistic', '--mode', 'random',
        '--probability', String(imp.lossPct / 100), '-j', 'DROP']);
      applied.push(`loss ${imp.lossPct}% (iptables OUTPUT -o eth0 -m statistic --mode random -j DROP)`);
    }
    if (imp.duplicatePct) {
      if (s.nftDup) {
        const r = await nft(host.ns, 'eth0', imp.duplicatePct);
        if (r.code !== 0) throw new Error(`nft dup on ${host.name}: ${r.stderr.trim()}`);
        applied.push(`duplication ${imp.duplicatePct}% (nft postrouting numgen random dup to ip daddr)`);
      } else missing.push(`duplication ${imp.duplicatePct}% (no netem, no nft dup)`);
    }
    if (imp.reorderPct) {
      if (s.htbReorder) {
        const r = await htbSlowClass(host.ns, 'eth0', imp.reorderPct);
        if (r.code !== 0) throw new Error(`htb reorder on ${host.name}: ${r.stderr.trim()}`);
        applied.push(`reordering ${imp.reorderPct}% (iptables CLASSIFY into an htb class of 128 kbit/s)`);
      } else missing.push(`reordering ${imp.reorderPct}% (no netem, no htb)`);
    }
    if (imp.delayMs) missing.push(`packet delay ${imp.delayMs} ms ± ${imp.jitterMs ?? 0} ms (no netem; see the delay proxy)`);
    return { applied, missing };
  }

  private async clearIptables(host: Host): Promise<void> {
    await run('ip', ['netns', 'exec', host.ns, 'iptables', '-F']);
    await run('ip', ['netns', 'exec', host.ns, 'iptables', '-t', 'mangle', '-F']);
  }

  /** Packets the host's impairment dropped so far (iptables counters; netem's own with tc -s). */
  async dropped(host: Host): Promise<number> {
    const s = await netSupport();
    if (s.netem) {
      const out = await must('ip', ['netns', 'exec', host.ns, 'tc', '-s', 'qdisc', 'show', 'dev', 'eth0']);
      return Number(/dropped (\d+)/.exec(out)?.[1] ?? 0);
    }
    const out = await must('ip', ['netns', 'exec', host.ns, 'iptables', '-L', 'OUTPUT', '-v', '-n', '-x']);
    return out.split('\n').filter((l) => /DROP/.test(l)).reduce((n, l) => n + Number(l.trim().split(/\s+/)[0] ?? 0), 0);
  }

  async clearImpairment(host: Host): Promise<void> {
    const s = await netSupport();
    if (s.netem) {
      await run('ip', ['netns', 'exec', host.ns, 'tc', 'qdisc', 'del', 'dev', 'eth0', 'root']);
    }
    if (s.iptablesLoss) await this.clearIptables(host);
    if (s.nftDup) await run('ip', ['netns', 'exec', host.ns, 'nft', 'delete', 'table', 'ip', 'ofnimp']);
    if (s.htbReorder) await run('ip', ['netns', 'exec', host.ns, 'tc', 'qdisc', 'del', 'dev', 'eth0', 'root']);
  }

  /** Takes the host off the LAN (its switch port goes down); `restore` brings it back. */
  async cut(host: Host): Promise<void> {
    await must('ip', ['-n', this.sw, 'link', 'set', host.port, 'down']);
  }

  async restore(host: Host): Promise<void> {
    await must('ip', ['-n', this.sw, 'link', 'set', host.port, 'up']);
  }

  /** Runs `cmd args` inside `host`, in its own process group. */
  spawn(host: Host, label: string, cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): HostProcess {
    if (this.destroyed) throw new Error('the virtual network is destroyed');
    const child = spawn('ip', ['netns', 'exec', host.ns, cmd, ...args], {
      cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true,
    });
    let out = '';
    let err = '';
    const waiters = new Set<() => void>();
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; for (const w of waiters) w(); });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { err = (err + d).slice(-100_000); });
    const exited = new Promise<number | string>((r) => child.once('exit', (code, sig) => { for (const w of waiters) w(); r(code ?? sig ?? -1); }));
    const proc: HostProcess = {
      host, label, child, exited,
      stdout: () => out,
      stderr: () => err,
      kill: async (signal = 'SIGKILL') => {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
          try { process.kill(-child.pid, signal); } catch { /* already gone */ }
        }
        await exited;
        this.procs.delete(proc);
      },
      waitFor: (pattern, ms = 60_000) => new Promise((resolve, reject) => {
        const check = (): void => {
          const m = pattern.exec(out);
          if (m !== null) { done(); resolve(m); return; }
          if (child.exitCode !== null || child.signalCode !== null) { done(); reject(new Error(`${label} exited before ${String(pattern)}: ${err.trim().slice(-2000)}`)); }
        };
        const timer = setTimeout(() => { done(); reject(new Error(`${label}: no ${String(pattern)} within ${ms} ms; stderr: ${err.trim().slice(-2000)}`)); }, ms);
        const done = (): void => { clearTimeout(timer); waiters.delete(check); };
        waiters.add(check);
        check();
      }),
    };
    this.procs.add(proc);
    return proc;
  }

  /** Kills every process group started here, then deletes every namespace. Idempotent. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await Promise.all([...this.procs].map((p) => p.kill()));
    for (const ns of this.namespaces.reverse()) await run('ip', ['netns', 'del', ns]);
    process.off('exit', this.exitHook);
  }

  /** Last resort on process exit: synchronous, best effort. */
  private destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const p of this.procs) if (p.child.pid !== undefined) { try { process.kill(-p.child.pid, 'SIGKILL'); } catch { /* gone */ } }
    for (const ns of this.namespaces.reverse()) spawnSync('ip', ['netns', 'del', ns]);
  }
}
