/** Federation between in-process index servers over real TCP on 127.0.0.1, on a ManualClock. */
import { afterEach, describe, expect, it } from 'vitest';
import { nodeBackend as crypto } from '../crypto/backend.node.ts';
import { type Signer, identityFromSeed, seededRandom } from '../crypto/index.ts';
import { ManualClock } from '../net/index.ts';
import { tcpConnect } from '../net/tcp.node.ts';
import { IndexClient } from './client.ts';
import { type RunningIndexServer, listenIndexServer } from './server.node.ts';
import { freePort } from '../cli/it/spawn.ts';

const ident = (i: number): Signer => identityFromSeed(crypto, new Uint8Array(32).fill(i));
const channel = { keepaliveMs: 10 * 60_000, timeoutMs: 30 * 60_000 };
const cleanup: (() => unknown)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });


/** Servers named by seed; `trusts[i]` lists the seeds server i trusts. */
async function federation(clock: ManualClock, seeds: number[], trusts: number[][]): Promise<RunningIndexServer[]> {
  const ports = await Promise.all(seeds.map(() => freePort()));
  const out: RunningIndexServer[] = [];
  for (const [i, seed] of seeds.entries()) {
    const trusted = (trusts[i] ?? []).map((t) => ({ publicKey: ident(t).publicKey, address: `127.0.0.1:${ports[seeds.indexOf(t)]}` }));
    const s = await listenIndexServer({
      identity: ident(seed), trusted, clientAddress: '127.0.0.1:0', serverAddress: `127.0.0.1:${ports[i]}`,
      clock, crypto, channel, random: seededRandom(seed),
    });
    cleanup.push(() => s.close());
    out.push(s);
  }
  return out;
}

/** Polls (bounded) while the clock moves on, so dials that failed before a peer listened are retried. */
async function until(what: string, cond: () => boolean, clock?: ManualClock): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) {
    await new Promise((r) => setTimeout(r, 5));
    clock?.advance(100);
  }
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

describe('index server federation', () => {
  it('spreads a report around a triangle once: copies stop at servers that already have it', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const [a, b, c] = await federation(clock, [31, 32, 33], [[32, 33], [31, 33], [31, 32]]) as [RunningIndexServer, RunningIndexServer, RunningIndexServer];
    await until('the triangle to connect', () => [a, b, c].every((s) => s.server.connectedPeers().length === 2), clock);
    const node = ident(40);
    const cl = new IndexClient({
      identity: node, crypto, clock, random: seededRandom(40), connect: (x) => tcpConnect(x), channel,
      servers: [{ publicKey: a.server.publicKey, address: a.clientAddress }],
    });
    cleanup.push(() => cl.close());
    cl.setCapacity(ident(41).publicKey, 'FST', { sendCapacity: 1n, recvCapacity: 1n, rate: { mul: 0, add: 0 } });
    cl.start();
    await until('every server to hold the report', () => [a, b, c].every((s) => s.server.core.nodeCount === 1));
    // let any echo arrive: each of b and c hears it from a and from each other, a from both; nothing more
    await until('the echoes', () => [a, b, c].reduce((n, s) => n + s.server.stats.federationReportsIn, 0) >= 4);
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
    const ins = [a, b, c].map((s) => s.server.stats);
    expect(ins.reduce((n, s) => n + s.federationReportsAccepted, 0)).toBe(2); // b and c take it once each
    expect(ins.reduce((n, s) => n + s.federationReportsIn, 0)).toBeLessThanOrEqual(4);
    expect(ins[0]?.federationReportsAccepted).toBe(0); // a had it first
  });

  it('does not federate with a server trusted by one side only, whichever side dials', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    // 34 trusts 35 and 36; neither trusts 34 back
    const [x, y, z] = await federation(clock, [34, 35, 36], [[35, 36], [], []]) as [RunningIndexServer, RunningIndexServer, RunningIndexServer];
    const node = ident(42);
    const cl = new IndexClient({
      identity: node, crypto, clock, random: seededRandom(42), connect: (h) => tcpConnect(h), channel,
      servers: [{ publicKey: y.server.publicKey, address: y.clientAddress }],
    });
    cleanup.push(() => cl.close());
    const acked = new Promise<void>((r) => { cl.onDidAckReport(() => r()); });
    cl.start();
    await acked;
    // give dials and refusals time to happen, on the real network
    for (let i = 0; i < 40; i++) { await new Promise((r) => setTimeout(r, 5)); clock.advance(1000); }
    expect(x.server.connectedPeers()).toEqual([]);
    expect(y.server.connectedPeers()).toEqual([]);
    expect(z.server.connectedPeers()).toEqual([]);
    expect(x.server.core.nodeCount).toBe(0);
    expect(x.server.stats.federationReportsIn).toBe(0);
  });
});
