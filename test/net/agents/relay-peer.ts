/** A relay client as its own process, for the multi-host tests (it runs inside a network
 *  namespace via `ip netns exec`, where the test process cannot go). One JSON object per stdout
 *  line.
 *
 *    listen --relay KEY@HOST:PORT --seed N
 *        listens on the relay (again whenever the control connection drops) and echoes every
 *        message of every tunnel; prints {"event":"listening"} each time it is listening.
 *    send --relay KEY@HOST:PORT --seed N --peer KEY (--count K | --for-ms T) [--interval MS] [--wait MS]
 *        sends K numbered messages (or as many as fit in T ms) to the listener, each awaited as an echo within --wait ms,
 *        reconnecting after any failure; prints {"event":"result","seq":…,"ok":…,"rttMs":…} per
 *        message and {"event":"summary",…} at the end. */
import { fromBase64Url, toBase64Url } from '../../../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../../../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../../../src-core/crypto/index.ts';
import { type FrameStream, type SecureChannel, secureChannel, systemClock } from '../../../src-core/net/index.ts';
import { tcpConnect } from '../../../src-core/net/tcp.node.ts';
import { type RelayAddress, connectViaRelay, listenViaRelay } from '../../../src-core/relay/index.ts';

const CHANNEL = { keepaliveMs: 1000, timeoutMs: 4000, handshakeTimeoutMs: 4000 };

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}

function parseRelay(text: string): RelayAddress {
  const [key, address] = text.split('@') as [string, string];
  return { publicKey: b64(key), address };
}

function b64(text: string): Uint8Array {
  const b = fromBase64Url(text);
  if (b === undefined) throw new Error(`not base64url: ${text}`);
  return b;
}
const emit = (o: Record<string, unknown>): void => { process.stdout.write(`${JSON.stringify(o)}\n`); };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const mode = process.argv[2];
const relay = parseRelay(arg('relay'));
const identity = identityFromSeed(crypto, new Uint8Array(32).fill(Number(arg('seed'))));
const opts = { identity, crypto, clock: systemClock, dial: (a: string) => tcpConnect(a), ...CHANNEL };

async function listen(): Promise<void> {
  emit({ event: 'identity', publicKey: toBase64Url(identity.publicKey) });
  for (;;) {
    try {
      const l = await listenViaRelay(relay, {
        ...opts,
        accept: () => true,
        onTunnel: (from, tunnel) => void echo(from, tunnel),
      });
      emit({ event: 'listening' });
      await l.closed;
      emit({ event: 'listener-closed' });
    } catch (e) {
      emit({ event: 'listen-failed', error: (e as Error).message });
    }
    await sleep(200);
  }
}

async function echo(from: Uint8Array, tunnel: FrameStream): Promise<void> {
  try {
    const ch = await secureChannel(tunnel, { identity, crypto, clock: systemClock, expectedRemote: from, ...CHANNEL });
    for await (const m of ch) await ch.send(m);
  } catch { /* the sender reconnects */ }
}

async function send(): Promise<void> {
  const peer = b64(arg('peer'));
  const forMs = Number(arg('for-ms', '0'));
  const count = forMs > 0 ? Number.MAX_SAFE_INTEGER : Number(arg('count'));
  const t0 = performance.now();
  let attempted = 0;
  const interval = Number(arg('interval', '50'));
  const wait = Number(arg('wait', '5000'));
  let ch: SecureChannel | undefined;
  const rtts: number[] = [];
  let reconnects = 0;
  for (let seq = 0; seq < count && (forMs === 0 || performance.now() - t0 < forMs); seq++) {
    attempted++;
    const started = performance.now();
    let ok = false;
    try {
      if (ch === undefined || ch.closeReason !== undefined) {
        reconnects++;
        const t = await connectViaRelay(relay, peer, opts);
        ch = await secureChannel(t, { identity, crypto, clock: systemClock, expectedRemote: peer, ...CHANNEL });
      }
      const msg = new TextEncoder().encode(`m${seq}`);
      await ch.send(msg);
      let timer: NodeJS.Timeout | undefined;
      const got = await Promise.race([ch.receive(), new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), wait); })]);
      clearTimeout(timer);
      ok = got !== undefined && new TextDecoder().decode(got) === `m${seq}`;
    } catch { ok = false; }
    const rttMs = performance.now() - started;
    if (ok) rtts.push(rttMs); else { ch?.close(); ch = undefined; await sleep(200); }
    emit({ event: 'result', seq, ok, rttMs: Math.round(rttMs) });
    await sleep(interval);
  }
  ch?.close();
  rtts.sort((a, b) => a - b);
  const q = (p: number): number => Math.round(rtts[Math.min(rtts.length - 1, Math.floor(p * rtts.length))] ?? -1);
  emit({ event: 'summary', attempted, delivered: rtts.length, reconnects, p50Ms: q(0.5), p99Ms: q(0.99) });
  process.exit(0);
}

if (mode === 'listen') void listen();
else if (mode === 'send') void send();
else { process.stderr.write('usage: relay-peer.ts listen|send …\n'); process.exit(2); }
