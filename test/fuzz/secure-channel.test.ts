/** Fuzzing inside the secure channel, over real loopback TCP: an authenticated peer seals
 *  arbitrary plaintexts under the right keys (mutated data records, control messages, batches),
 *  so the receiver's record parsing and control handling meet them after decryption. The
 *  receiver must deliver only data that the plaintext holds, or close the channel, and never
 *  throw; after each input a probe record tells the two apart. Reaches the sender's private
 *  `enqueue` on purpose: no honest sender can produce these plaintexts. */
import { afterAll, describe, expect, it } from 'vitest';
import { encode } from '../../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../../src-core/crypto/index.ts';
import { controlMessage } from '../../src-core/net/channel-messages.ts';
import { type SecureChannel, secureChannel, systemClock } from '../../src-core/net/index.ts';
import { type TcpServer, tcpConnect, tcpListen } from '../../src-core/net/tcp.node.ts';
import { validSeeds } from './gen-reader.ts';
import { fuzzConfig, fuzzTimeout } from './harness.ts';
import { mutateBytes } from './mutate.ts';
import { prng, seedFor } from './prng.ts';

const cfg = fuzzConfig();
const [attackerId, victimId] = [identityFromSeed(crypto, new Uint8Array(32).fill(8)), identityFromSeed(crypto, new Uint8Array(32).fill(9))];
const servers: TcpServer[] = [];
afterAll(async () => { for (const s of servers) await s.close(); });

function batch(records: readonly Uint8Array[]): Uint8Array {
  const out: number[] = [5];
  for (const r of records) out.push((r.length >>> 24) & 0xff, (r.length >>> 16) & 0xff, (r.length >>> 8) & 0xff, r.length & 0xff, ...r);
  return Uint8Array.from(out);
}

async function connectedPair(): Promise<{ attacker: SecureChannel; victim: SecureChannel }> {
  let gotVictim!: (c: SecureChannel) => void;
  const victimP = new Promise<SecureChannel>((r) => { gotVictim = r; });
  const server = await tcpListen('127.0.0.1:0', (s) => {
    secureChannel(s, { identity: victimId, crypto, clock: systemClock }).then(gotVictim, () => {});
  });
  servers.push(server);
  const attacker = await secureChannel(await tcpConnect(server.address), { identity: attackerId, crypto, clock: systemClock, expectedRemote: victimId.publicKey });
  return { attacker, victim: await victimP };
}

/** Seals `pt` as one frame, exactly as given (one record per event-loop turn is never batched). */
async function sealRaw(ch: SecureChannel, pt: Uint8Array): Promise<void> {
  await (ch as unknown as { enqueue(r: Uint8Array): Promise<void> }).enqueue(pt).catch(() => {});
  await new Promise((r) => setImmediate(r));
}

const contains = (hay: Uint8Array, needle: Uint8Array): boolean => Buffer.from(hay).indexOf(Buffer.from(needle)) >= 0;

describe('fuzz: plaintexts inside an authenticated secure channel', () => {
  it('are delivered as the data they hold, or close the channel; the receiver never throws', async () => {
    const r = prng(seedFor(cfg.runSeed, 'secure-channel'));
    const controls = validSeeds(controlMessage, r, 12);
    const data = (): Uint8Array => Uint8Array.from([0, ...r.bytes(r.below(40))]);
    const seeds = [...controls, data(), data(), batch([data(), controls[0] as Uint8Array]), batch([data(), data()])];
    const iterations = Math.ceil(250 * cfg.scale);
    let pair = await connectedPair();
    let closes = 0;
    let delivered = 0;
    for (let i = 0; i < iterations; i++) {
      const input = r.chance(0.1) ? r.bytes(r.below(60)) : mutateBytes(r, r.pick(seeds), r.pick(seeds)).bytes;
      const probe = Uint8Array.from([0, 0xab, 0xcd, i & 0xff, (i >>> 8) & 0xff]);
      await sealRaw(pair.attacker, input);
      await sealRaw(pair.attacker, probe);
      // read until the probe comes through or the victim closes
      for (;;) {
        const got = await Promise.race([pair.victim.receive(), pair.victim.closed.then(() => undefined)]);
        if (got === undefined) {
          const reason = await pair.victim.closed;
          expect(reason.kind, `FUZZ_SEED=${cfg.runSeed} input ${Buffer.from(input).toString('hex')}`).not.toBe('local');
          closes++;
          pair.attacker.close();
          pair = await connectedPair();
          break;
        }
        if (Buffer.from(got).equals(Buffer.from(probe.subarray(1)))) break;
        expect(contains(input, got), `FUZZ_SEED=${cfg.runSeed}: delivered data the plaintext does not hold; input ${Buffer.from(input).toString('hex')}`).toBe(true);
        delivered++;
      }
    }
    pair.attacker.close();
    pair.victim.close();
    expect(closes).toBeGreaterThan(0);
    expect(delivered).toBeGreaterThan(0);
  }, fuzzTimeout(cfg, 60_000));
});
