/** The clients' side against hostile servers, over real TCP and the secure channel: an index
 *  server answering a real IndexClient with mutated messages, and a node answering a real
 *  AppClient (what stctrl and the wallet use) with mutated messages. The clients must settle
 *  every call (a value, a typed error or a rejection), never throw elsewhere, and work again
 *  once the server is honest. */
import { afterAll, describe, expect, it } from 'vitest';
import { AppClient, AppConnectionClosedError, nodeReport, nodeToApp } from '../../src-core/app/index.ts';
import { decodeExact, encode } from '../../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../../src-core/crypto/backend.node.ts';
import { identityFromSeed, seededRandom } from '../../src-core/crypto/index.ts';
import { IndexClient } from '../../src-core/index/index.ts';
import { type SecureChannel, secureChannel, systemClock } from '../../src-core/net/index.ts';
import { type TcpServer, tcpConnect, tcpListen } from '../../src-core/net/tcp.node.ts';
import { indexClientMessage, indexServerMessage } from '../../src-core/proto/index.ts';
import { validSeeds } from './gen-reader.ts';
import { fuzzConfig, fuzzTimeout } from './harness.ts';
import { mutateBytes } from './mutate.ts';
import { prng, seedFor } from './prng.ts';

const cfg = fuzzConfig();
const serverId = identityFromSeed(crypto, new Uint8Array(32).fill(41));
const clientId = identityFromSeed(crypto, new Uint8Array(32).fill(42));
const servers: TcpServer[] = [];
afterAll(async () => { for (const s of servers) await s.close(); });

async function hostileServer(serve: (ch: SecureChannel) => Promise<void>): Promise<string> {
  const s = await tcpListen('127.0.0.1:0', (stream) => {
    secureChannel(stream, { identity: serverId, crypto, clock: systemClock }).then((ch) => serve(ch).catch(() => ch.close()), () => {});
  });
  servers.push(s);
  return s.address;
}

describe('fuzz: clients against hostile servers', () => {
  it('an IndexClient settles every route request and recovers once the server is honest', async () => {
    const r = prng(seedFor(cfg.runSeed, 'hostile-index-server'));
    const seeds = validSeeds(indexServerMessage, r, 32);
    let honest = false;
    let garbage = 0;
    const address = await hostileServer(async (ch) => {
      for await (const frame of ch) {
        const m = decodeExact(indexClientMessage, frame);
        if (!m.ok || m.value.kind !== 'route-request') continue;
        if (honest) {
          await ch.send(encode(indexServerMessage, { kind: 'route-response', requestId: m.value.requestId, routes: [] }));
          continue;
        }
        // a burst of mutations, some of them the right response id with odd routes
        for (let i = 0; i < 4; i++) {
          let b = mutateBytes(r, r.pick(seeds), r.pick(seeds)).bytes;
          const d = decodeExact(indexServerMessage, b);
          if (d.ok && d.value.kind === 'route-response' && r.chance(0.5)) b = encode(indexServerMessage, { ...d.value, requestId: m.value.requestId });
          garbage++;
          await ch.send(b).catch(() => {});
        }
      }
    });
    const client = new IndexClient({
      identity: clientId, crypto, clock: systemClock, random: (n) => crypto.randomBytes(n),
      servers: [{ publicKey: serverId.publicKey, address }], connect: (a) => tcpConnect(a),
      requestTimeoutMs: 300, reconnectMinMs: 20, reconnectMaxMs: 100,
    });
    client.start();
    try {
      const outcomes = new Map<string, number>();
      const q = { source: clientId.publicKey, destination: serverId.publicKey, amount: 5n, currency: 'FST' };
      for (let i = 0; i < Math.ceil(15 * Math.min(cfg.scale, 20)); i++) {
        const res = await client.requestRoutes(q);
        const k = res.ok ? 'routes' : res.error.kind;
        outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
      }
      expect(garbage).toBeGreaterThan(0);
      honest = true;
      const deadline = Date.now() + 20_000;
      let last = await client.requestRoutes(q);
      while (!(last.ok && last.value.length === 0) && Date.now() < deadline) last = await client.requestRoutes(q);
      expect(last).toEqual({ ok: true, value: [] });
      if (cfg.scale > 1) console.log(JSON.stringify({ fuzz: 'hostile-index-server', outcomes: Object.fromEntries(outcomes) }));
    } finally {
      client.close();
    }
  }, fuzzTimeout(cfg, 60_000));

  it('an AppClient refuses a bad first message, and settles its requests when the node speaks garbage', async () => {
    const r = prng(seedFor(cfg.runSeed, 'hostile-node'));
    const seeds = validSeeds(nodeToApp, r, 32);
    const reports = validSeeds(nodeReport, r, 8).map((b) => {
      const d = decodeExact(nodeReport, b);
      if (!d.ok) throw new Error('unreachable: validSeeds checks');
      return encode(nodeToApp, { kind: 'report', permissions: { buyer: true, seller: true, config: true, routes: true }, report: d.value });
    });
    expect(reports.length).toBeGreaterThan(0);
    let connected = 0;
    let refused = 0;
    let settled = 0;
    for (let round = 0; round < Math.ceil(40 * Math.min(cfg.scale, 20)); round++) {
      const first = r.chance(0.5) ? r.pick(reports) : mutateBytes(r, r.pick(seeds), r.pick(reports)).bytes;
      const burst = Array.from({ length: 1 + r.below(5) }, () => mutateBytes(r, r.pick(seeds), r.pick(seeds)).bytes);
      const address = await hostileServer(async (ch) => {
        await ch.send(first);
        await ch.receive(); // the app's request
        for (const b of burst) await ch.send(b);
        ch.close();
      });
      const ch = await secureChannel(await tcpConnect(address), { identity: clientId, crypto, clock: systemClock, expectedRemote: serverId.publicKey });
      let app: AppClient;
      try {
        app = await AppClient.connect(ch, { random: seededRandom(round + 1) });
      } catch (e) {
        expect(e).toBeInstanceOf(AppConnectionClosedError);
        refused++;
        ch.close();
        continue;
      }
      connected++;
      // settles: resolved by an ack that happens to fit, or rejected when the node closes
      await app.request({ kind: 'set-accept-auto-collect', accept: true }).then(() => {}, (e: unknown) => {
        expect(e).toBeInstanceOf(Error);
      });
      settled++;
      app.close();
    }
    expect(connected).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(settled).toBe(connected);
  }, fuzzTimeout(cfg, 60_000));
});
