/** stindex under hostile peers, over real TCP, on both its listeners: garbage before and during
 *  the handshake, then garbage inside an authenticated channel (node messages on --lclient,
 *  federation messages from a trusted key on --lserver). Bad connections are hung up on, the
 *  process keeps running, and an honest node's route query is still answered afterwards. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Codec, decodeExact, encode } from '../../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../../src-core/crypto/backend.node.ts';
import { type Signer, identityFromSeed } from '../../src-core/crypto/index.ts';
import { formatIdent, formatIndexTicket, identFromSeed } from '../../src-core/files/index.ts';
import { IndexClient } from '../../src-core/index/index.ts';
import { exchangeRandNonce } from '../../src-core/net/handshake.ts';
import { PROLOGUE_MAGIC, frameHeader, prologue, systemClock } from '../../src-core/net/index.ts';
import { tcpConnect } from '../../src-core/net/tcp.node.ts';
import { federationMessage, indexClientMessage } from '../../src-core/proto/index.ts';
import { validSeeds } from './gen-reader.ts';
import { fuzzConfig } from './harness.ts';
import { mutateBytes } from './mutate.ts';
import { prng, seedFor } from './prng.ts';
import { type Program, closesWithin, openChannel, probe, startProgram, waitForOutput } from './live.ts';

const cfg = fuzzConfig();
const rounds = Math.ceil(Math.min(cfg.scale, 20));
const ident = (i: number): Signer => identityFromSeed(crypto, new Uint8Array(32).fill(i));
const serverSeed = new Uint8Array(32).fill(91);
const serverKey = crypto.ed25519PublicKey(serverSeed);
const [n1, n2, asker, mallory] = [ident(11), ident(12), ident(13), ident(14)];
let dir = '';
let stindex: Program;
let lclient = '';
let lserver = '';
const clients: IndexClient[] = [];

const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const framed = (...frames: Uint8Array[]): Uint8Array => concat(prologue(), ...frames.flatMap((f) => [frameHeader(f.length), f]));

function client(id: Signer): IndexClient {
  const c = new IndexClient({
    identity: id, crypto, clock: systemClock, random: (n) => crypto.randomBytes(n),
    servers: [{ publicKey: serverKey, address: lclient }], connect: (a) => tcpConnect(a),
    minReportIntervalMs: 50, reconnectMinMs: 100, reconnectMaxMs: 1000,
  });
  clients.push(c);
  c.start();
  return c;
}

/** An honest node's route query is answered (bounded polling: reports cross a process). */
async function honestRoute(amount: bigint): Promise<void> {
  const q = { source: n1.publicKey, destination: n2.publicKey, amount, currency: 'FST' };
  const c = client(asker);
  const deadline = Date.now() + 30_000;
  let last: unknown;
  while (Date.now() < deadline) {
    const r = await c.requestRoutes(q);
    last = r;
    if (r.ok && r.value.length > 0) {
      expect(r.value[0]?.route).toEqual([n1.publicKey, n2.publicKey]);
      return;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no route after the fuzzing: ${String(last)}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offset-fuzz-index-'));
  await mkdir(join(dir, 'trusted'));
  await writeFile(join(dir, 'index.ident'), formatIdent(identFromSeed(crypto, serverSeed)), { mode: 0o600 });
  // mallory is a trusted federation peer (so its garbage reaches the federation decoder); the
  // server's own dials to it go to a closed port and back off
  await writeFile(join(dir, 'trusted', 'mallory.ticket'), formatIndexTicket({ publicKey: mallory.publicKey, address: '127.0.0.1:9' }));
  stindex = startProgram('stindex', ['--idfile', 'index.ident', '--lclient', '127.0.0.1:0', '--lserver', '127.0.0.1:0', '--trusted', 'trusted'], dir);
  const line = await waitForOutput(stindex, /listening for nodes on (\S+), for index servers on (\S+),/);
  const m = /for nodes on (\S+), for index servers on (\S+),/.exec(stindex.stdout()) as RegExpExecArray;
  expect(line).toBeTruthy();
  [lclient, lserver] = [m[1] as string, m[2] as string];
  const big = 1n << 64n;
  client(n1).setCapacity(n2.publicKey, 'FST', { sendCapacity: big, recvCapacity: 1000n, rate: { mul: 0, add: 1 } });
  client(n2).setCapacity(n1.publicKey, 'FST', { sendCapacity: big, recvCapacity: 500n, rate: { mul: 0, add: 1 } });
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await stindex?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fuzz: stindex over TCP', () => {
  it.each(['lclient', 'lserver'])('hangs up on garbage during the handshake on --%s and keeps serving', async (which) => {
    const address = which === 'lclient' ? lclient : lserver;
    const r = prng(seedFor(cfg.runSeed, `live-index-raw-${which}`));
    const hello = encode(exchangeRandNonce, { publicKey: mallory.publicKey, randNonce: r.bytes(32) });
    const inputs: Uint8Array[] = [];
    for (let i = 0; i < 8 * rounds; i++) {
      const junk = r.bytes(8 + r.below(200));
      junk[0] = (PROLOGUE_MAGIC[0] as number) ^ (1 + r.below(255));
      inputs.push(junk, prologue(2 + r.below(1000)));
      inputs.push(concat(prologue(), frameHeader(1025 + r.below(1 << 20)))); // oversize handshake frame
      let f = r.bytes(r.below(200));
      if (f.length === hello.length) f = concat(f, Uint8Array.of(0));
      inputs.push(framed(f), framed(hello, r.bytes(r.below(300))));
    }
    const outcomes = await Promise.all(inputs.map((b) => probe(address, b, 8000)));
    const open = inputs.filter((_, i) => outcomes[i] !== 'closed').map((b) => Buffer.from(b.subarray(0, 24)).toString('hex'));
    expect(open, `FUZZ_SEED=${cfg.runSeed}: connections stindex left open`).toEqual([]);
    expect(stindex.child.exitCode).toBeNull();
    await honestRoute(400n);
  }, 120_000);

  it.each([
    ['node messages on --lclient', 'lclient', indexClientMessage, ['report', 'route-request']],
    ['federation messages from a trusted server on --lserver', 'lserver', federationMessage, ['reports']],
  ] as const)('closes a channel that sends undecodable %s, answers the rest', async (_label, which, codec, _kinds) => {
    const address = which === 'lclient' ? lclient : lserver;
    const r = prng(seedFor(cfg.runSeed, `live-index-msg-${which}`));
    const seeds = validSeeds(codec as Codec<unknown>, r, 24);
    const stuck: string[] = [];
    for (let i = 0; i < 6 * rounds; i++) {
      const inputs = Array.from({ length: 10 }, () => (r.chance(0.1) ? r.bytes(r.below(100)) : mutateBytes(r, r.pick(seeds), r.pick(seeds)).bytes));
      const bad = inputs.filter((b) => !decodeExact(codec as Codec<unknown>, b).ok);
      const ch = await openChannel(address, mallory, serverKey);
      // valid messages first (they are answered or ignored), then one undecodable one
      for (const b of inputs) if (decodeExact(codec as Codec<unknown>, b).ok) await ch.send(b).catch(() => {});
      if (bad.length === 0) { ch.close(); continue; }
      await ch.send(bad[0] as Uint8Array).catch(() => {});
      if (!(await closesWithin(ch, 5000))) stuck.push(Buffer.from(bad[0] as Uint8Array).toString('hex'));
      ch.close();
    }
    expect(stuck, `FUZZ_SEED=${cfg.runSeed}: undecodable messages stindex did not hang up on`).toEqual([]);
    expect(stindex.child.exitCode).toBeNull();
    await honestRoute(300n);
  }, 120_000);
});
