/** A TCP proxy that delays every chunk it forwards by `delay ± jitter` ms (uniform, seeded), in
 *  both directions, keeping each direction's byte order (a chunk leaves no earlier than the one
 *  before it). Packet-level delay needs tc netem, which this kernel lacks; every node's traffic
 *  goes through relays and index servers, so this proxy in front of them delays all of it.
 *
 *  node --import tsx delay-proxy.ts --delay 50 --jitter 20 --seed 1 LISTEN=TARGET [LISTEN=TARGET…]
 *  (LISTEN and TARGET are host:port). Prints `proxy listening` once every listener is up, and one
 *  JSON line of counts on SIGTERM. When the target refuses (its process is down) the client's
 *  connection is reset, as the refused connection would have been. */
import * as net from 'node:net';
import { prng } from '../../fuzz/prng.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(args[i + 1]);
};
const delayMs = opt('delay', 50);
const jitterMs = opt('jitter', 20);
const r = prng(opt('seed', 1));
const pairs = args.filter((a) => a.includes('='));
const counts = { connections: 0, refused: 0, chunks: 0, bytes: 0 };
const HIGH_WATER = 4 << 20;

const split = (hp: string): { host: string; port: number } => {
  const i = hp.lastIndexOf(':');
  return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
};

/** Forwards `from` → `to`, each chunk delayed; pauses `from` while too much is in flight. */
function pipeDelayed(from: net.Socket, to: net.Socket): void {
  let due = 0;
  let inFlight = 0;
  from.on('data', (chunk: Buffer) => {
    counts.chunks++;
    counts.bytes += chunk.length;
    const now = performance.now();
    due = Math.max(due, now + delayMs + (r.below(2 * jitterMs * 1000 + 1) / 1000 - jitterMs));
    inFlight += chunk.length;
    if (inFlight > HIGH_WATER) from.pause();
    setTimeout(() => {
      inFlight -= chunk.length;
      if (!to.destroyed) to.write(chunk);
      if (inFlight <= HIGH_WATER && from.isPaused() && !from.destroyed) from.resume();
    }, due - now);
  });
  from.on('end', () => {
    setTimeout(() => { if (!to.destroyed) to.end(); }, Math.max(0, due - performance.now()) + 1);
  });
}

function serve(listen: string, target: string): Promise<void> {
  const t = split(target);
  const server = net.createServer((client) => {
    counts.connections++;
    client.pause();
    const upstream = net.connect({ host: t.host, port: t.port });
    upstream.once('connect', () => {
      pipeDelayed(client, upstream);
      pipeDelayed(upstream, client);
      client.resume();
    });
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    upstream.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') counts.refused++;
      client.resetAndDestroy();
      upstream.destroy();
    });
    client.once('error', close);
    // a side that closed entirely (not half-closed): close the other once its data is out
    client.once('close', () => setTimeout(() => upstream.destroy(), delayMs + jitterMs + 5));
    upstream.once('close', () => setTimeout(() => client.destroy(), delayMs + jitterMs + 5));
  });
  const l = split(listen);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(l.port, l.host, () => resolve());
  });
}

await Promise.all(pairs.map((p) => {
  const [listen, target] = p.split('=') as [string, string];
  return serve(listen, target);
}));
console.log(`proxy listening: ${pairs.join(' ')} delay ${delayMs} ms ± ${jitterMs} ms`);
process.on('SIGTERM', () => {
  console.log(JSON.stringify(counts));
  process.exit(0);
});
