/** relay.throughput_MBps, relay.messages_per_s: two clients with an end-to-end secure channel
 *  through one strelay process over loopback TCP. net.handshake_ms: secure channel handshake
 *  (both sides in this process, over loopback TCP), p50. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../src-core/crypto/index.ts';
import { type FrameStream, type SecureChannel, secureChannel, systemClock } from '../src-core/net/index.ts';
import { tcpConnect, tcpListen } from '../src-core/net/tcp.node.ts';
import { connectViaRelay, listenViaRelay } from '../src-core/relay/index.ts';
import { type BenchContext, percentile } from './figure.ts';
import { startStrelay } from './strelay-process.ts';

const crypto = nodeBackend;
const clock = systemClock;


async function pairThroughRelay(relay: { address: string; publicKey: Uint8Array }): Promise<[SecureChannel, SecureChannel]> {
  const a = identityFromSeed(crypto, crypto.randomBytes(32));
  const b = identityFromSeed(crypto, crypto.randomBytes(32));
  const opts = { crypto, clock, dial: (x: string) => tcpConnect(x) };
  let got!: (t: FrameStream) => void;
  const tunnelB = new Promise<FrameStream>((r) => { got = r; });
  await listenViaRelay(relay, { ...opts, identity: b, accept: () => true, onTunnel: (_f, t) => got(t) });
  const tunnelA = await connectViaRelay(relay, b.publicKey, { ...opts, identity: a });
  return Promise.all([
    secureChannel(tunnelA, { identity: a, crypto, clock, expectedRemote: b.publicKey }),
    tunnelB.then((t) => secureChannel(t, { identity: b, crypto, clock, expectedRemote: a.publicKey })),
  ]);
}

/** Sends `count` messages of `size` bytes from a to b, honouring backpressure; returns seconds. */
async function transfer(a: SecureChannel, b: SecureChannel, size: number, count: number): Promise<number> {
  const msg = crypto.randomBytes(size);
  const start = performance.now();
  const receiving = (async () => {
    for (let i = 0; i < count; i++) if ((await b.receive()) === undefined) throw new Error('closed early');
  })();
  for (let i = 0; i < count; i++) await a.send(msg);
  await receiving;
  return (performance.now() - start) / 1000;
}

async function handshakes(ctx: BenchContext): Promise<void> {
  const server = identityFromSeed(crypto, crypto.randomBytes(32));
  const client = identityFromSeed(crypto, crypto.randomBytes(32));
  const srv = await tcpListen('127.0.0.1:0', (s) => {
    secureChannel(s, { identity: server, crypto, clock }).then((ch) => ch.close(), () => {});
  });
  const n = ctx.quick ? 30 : 300;
  const times: number[] = [];
  for (let i = 0; i < n + 10; i++) {
    const raw = await tcpConnect(srv.address);
    const t0 = performance.now();
    const ch = await secureChannel(raw, { identity: client, crypto, clock, expectedRemote: server.publicKey });
    const dt = performance.now() - t0;
    ch.close();
    if (i >= 10) times.push(dt); // warm-up
  }
  await srv.close();
  times.sort((x, y) => x - y);
  ctx.report({
    figure: 'net.handshake_ms', value: Number(percentile(times, 50).toFixed(3)), unit: 'ms', n,
    p99: Number(percentile(times, 99).toFixed(3)), backend: crypto.name,
  });
}

export async function run(ctx: BenchContext): Promise<void> {
  await handshakes(ctx);
  const dir = await mkdtemp(join(tmpdir(), 'offset-bench-net-'));
  const relay = await startStrelay(dir);
  try {
    const [a, b] = await pairThroughRelay(relay);
    await transfer(a, b, 64 << 10, 20); // warm-up
    const bigSize = 64 << 10;
    const bigCount = ctx.quick ? 200 : 3000;
    const s1 = await transfer(a, b, bigSize, bigCount);
    ctx.report({
      figure: 'relay.throughput_MBps', value: Number(((bigSize * bigCount) / s1 / 1e6).toFixed(2)), unit: 'MB/s',
      n: bigCount, messageBytes: bigSize,
    });
    const smallSize = 100;
    const smallCount = ctx.quick ? 5000 : 100_000;
    await transfer(a, b, smallSize, 1000); // warm-up
    const s2 = await transfer(a, b, smallSize, smallCount);
    ctx.report({
      figure: 'relay.messages_per_s', value: Math.round(smallCount / s2), unit: 'messages/s',
      n: smallCount, messageBytes: smallSize,
    });
    a.close();
    b.close();
  } finally {
    relay.child.kill('SIGTERM');
    await new Promise((r) => relay.child.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
}
