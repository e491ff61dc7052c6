/** An index client as its own process, for the multi-host tests (runs inside a namespace). One
 *  JSON object per stdout line.
 *
 *    report --server KEY@HOST:PORT --seed N --friend SEED --recv AMOUNT
 *        reports a capacity toward the friend's key (and keeps the report fresh); prints
 *        {"event":"reporting"}; runs until killed. --recv may be changed by restarting.
 *    ask --server KEY@HOST:PORT --seed N --from SEED --to SEED --amount A --want CAPACITY [--wait MS]
 *        asks for routes until one carries exactly --want capacity; prints
 *        {"event":"route","capacity":…,"afterMs":…} or {"event":"no-route",…} and exits. */
import { fromBase64Url } from '../../../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../../../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../../../src-core/crypto/index.ts';
import { IndexClient } from '../../../src-core/index/index.ts';
import { systemClock } from '../../../src-core/net/index.ts';
import { tcpConnect } from '../../../src-core/net/tcp.node.ts';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}
function b64(text: string): Uint8Array {
  const b = fromBase64Url(text);
  if (b === undefined) throw new Error(`not base64url: ${text}`);
  return b;
}
const emit = (o: Record<string, unknown>): void => { process.stdout.write(`${JSON.stringify(o)}\n`); };
const key = (seed: string): Uint8Array => identityFromSeed(crypto, new Uint8Array(32).fill(Number(seed))).publicKey;

const mode = process.argv[2];
const [serverKey, address] = arg('server').split('@') as [string, string];
const identity = identityFromSeed(crypto, new Uint8Array(32).fill(Number(arg('seed'))));
const client = new IndexClient({
  identity, crypto, clock: systemClock, random: (n) => crypto.randomBytes(n),
  servers: [{ publicKey: b64(serverKey), address }], connect: (a) => tcpConnect(a),
  minReportIntervalMs: 100, reconnectMinMs: 200, reconnectMaxMs: 2000,
});
client.start();

if (mode === 'report') {
  client.setCapacity(key(arg('friend')), 'FST', { sendCapacity: 1n << 64n, recvCapacity: BigInt(arg('recv')), rate: { mul: 0, add: 1 } });
  emit({ event: 'reporting' });
} else if (mode === 'ask') {
  const started = performance.now();
  const deadline = started + Number(arg('wait', '60000'));
  const want = BigInt(arg('want'));
  const q = { source: key(arg('from')), destination: key(arg('to')), amount: BigInt(arg('amount')), currency: 'FST' };
  let last = 'none';
  for (;;) {
    const r = await client.requestRoutes(q);
    if (r.ok) {
      const c = r.value[0]?.capacity;
      last = c === undefined ? 'empty' : String(c);
      if (c === want) { emit({ event: 'route', capacity: String(c), afterMs: Math.round(performance.now() - started) }); break; }
    } else last = 'error';
    if (performance.now() > deadline) { emit({ event: 'no-route', last }); break; }
    await new Promise((res) => setTimeout(res, 200));
  }
  client.close();
  process.exit(0);
} else {
  process.stderr.write('usage: index-peer.ts report|ask …\n');
  process.exit(2);
}
