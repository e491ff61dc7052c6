/** strelay under hostile peers, over real TCP: garbage before the prologue, bad versions,
 *  oversize and malformed handshake frames, handshake frames altered by a man in the middle,
 *  and garbage inside an authenticated channel. Each bad connection is hung up on, the process
 *  keeps running, and two honest nodes still meet through it afterwards. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeExact, encode } from '../../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../../src-core/crypto/index.ts';
import { formatIdent, identFromSeed } from '../../src-core/files/index.ts';
import { exchangeRandNonce } from '../../src-core/net/handshake.ts';
import { type FrameStream, PROLOGUE_MAGIC, frameHeader, prologue, secureChannel, systemClock } from '../../src-core/net/index.ts';
import { startFrameProxy } from '../../src-core/net/testing/frame-proxy.node.ts';
import { tcpConnect } from '../../src-core/net/tcp.node.ts';
import { type RelayAddress, connectViaRelay, initConnection, listenViaRelay } from '../../src-core/relay/index.ts';
import { validSeeds } from './gen-reader.ts';
import { fuzzConfig } from './harness.ts';
import { mutateBytes } from './mutate.ts';
import { prng, seedFor } from './prng.ts';
import { type Program, closesWithin, openChannel, probe, startProgram, waitForOutput } from './live.ts';

const cfg = fuzzConfig();
const relaySeed = new Uint8Array(32).fill(77);
const relayKey = crypto.ed25519PublicKey(relaySeed);
const [alice, bob, mallory] = [1, 2, 3].map((i) => identityFromSeed(crypto, new Uint8Array(32).fill(i))) as [ReturnType<typeof identityFromSeed>, ReturnType<typeof identityFromSeed>, ReturnType<typeof identityFromSeed>];
const rounds = Math.ceil(Math.min(cfg.scale, 20));
let dir = '';
let relay: Program;
let relayAddr: RelayAddress;

const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const framed = (...frames: Uint8Array[]): Uint8Array => concat(prologue(), ...frames.flatMap((f) => [frameHeader(f.length), f]));

/** Two honest nodes meet through `address` and exchange a message both ways. */
async function honestExchange(address: string): Promise<void> {
  const at = { publicKey: relayKey, address };
  const opts = { crypto, clock: systemClock, dial: (a: string) => tcpConnect(a) };
  let gotTunnel!: (t: FrameStream) => void;
  const tunnel = new Promise<FrameStream>((r) => { gotTunnel = r; });
  const listener = await listenViaRelay(at, { ...opts, identity: bob, accept: () => true, onTunnel: (_f, t) => gotTunnel(t) });
  try {
    const ta = await connectViaRelay(at, bob.publicKey, { ...opts, identity: alice });
    const [a, b] = await Promise.all([
      secureChannel(ta, { identity: alice, crypto, clock: systemClock, expectedRemote: bob.publicKey }),
      tunnel.then((t) => secureChannel(t, { identity: bob, crypto, clock: systemClock, expectedRemote: alice.publicKey })),
    ]);
    await a.send(Uint8Array.of(1, 2, 3));
    expect(await b.receive()).toEqual(Uint8Array.of(1, 2, 3));
    await b.send(Uint8Array.of(4));
    expect(await a.receive()).toEqual(Uint8Array.of(4));
    a.close(); b.close();
  } finally {
    listener.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offset-fuzz-relay-'));
  await writeFile(join(dir, 'relay.ident'), formatIdent(identFromSeed(crypto, relaySeed)), { mode: 0o600 });
  relay = startProgram('strelay', ['--idfile', 'relay.ident', '--laddr', '127.0.0.1:0'], dir);
  relayAddr = { publicKey: relayKey, address: await waitForOutput(relay, /listening on (\S+)/) };
}, 60_000);

afterAll(async () => {
  await relay?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fuzz: strelay over TCP', () => {
  it('hangs up on garbage at every stage of the handshake and keeps serving', async () => {
    const r = prng(seedFor(cfg.runSeed, 'live-relay-raw'));
    const hello = encode(exchangeRandNonce, { publicKey: mallory.publicKey, randNonce: r.bytes(32) });
    const inputs: Uint8Array[] = [];
    for (let i = 0; i < 10 * rounds; i++) {
      const junk = r.bytes(8 + r.below(200));
      junk[0] = (PROLOGUE_MAGIC[0] as number) ^ (1 + r.below(255)); // never a valid magic
      inputs.push(junk);
      const v = prologue(2 + r.below(1000));
      inputs.push(v); // a version we do not speak
      inputs.push(concat(prologue(), frameHeader(1025 + r.below(1 << 20)))); // oversize handshake frame
      let f = r.bytes(r.below(200));
      if (f.length === hello.length) f = concat(f, Uint8Array.of(0));
      inputs.push(framed(f)); // not an ExchangeRandNonce
      inputs.push(framed(hello, r.bytes(r.below(300)))); // a hello, then a forged ExchangeDh
    }
    const outcomes = await Promise.all(inputs.map((b) => probe(relayAddr.address, b, 8000)));
    const open = inputs.filter((_, i) => outcomes[i] !== 'closed').map((b) => Buffer.from(b.subarray(0, 48)).toString('hex'));
    expect(open, `FUZZ_SEED=${cfg.runSeed}: connections the relay left open`).toEqual([]);
    expect(relay.child.exitCode).toBeNull();
    await honestExchange(relayAddr.address);
  }, 120_000);

  it('survives handshake frames altered by a man in the middle, both directions', async () => {
    const r = prng(seedFor(cfg.runSeed, 'live-relay-mitm'));
    let outcomes = { failed: 0, succeeded: 0 };
    for (let i = 0; i < 12 * rounds; i++) {
      const dirToMutate = r.chance(0.5) ? 'to-server' : 'to-client';
      const which = r.below(3);
      const proxy = await startFrameProxy(relayAddr.address, (d, index, frame) => {
        if (d !== dirToMutate || index !== which) return [frame];
        return [mutateBytes(r, frame, frame).bytes];
      });
      try {
        const l = await listenViaRelay({ publicKey: relayKey, address: proxy.address }, {
          crypto, clock: systemClock, dial: (a) => tcpConnect(a), identity: bob, accept: () => true, onTunnel: () => {},
        });
        outcomes.succeeded++;
        l.close();
      } catch {
        outcomes.failed++;
      } finally {
        await proxy.close();
      }
    }
    expect(outcomes.failed).toBeGreaterThan(0);
    expect(relay.child.exitCode).toBeNull();
    await honestExchange(relayAddr.address);
  }, 120_000);

  it('closes an authenticated channel whose InitConnection or control traffic is garbage', async () => {
    const r = prng(seedFor(cfg.runSeed, 'live-relay-init'));
    const seeds = validSeeds(initConnection, r, 16);
    const inputs = Array.from({ length: 20 * rounds }, () => (r.chance(0.15) ? r.bytes(r.below(80)) : mutateBytes(r, r.pick(seeds), r.pick(seeds)).bytes));
    const stuck: string[] = [];
    for (let i = 0; i < inputs.length; i += 10) {
      await Promise.all(inputs.slice(i, i + 10).map(async (input) => {
        const ch = await openChannel(relayAddr.address, mallory, relayKey);
        await ch.send(input).catch(() => {});
        const d = decodeExact(initConnection, input);
        if (d.ok && d.value.kind === 'listen') {
          // a listener may not speak on its control connection
          await ch.send(r.bytes(1 + r.below(40))).catch(() => {});
        }
        if (!(await closesWithin(ch, 5000))) stuck.push(Buffer.from(input).toString('hex'));
        ch.close();
      }));
    }
    expect(stuck, `FUZZ_SEED=${cfg.runSeed}: InitConnection inputs the relay did not hang up on`).toEqual([]);
    expect(relay.child.exitCode).toBeNull();
    await honestExchange(relayAddr.address);
  }, 120_000);
});
