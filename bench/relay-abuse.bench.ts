/** A strelay process under abusive clients, its memory measured from /proc (Linux):
 *    relay.rss_mb_idle            RSS after start and one honest exchange
 *    relay.rss_mb_under_abuse     peak RSS while these run at once:
 *                                 - half-open: connections that send the prologue and stop
 *                                 - oversize: a handshake frame announced at 1 MiB, then a trickle
 *                                 - flood: authenticated tunnels pushing 1 MiB frames at listeners
 *                                   that never read them
 *                                 - connect spam: Connect requests no listener will Accept
 *    relay.rss_mb_after_abuse     RSS once the abusers are gone
 *    relay.abusers_cut_ratio      raw abusive connections (half-open, oversize) the relay closed on
 *                                 its own, of all, counted once the relay's handshake timeout has
 *                                 passed for the last of them (the quick run's abuse window is
 *                                 shorter than that timeout: counting at its end gave 0.333, the
 *                                 oversize ones only, while the half-open ones were still in time)
 *    relay.honest_rtt_ms_under_abuse  p50 round trip of an honest pair during the abuse
 *  The relay's limits (relay/limits.ts) are what keep the peak bounded. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeBackend as crypto } from '../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../src-core/crypto/index.ts';
import { type FrameStream, type SecureChannel, frameHeader, prologue, secureChannel, systemClock as clock } from '../src-core/net/index.ts';
import { parseHostPort, tcpConnect } from '../src-core/net/tcp.node.ts';
import { DEFAULT_RELAY_LIMITS, type RelayAddress, type RelayListener, connectViaRelay, listenViaRelay } from '../src-core/relay/index.ts';
import { type BenchContext, percentile } from './figure.ts';
import { startStrelay } from './strelay-process.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? NaN : Number(m[1]) / 1024;
}


/** A raw connection that writes `first`, then `trickle` every 200 ms; counts whether the relay hung up. */
function rawAbuser(address: string, first: Uint8Array, trickle: Uint8Array | undefined, cut: { n: number }): () => void {
  const { host, port } = parseHostPort(address);
  const s = net.connect({ host, port }, () => s.write(first));
  let timer: NodeJS.Timeout | undefined;
  if (trickle !== undefined) timer = setInterval(() => { if (!s.destroyed) s.write(trickle); }, 200);
  let mine = false;
  s.on('data', () => {});
  s.on('error', () => {});
  s.on('close', () => { clearInterval(timer); if (!mine) cut.n++; });
  return () => { mine = true; clearInterval(timer); s.destroy(); };
}

async function pair(relay: RelayAddress, onTunnel: (t: FrameStream) => void): Promise<{ listener: RelayListener; sender: FrameStream; key: Uint8Array }> {
  const a = identityFromSeed(crypto, crypto.randomBytes(32));
  const b = identityFromSeed(crypto, crypto.randomBytes(32));
  const opts = { crypto, clock, dial: (x: string) => tcpConnect(x) };
  const listener = await listenViaRelay(relay, { ...opts, identity: b, accept: () => true, onTunnel: (_f, t) => onTunnel(t) });
  const sender = await connectViaRelay(relay, b.publicKey, { ...opts, identity: a });
  return { listener, sender, key: b.publicKey };
}

async function honestPair(relay: RelayAddress): Promise<{ a: SecureChannel; b: SecureChannel; close(): void }> {
  let got!: (t: FrameStream) => void;
  const tb = new Promise<FrameStream>((r) => { got = r; });
  const { listener, sender } = await pair(relay, (t) => got(t));
  // the tunnel is end-to-end: run a secure channel inside it, as nodes do (keys of the pair's ends)
  const [a, b] = await Promise.all([
    secureChannel(sender, { identity: identityFromSeed(crypto, new Uint8Array(32).fill(1)), crypto, clock }),
    tb.then((t) => secureChannel(t, { identity: identityFromSeed(crypto, new Uint8Array(32).fill(2)), crypto, clock })),
  ]);
  return { a, b, close: () => { a.close(); b.close(); listener.close(); } };
}

export async function run(ctx: BenchContext): Promise<void> {
  if (process.platform !== 'linux') { ctx.log('relay-abuse: needs /proc (Linux); skipped'); return; }
  const dir = await mkdtemp(join(tmpdir(), 'offset-bench-abuse-'));
  const strelay = await startStrelay(dir);
  const { child } = strelay;
  const relay: RelayAddress = { publicKey: strelay.publicKey, address: strelay.address };
  const pid = child.pid as number;
  const stops: (() => void)[] = [];
  try {
    const honest = await honestPair(relay);
    await honest.a.send(Uint8Array.of(1));
    await honest.b.receive();
    await sleep(500);
    const idle = rssMb(pid);
    ctx.report({ figure: 'relay.rss_mb_idle', value: Number(idle.toFixed(1)), unit: 'MB' });

    let peak = idle;
    const sampler = setInterval(() => { try { peak = Math.max(peak, rssMb(pid)); } catch { /* exited */ } }, 50);
    const cut = { n: 0 };
    const halfOpen = ctx.quick ? 100 : 400;
    const oversize = ctx.quick ? 50 : 200;
    const floods = ctx.quick ? 4 : 16;
    const spam = ctx.quick ? 100 : 500;
    const abuseMs = ctx.quick ? 3_000 : 12_000; // full: past the relay's 10 s handshake timeout

    const rawStarted = performance.now();
    for (let i = 0; i < halfOpen; i++) stops.push(rawAbuser(relay.address, prologue(), undefined, cut));
    for (let i = 0; i < oversize; i++) {
      stops.push(rawAbuser(relay.address, Uint8Array.from([...prologue(), ...frameHeader(1 << 20)]), new Uint8Array(512), cut));
    }
    const big = crypto.randomBytes(1 << 20);
    for (let i = 0; i < floods; i++) {
      const p = await pair(relay, () => { /* held, never read */ });
      let flooding = true;
      void (async () => { while (flooding) await p.sender.send(big).catch(() => { flooding = false; }); })();
      stops.push(() => { flooding = false; p.sender.close(); p.listener.close(); });
    }
    const spamKey = identityFromSeed(crypto, crypto.randomBytes(32));
    const spammers = await Promise.allSettled(Array.from({ length: spam }, () =>
      connectViaRelay(relay, spamKey.publicKey, { identity: identityFromSeed(crypto, crypto.randomBytes(32)), crypto, clock, dial: (x) => tcpConnect(x) })));
    for (const s of spammers) if (s.status === 'fulfilled') stops.push(() => s.value.close());

    const rtts: number[] = [];
    const until = performance.now() + abuseMs;
    while (performance.now() < until) {
      const t0 = performance.now();
      await honest.a.send(Uint8Array.of(2));
      await honest.b.receive();
      rtts.push(performance.now() - t0);
      await sleep(50);
    }
    const rawTotal = halfOpen + oversize;
    // every raw abuser must be gone by the relay's handshake deadline: wait that long, no more
    const cutDeadline = rawStarted + DEFAULT_RELAY_LIMITS.handshakeTimeoutMs + 3_000;
    while (cut.n < rawTotal && performance.now() < cutDeadline) await sleep(100);
    const cutByRelay = cut.n;
    const allCutAfterMs = Math.round(performance.now() - rawStarted);
    clearInterval(sampler);
    for (const s of stops.splice(0)) s();
    await sleep(2000);
    const after = rssMb(pid);
    rtts.sort((x, y) => x - y);
    ctx.report({
      figure: 'relay.rss_mb_under_abuse', value: Number(peak.toFixed(1)), unit: 'MB',
      halfOpen, oversize, floods, connectSpam: spam, abuseMs,
    });
    ctx.report({ figure: 'relay.rss_mb_after_abuse', value: Number(after.toFixed(1)), unit: 'MB' });
    ctx.report({ figure: 'relay.abusers_cut_ratio', value: Number((cutByRelay / rawTotal).toFixed(3)), unit: 'ratio', cut: cutByRelay, of: rawTotal, countedAfterMs: allCutAfterMs });
    ctx.report({ figure: 'relay.honest_rtt_ms_under_abuse', value: Number(percentile(rtts, 50).toFixed(2)), unit: 'ms', p99: Number(percentile(rtts, 99).toFixed(2)), n: rtts.length });
    honest.close();
  } finally {
    for (const s of stops) s();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
}
