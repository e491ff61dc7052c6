/** A running node's app port under a hostile app, over real TCP: mutated app requests (and raw
 *  garbage) from an app whose ticket grants everything. Each request with an id gets exactly one
 *  ack for that id (a decoded request is handled; anything else is `malformed-request`), shorter
 *  input closes the connection, the node never stops, and an honest app is served afterwards.
 *  Requests that name network addresses are pointed at a closed local port first, so the node
 *  never dials anything off this machine. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppRequest, type AppToNode, appToNode, nodeToApp } from '../../src-core/app/index.ts';
import { decodeExact, encode } from '../../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../../src-core/crypto/index.ts';
import { formatAppTicket } from '../../src-core/files/index.ts';
import { type SecureChannel, secureChannel, systemClock } from '../../src-core/net/index.ts';
import { tcpConnect } from '../../src-core/net/tcp.node.ts';
import { Net, type TestNode } from '../../src-core/node/it/harness.ts';
import { validSeeds } from './gen-reader.ts';
import { fuzzConfig, fuzzTimeout } from './harness.ts';
import { mutateBytes } from './mutate.ts';
import { prng, seedFor } from './prng.ts';

const cfg = fuzzConfig();
const LOCAL = '127.0.0.1:9';
let net: Net;
let a: TestNode;
const appSeed = new Uint8Array(32).fill(96);

beforeAll(async () => {
  net = await Net.create(31);
  a = await net.addNode('A', 61);
  await writeFile(join(a.dir, 'trusted', 'fuzz.ticket'), formatAppTicket({
    publicKey: identityFromSeed(crypto, appSeed).publicKey, permissions: { buyer: true, seller: true, config: true, routes: true },
  }));
}, 60_000);
afterAll(async () => { await net?.close(); });

/** The same request with every network address replaced by a closed local port. */
function localOnly(r: AppRequest): AppRequest {
  switch (r.kind) {
    case 'add-relay': return { ...r, relay: { ...r.relay, address: LOCAL } };
    case 'add-index-server': return { ...r, server: { ...r.server, address: LOCAL } };
    case 'add-friend': case 'set-friend-relays': return { ...r, relays: r.relays.map((x) => ({ ...x, address: LOCAL })) };
    default: return r;
  }
}

async function openApp(): Promise<SecureChannel> {
  const ch = await secureChannel(await tcpConnect(a.address), { identity: identityFromSeed(crypto, appSeed), crypto, clock: systemClock, expectedRemote: a.publicKey });
  const first = decodeExact(nodeToApp, (await ch.receive()) as Uint8Array);
  expect(first.ok && first.value.kind).toBe('report');
  return ch;
}

/** The ack for `id`, skipping report mutations and results; undefined if the node closes. */
async function ackFor(ch: SecureChannel, id: Uint8Array): Promise<string | undefined> {
  for (;;) {
    const m = await ch.receive();
    if (m === undefined) return undefined;
    const d = decodeExact(nodeToApp, m);
    if (!d.ok) throw new Error(`the node sent an undecodable message: ${d.error.message}`);
    if (d.value.kind === 'ack' && Buffer.from(d.value.requestId).equals(Buffer.from(id))) {
      return d.value.result.kind === 'ok' ? 'ok' : d.value.result.error.code;
    }
  }
}

describe('fuzz: a node\'s app port', () => {
  it('acks every request it can read an id from, closes on less, keeps serving', async () => {
    const r = prng(seedFor(cfg.runSeed, 'live-node-app'));
    const seeds = validSeeds(appToNode, r, 48).map((b) => {
      const d = decodeExact(appToNode, b);
      return d.ok ? encode(appToNode, { ...d.value, request: localOnly(d.value.request) } as AppToNode) : b;
    });
    const codes = new Map<string, number>();
    let ch = await openApp();
    const iterations = Math.ceil(300 * Math.min(cfg.scale, 50));
    for (let i = 0; i < iterations; i++) {
      let input = r.chance(0.05) ? r.bytes(r.below(40)) : mutateBytes(r, r.pick(seeds), r.pick(seeds)).bytes;
      const d = decodeExact(appToNode, input);
      if (d.ok) input = encode(appToNode, { ...d.value, request: localOnly(d.value.request) } as AppToNode);
      await ch.send(input);
      if (input.length < 16) {
        expect(await ch.receive().then(async function drain(m): Promise<undefined> { return m === undefined ? undefined : drain(await ch.receive()); })).toBeUndefined();
        codes.set('closed', (codes.get('closed') ?? 0) + 1);
        ch = await openApp();
        continue;
      }
      const code = await ackFor(ch, input.subarray(0, 16));
      expect(code, `FUZZ_SEED=${cfg.runSeed}: no ack for ${Buffer.from(input).toString('hex')} (iteration ${i}; closed: ${JSON.stringify(ch.closeReason)})`).toBeDefined();
      if (!d.ok) expect(code).toBe('malformed-request');
      codes.set(code as string, (codes.get(code as string) ?? 0) + 1);
    }
    ch.close();
    console.log(JSON.stringify({ fuzz: 'live-node-app', seed: cfg.runSeed, iterations, acks: Object.fromEntries(codes) }));
    expect(codes.get('malformed-request')).toBeGreaterThan(0);
    // the honest app of the harness is still served
    await a.app.request({ kind: 'set-accept-auto-collect', accept: true });
    expect(a.app.isClosed).toBe(false);
  }, fuzzTimeout(cfg, 90_000));
});
