/** Index client ⇄ index server over real TCP on 127.0.0.1, in one process, on a ManualClock. */
import { afterEach, describe, expect, it } from 'vitest';
import { encode } from '../codec/index.ts';
import { nodeBackend as crypto } from '../crypto/backend.node.ts';
import { type Signer, identityFromSeed, seededRandom } from '../crypto/index.ts';
import { type FrameStream, ManualClock, secureChannel } from '../net/index.ts';
import { tcpConnect, tcpListen } from '../net/tcp.node.ts';
import { type ReportOutcome, indexClientMessage, indexServerMessage } from '../proto/index.ts';
import { decodeExact } from '../codec/index.ts';
import { IndexClient, type IndexServerAddress } from './client.ts';
import { signNodeReport } from './report.ts';
import { type RunningIndexServer, listenIndexServer } from './server.node.ts';

const ident = (i: number): Signer => identityFromSeed(crypto, new Uint8Array(32).fill(i));
const T0 = 1_700_000_000_000;
/** The clock jumps a minute at a time while TCP runs in real time: keep keepalive timeouts out of the way. */
const channel = { keepaliveMs: 10 * 60_000, timeoutMs: 30 * 60_000 };
const cleanup: (() => unknown)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

async function startServer(clock: ManualClock, seed: number, maxConnections?: number): Promise<RunningIndexServer> {
  const s = await listenIndexServer({
    identity: ident(seed), trusted: [], clientAddress: '127.0.0.1:0', serverAddress: '127.0.0.1:0', clock, crypto, channel,
    ...(maxConnections === undefined ? {} : { maxConnections }),
  });
  cleanup.push(() => s.close());
  return s;
}

const addr = (s: RunningIndexServer): IndexServerAddress => ({ publicKey: s.server.publicKey, address: s.clientAddress });

function client(clock: ManualClock, id: Signer, servers: IndexServerAddress[], extra: Partial<ConstructorParameters<typeof IndexClient>[0]> = {}): IndexClient {
  const c = new IndexClient({
    identity: id, crypto, clock, random: seededRandom(id.publicKey[0] as number), servers,
    connect: (a) => tcpConnect(a), reconnectMinMs: 100, reconnectMaxMs: 400, channel, ...extra,
  });
  cleanup.push(() => c.close());
  return c;
}

function nextAck(c: IndexClient): Promise<ReportOutcome> {
  return new Promise((resolve) => { const off = c.onDidAckReport((o) => { off(); resolve(o); }); });
}
function connected(c: IndexClient): Promise<IndexServerAddress | undefined> {
  return new Promise((resolve) => {
    if (c.connectedServer !== undefined) { resolve(c.connectedServer); return; }
    const off = c.onDidChangeConnection((s) => { if (s !== undefined) { off(); resolve(s); } });
  });
}
function disconnected(c: IndexClient): Promise<void> {
  return new Promise((resolve) => { const off = c.onDidChangeConnection((s) => { if (s === undefined) { off(); resolve(); } }); });
}

const big = 1n << 64n;
const cap = (recv: bigint, add = 0) => ({ sendCapacity: big, recvCapacity: recv, rate: { mul: 0, add } });

describe('index client and server', () => {
  it('reports friends and answers a route through a mediator', async () => {
    const clock = new ManualClock(T0);
    const srv = await startServer(clock, 50);
    const [a, b, c] = [ident(1), ident(2), ident(3)];
    const ca = client(clock, a, [addr(srv)]), cb = client(clock, b, [addr(srv)]), cc = client(clock, c, [addr(srv)]);
    ca.setCapacity(b.publicKey, 'FST', cap(100n));
    cb.setCapacity(a.publicKey, 'FST', cap(100n, 2));
    cb.setCapacity(c.publicKey, 'FST', cap(100n));
    cc.setCapacity(b.publicKey, 'FST', cap(100n));
    const acks = [nextAck(ca), nextAck(cb), nextAck(cc)];
    for (const x of [ca, cb, cc]) x.start();
    expect(await Promise.all(acks)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(srv.server.core.nodeCount).toBe(3);

    const r = await ca.requestRoutes({ destination: c.publicKey, currency: 'FST', amount: 50n });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(1);
    expect(r.value[0]?.route).toEqual([a.publicKey, b.publicKey, c.publicKey]);
    expect(r.value[0]?.rate).toEqual({ mul: 0, add: 2 });
    const none = await ca.requestRoutes({ destination: c.publicKey, currency: 'FST', amount: 99n });
    expect(none).toEqual({ ok: true, value: [] });
  });

  it('batches changes: at most one report per interval, and refreshes before the server forgets', async () => {
    const clock = new ManualClock(T0);
    const srv = await startServer(clock, 51);
    const [a, b] = [ident(4), ident(5)];
    const ca = client(clock, a, [addr(srv)], { minReportIntervalMs: 1000, refreshMs: 60_000 });
    const outcomes: ReportOutcome[] = [];
    ca.onDidAckReport((o) => outcomes.push(o));
    let ack = nextAck(ca);
    ca.start();
    await ack; // the first report on connecting
    for (let i = 1; i <= 5; i++) ca.setCapacity(b.publicKey, 'FST', cap(BigInt(i)));
    ack = nextAck(ca);
    clock.advance(999);
    await Promise.resolve();
    clock.advance(1);
    await ack;
    expect(outcomes).toEqual(['accepted', 'accepted']);
    const held = srv.server.core.report(a.publicKey);
    expect(held?.body.counter).toBe(1n); // one report carried all five changes
    expect(held?.body.friends.map((f) => f.recvCapacity)).toEqual([5n]);
    // unchanged: the next report is the refresh a minute later
    ack = nextAck(ca);
    clock.advance(60_000);
    await ack;
    expect(outcomes).toHaveLength(3);
    expect(srv.server.core.report(a.publicKey)?.body.time).toBe(BigInt(T0 + 61_000));
    expect(srv.server.core.report(a.publicKey)?.body.counter).toBe(2n);
  });

  it('fails over to the next server and back when the connected one goes away', async () => {
    const clock = new ManualClock(T0);
    const s1 = await startServer(clock, 52);
    const s2 = await startServer(clock, 53);
    const dead = { publicKey: ident(54).publicKey, address: '127.0.0.1:1' };
    const a = ident(6);
    const ca = client(clock, a, [dead, addr(s1), addr(s2)]);
    ca.setCapacity(ident(7).publicKey, 'FST', cap(10n));
    ca.start();
    expect((await connected(ca))?.address).toBe(s1.clientAddress);
    const lost = disconnected(ca);
    await s1.close();
    await lost;
    expect((await connected(ca))?.address).toBe(s2.clientAddress);
    // s2 gets the snapshot right after connecting
    await new Promise<void>((resolve) => { const off = ca.onDidAckReport(() => { off(); resolve(); }); if (s2.server.core.nodeCount === 1) { off(); resolve(); } });
    expect(s2.server.core.report(a.publicKey)?.body.friends).toHaveLength(1);
  });

  it('waits out a backoff when every server is down, then connects', async () => {
    const clock = new ManualClock(T0);
    const s1 = await startServer(clock, 55);
    const port = Number(s1.clientAddress.split(':')[1]);
    await s1.close();
    const ca = client(clock, ident(8), [{ publicKey: ident(55).publicKey, address: `127.0.0.1:${port}` }]);
    ca.start();
    const again = await listenIndexServer({ identity: ident(55), trusted: [], clientAddress: `127.0.0.1:${port}`, serverAddress: '127.0.0.1:0', clock, crypto });
    cleanup.push(() => again.close());
    const up = connected(ca);
    // the first attempt failed before the server came back; advancing the clock runs the retry
    for (let i = 0; i < 50 && ca.connectedServer === undefined; i++) {
      clock.advance(500);
      await new Promise((r) => setImmediate(r));
    }
    expect((await up)?.address).toBe(`127.0.0.1:${port}`);
  });

  it('answers a report for another node with wrong-node and a garbage frame by hanging up, and keeps serving', async () => {
    const clock = new ManualClock(T0);
    const srv = await startServer(clock, 56);
    const [a, b] = [ident(9), ident(10)];
    const raw: FrameStream = await tcpConnect(srv.clientAddress);
    const ch = await secureChannel(raw, { identity: a, crypto, clock, expectedRemote: srv.server.publicKey });
    cleanup.push(() => ch.close());
    const report = signNodeReport(crypto, b, { node: b.publicKey, time: BigInt(T0), counter: 0n, friends: [] });
    await ch.send(encode(indexClientMessage, { kind: 'report', report }));
    const reply = decodeExact(indexServerMessage, (await ch.receive()) ?? new Uint8Array());
    expect(reply.ok && reply.value.kind === 'report-ack' ? reply.value.outcome : undefined).toBe('wrong-node');
    expect(srv.server.core.nodeCount).toBe(0);
    await ch.send(Uint8Array.of(99, 1, 2, 3));
    expect(await ch.receive()).toBeUndefined();
    expect((await ch.closed).kind).not.toBe('local');
    // the server is still fine
    const cb = client(clock, b, [addr(srv)]);
    const ack = nextAck(cb);
    cb.start();
    expect(await ack).toBe('accepted');
  });

  it('backs off instead of spinning when a server completes the handshake and hangs up at once', async () => {
    const clock = new ManualClock(T0);
    const rude = await tcpListen('127.0.0.1:0', (stream) => {
      void secureChannel(stream, { identity: ident(57), crypto, clock }).then((ch) => ch.close(), () => {});
    });
    cleanup.push(() => rude.close());
    const address = rude.address;
    let calls = 0;
    let failures = 0;
    const ca = client(clock, ident(13), [{ publicKey: ident(57).publicKey, address }], {
      connect: (a) => { calls++; return tcpConnect(a); }, reconnectMinMs: 1000, reconnectMaxMs: 1000,
      log: (line) => { if (line.startsWith('disconnected')) failures++; },
    });
    ca.start();
    const failed = async (n: number) => {
      for (let i = 0; i < 2000 && failures < n; i++) await new Promise((r) => setImmediate(r));
      expect(failures).toBe(n);
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    };
    await failed(1);
    expect(calls).toBe(1); // no retry until the backoff elapses on the clock
    clock.advance(1000);
    await failed(2);
    expect(calls).toBe(2);
    expect(ca.connectedServer).toBeUndefined();
  });

  it('cuts connections beyond its limit and takes new ones when old ones close', async () => {
    const clock = new ManualClock(T0);
    const srv = await startServer(clock, 58, 1);
    const first = client(clock, ident(14), [addr(srv)]);
    first.start();
    await connected(first);
    const extra = await tcpConnect(srv.clientAddress);
    expect((await extra.closed).kind).toBe('eof');
    first.close();
    const second = client(clock, ident(15), [addr(srv)]);
    let outcome: ReportOutcome | undefined;
    second.onDidAckReport((o) => { outcome = o; });
    second.start();
    // the server may not have seen the first close yet: the second client retries on the clock
    for (let i = 0; i < 200 && outcome === undefined; i++) {
      await new Promise((r) => setTimeout(r, 5));
      clock.advance(500);
    }
    expect(outcome).toBe('accepted');
  });

  it('drops a connection still in its handshake when closed', async () => {
    const clock = new ManualClock(T0);
    const { createServer } = await import('node:net');
    let accepted: ((s: { closed: Promise<void> }) => void) | undefined;
    const gotSocket = new Promise<{ closed: Promise<void> }>((r) => { accepted = r; });
    const silent = createServer((sock) => { sock.resume(); accepted?.({ closed: new Promise((done) => sock.on('close', () => done())) }); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => silent.close(r)));
    const address = `127.0.0.1:${(silent.address() as { port: number }).port}`;
    let tcpUp: (() => void) | undefined;
    const handshaking = new Promise<void>((r) => { tcpUp = r; });
    const ca = new IndexClient({
      identity: ident(16), crypto, clock, random: seededRandom(16), channel,
      connect: async (a) => { const st = await tcpConnect(a); setImmediate(() => tcpUp?.()); return st; },
      servers: [{ publicKey: ident(59).publicKey, address }],
    });
    ca.start();
    const socket = await gotSocket;
    await handshaking; // the client is now waiting for the server's handshake, which never comes
    ca.close();
    await socket.closed; // without close() the handshake would hold it until its timeout
    expect(ca.connectedServer).toBeUndefined();
  });

  it('rejects out-of-range capacities and self-friendship before anything changes', () => {
    const clock = new ManualClock(T0);
    const a = ident(11);
    const ca = client(clock, a, []);
    expect(() => ca.setCapacity(ident(12).publicKey, 'FST', { sendCapacity: -1n, recvCapacity: 0n, rate: { mul: 0, add: 0 } })).toThrow(RangeError);
    expect(() => ca.setCapacity(ident(12).publicKey, 'FST', { sendCapacity: 1n, recvCapacity: 0n, rate: { mul: 2 ** 32, add: 0 } })).toThrow(RangeError);
    expect(() => ca.setCapacity(ident(12).publicKey, 'A currency name that is too long', cap(1n))).toThrow(RangeError);
    expect(() => ca.setCapacity(a.publicKey, 'FST', cap(1n))).toThrow(RangeError);
  });
});
