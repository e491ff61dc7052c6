import { afterEach, describe, expect, it } from 'vitest';
import { nodeBackend } from '../crypto/backend.node.ts';
import { type Signer, identityFromSeed, nobleBackend } from '../crypto/index.ts';
import { type Clock, ManualClock, systemClock } from './clock.ts';
import { ChannelClosedError } from './close-reason.ts';
import { type FrameStream } from './frame-stream.ts';
import { type SecureChannel, type SecureChannelOptions, secureChannel } from './secure-channel.ts';
import { type TcpServer, tcpConnect, tcpListen } from './tcp.node.ts';
import { type FrameHook, startFrameProxy } from './testing/frame-proxy.node.ts';

const crypto = nodeBackend;
const ident = (n: number): Signer => identityFromSeed(crypto, new Uint8Array(32).fill(n));
const alice = ident(1);
const bob = ident(2);
const mallory = ident(3);

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

interface Pair { client: SecureChannel; server: SecureChannel }

async function tcpPair(): Promise<{ server: TcpServer; accepted: Promise<FrameStream> }> {
  let resolve!: (s: FrameStream) => void;
  const accepted = new Promise<FrameStream>((r) => { resolve = r; });
  const server = await tcpListen('127.0.0.1:0', (s) => resolve(s));
  cleanup.push(() => server.close());
  return { server, accepted };
}

/** Both ends of a secure channel over real TCP, optionally through a frame-mangling proxy. */
async function connect(
  clientOpts: Partial<SecureChannelOptions> = {}, serverOpts: Partial<SecureChannelOptions> = {}, hook?: FrameHook,
): Promise<{ client: Promise<SecureChannel>; server: Promise<SecureChannel> }> {
  const { server, accepted } = await tcpPair();
  let address = server.address;
  if (hook !== undefined) {
    const proxy = await startFrameProxy(server.address, hook);
    cleanup.push(() => proxy.close());
    address = proxy.address;
  }
  const clock: Clock = clientOpts.clock ?? systemClock;
  const raw = await tcpConnect(address);
  cleanup.push(() => raw.close());
  const client = secureChannel(raw, { identity: alice, crypto, clock, expectedRemote: bob.publicKey, ...clientOpts });
  const srv = accepted.then((s) => secureChannel(s, { identity: bob, crypto, clock: serverOpts.clock ?? clock, ...serverOpts }));
  client.catch(() => {});
  srv.catch(() => {});
  return { client, server: srv };
}

async function established(c: Partial<SecureChannelOptions> = {}, s: Partial<SecureChannelOptions> = {}): Promise<Pair> {
  const { client, server } = await connect(c, s);
  const pair = { client: await client, server: await server };
  cleanup.push(() => { pair.client.close(); pair.server.close(); });
  return pair;
}

/** Lets queued messages go out as their own frame (a channel batches what is sent in one turn). */
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));
/** Frames 0 and 1 each way are the plaintext handshake; 2 is the first encrypted one. */
const FIRST_ENCRYPTED = 2;

describe('secureChannel', () => {
  it('authenticates both identities and carries messages both ways in order', async () => {
    const { client, server } = await established();
    expect(client.remotePublicKey).toEqual(bob.publicKey);
    expect(server.remotePublicKey).toEqual(alice.publicKey);
    for (let i = 0; i < 50; i++) void client.send(Uint8Array.of(i));
    for (let i = 0; i < 50; i++) expect(await server.receive()).toEqual(Uint8Array.of(i));
    await server.send(new Uint8Array(100_000).fill(5));
    expect(await client.receive()).toEqual(new Uint8Array(100_000).fill(5));
  });

  it('interoperates between the node and noble backends', async () => {
    const { client, server } = await established({ crypto: nobleBackend }, { crypto: nodeBackend });
    await client.send(Uint8Array.of(42));
    expect(await server.receive()).toEqual(Uint8Array.of(42));
  });

  it('never sends the payload in clear', async () => {
    const secret = new TextEncoder().encode('the quick brown fox pays 100 credits');
    const seen: Uint8Array[] = [];
    const { client, server } = await connect({}, {}, (_d, _i, f) => { seen.push(f); return [f]; });
    const [c, s] = [await client, await server];
    await c.send(secret);
    expect(await s.receive()).toEqual(secret);
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    expect(seen.some((f) => hex(f).includes(hex(secret.subarray(0, 12))))).toBe(false);
    c.close();
  });

  it('closes with wrong-identity when the peer is not the expected key', async () => {
    const { client, server } = await connect({}, { identity: mallory });
    await expect(client).rejects.toBeInstanceOf(ChannelClosedError);
    await expect(client).rejects.toMatchObject({ reason: { kind: 'wrong-identity' } });
    await expect(server).rejects.toBeInstanceOf(ChannelClosedError);
  });

  it('the listening side can also demand an identity', async () => {
    const { client, server } = await connect({}, { expectedRemote: mallory.publicKey });
    await expect(server).rejects.toMatchObject({ reason: { kind: 'wrong-identity' } });
    await expect(client).rejects.toBeInstanceOf(ChannelClosedError);
  });

  it('rejects a handshake whose signature was tampered with', async () => {
    const flip: FrameHook = (d, i, f) => {
      if (d === 'to-client' && i === 1) { const g = f.slice(); g[100] = (g[100] as number) ^ 1; return [g]; }
      return [f];
    };
    const { client, server } = await connect({}, {}, flip);
    await expect(client).rejects.toMatchObject({ reason: { kind: 'bad-signature' } });
    await expect(server).rejects.toBeInstanceOf(ChannelClosedError);
  });

  it('rejects a substituted DH key even with the original signature (man in the middle)', async () => {
    const swap: FrameHook = (d, i, f) => {
      if (d === 'to-server' && i === 1) { const g = f.slice(); g.set(crypto.x25519PublicKey(new Uint8Array(32).fill(9)), 0); return [g]; }
      return [f];
    };
    const { client, server } = await connect({}, {}, swap);
    await expect(server).rejects.toMatchObject({ reason: { kind: 'bad-signature' } });
    await expect(client).rejects.toBeInstanceOf(ChannelClosedError);
  });

  it.each([
    ['a truncated handshake message', 0, (f: Uint8Array) => [f.subarray(0, 10)], 'handshake-failed'],
    ['a handshake message with a trailing byte', 1, (f: Uint8Array) => [Uint8Array.of(...f, 0)], 'handshake-failed'],
  ] as const)('closes cleanly on %s', async (_name, index, mangle, kind) => {
    const { client, server } = await connect({}, {}, (d, i, f) => (d === 'to-server' && i === index ? mangle(f) : [f]));
    await expect(server).rejects.toMatchObject({ reason: { kind } });
    await expect(client).rejects.toBeInstanceOf(ChannelClosedError);
  });

  const tamper = (n: number, mangle: (f: Uint8Array, prev: Uint8Array | undefined) => readonly Uint8Array[]): FrameHook => {
    let prev: Uint8Array | undefined;
    return (d, i, f) => {
      if (d !== 'to-server') return [f];
      const out = i === n ? mangle(f, prev) : [f];
      prev = f;
      return out;
    };
  };

  it.each([
    ['a flipped ciphertext bit', (f: Uint8Array) => { const g = f.slice(); g[13] = (g[13] as number) ^ 0x80; return [g]; }, 'decrypt-failed'],
    ['a flipped tag bit', (f: Uint8Array) => { const g = f.slice(); g[g.length - 1] = (g[g.length - 1] as number) ^ 1; return [g]; }, 'decrypt-failed'],
    ['a replayed frame', (f: Uint8Array) => [f, f], 'bad-nonce'],
    ['a dropped frame', () => [], 'bad-nonce'],
    ['a frame shorter than a nonce', () => [new Uint8Array(5)], 'bad-message'],
    ['an empty frame', () => [new Uint8Array(0)], 'bad-message'],
    ['a forged nonce', (f: Uint8Array) => { const g = f.slice(); g[0] = (g[0] as number) + 1; return [g]; }, 'bad-nonce'],
  ] as const)('detects %s after the handshake and closes the channel', async (_name, mangle, kind) => {
    // frame FIRST_ENCRYPTED is the key confirmation; mangle the next data frame
    const { client, server } = await connect({}, {}, tamper(FIRST_ENCRYPTED + 1, (f) => mangle(f)));
    const [c, s] = [await client, await server];
    cleanup.push(() => c.close());
    await c.send(Uint8Array.of(1)); // frame 3: mangled
    await nextTurn();
    await c.send(Uint8Array.of(2)); // frame 4
    const got: Uint8Array[] = [];
    for await (const m of s) got.push(m);
    expect((await s.closed).kind).toBe(kind);
    // nothing after the bad frame is delivered, and a replay is never delivered twice
    expect(got.length).toBeLessThanOrEqual(1);
    await c.closed;
  });

  it('detects two frames swapped in transit', async () => {
    let held: Uint8Array | undefined;
    const swap: FrameHook = (d, i, f) => {
      if (d !== 'to-server') return [f];
      if (i === FIRST_ENCRYPTED + 1) { held = f; return []; }
      if (i === FIRST_ENCRYPTED + 2 && held !== undefined) return [f, held];
      return [f];
    };
    const { client, server } = await connect({}, {}, swap);
    const [c, s] = [await client, await server];
    cleanup.push(() => c.close());
    await c.send(Uint8Array.of(1));
    await nextTurn();
    await c.send(Uint8Array.of(2));
    const got: Uint8Array[] = [];
    for await (const m of s) got.push(m);
    expect(got).toEqual([]);
    expect((await s.closed).kind).toBe('bad-nonce');
  });

  it('keeps a live peer through idle periods and times out a silent one, on injected clocks', async () => {
    const clientClock = new ManualClock(0);
    const serverClock = new ManualClock(0);
    const opts = { keepaliveMs: 1000, timeoutMs: 3000 };
    const { client, server } = await established({ clock: clientClock, ...opts }, { clock: serverClock, ...opts });
    const idleBothSides = async (): Promise<void> => {
      clientClock.advance(500);
      serverClock.advance(500);
      // a round trip each way lets every keepalive sent so far be read
      await client.send(Uint8Array.of(1));
      expect(await server.receive()).toEqual(Uint8Array.of(1));
      await server.send(Uint8Array.of(2));
      expect(await client.receive()).toEqual(Uint8Array.of(2));
    };
    for (let t = 0; t < 12; t++) await idleBothSides(); // 6 s of clock time, twice the timeout
    expect(client.closeReason).toBeUndefined();
    expect(server.closeReason).toBeUndefined();
    // the server's clock stops: it sends nothing more, and the client gives up after timeoutMs
    clientClock.advance(2999);
    expect(client.closeReason).toBeUndefined();
    clientClock.advance(1000);
    expect(client.closeReason?.kind).toBe('timeout');
    expect((await server.closed).kind).not.toBe('timeout');
  });

  it('fails a handshake that does not finish in time', async () => {
    const clock = new ManualClock(0);
    const { server, accepted } = await tcpPair();
    const raw = await tcpConnect(server.address);
    cleanup.push(() => raw.close());
    const srvRaw = await accepted;
    const srv = secureChannel(srvRaw, { identity: bob, crypto, clock, handshakeTimeoutMs: 5000 });
    srv.catch(() => {});
    clock.advance(5000); // the client never speaks
    await expect(srv).rejects.toMatchObject({ reason: { kind: 'timeout' } });
  });

  it('rekeys under traffic without losing, duplicating or reordering a message', async () => {
    // sends in one turn share a frame, so rekey after every frame or two
    const { client, server } = await established({ rekeyAfterFrames: 1 }, { rekeyAfterFrames: 2 });
    const sentByClient: number[] = [];
    const sentByServer: number[] = [];
    const gotByServer: number[] = [];
    const gotByClient: number[] = [];
    for (let round = 0; round < 60; round++) {
      for (let i = 0; i < 5; i++) {
        const v = (round * 5 + i) & 0xff;
        void client.send(Uint8Array.of(v)); sentByClient.push(v);
        void server.send(Uint8Array.of(v)); sentByServer.push(v);
      }
      for (let i = 0; i < 5; i++) {
        gotByServer.push(((await server.receive()) as Uint8Array)[0] as number);
        gotByClient.push(((await client.receive()) as Uint8Array)[0] as number);
      }
    }
    expect(gotByServer).toEqual(sentByClient);
    expect(gotByClient).toEqual(sentByServer);
    // a rekey still in flight completes on its own (its messages need no data to carry them)
    const deadline = Date.now() + 10_000;
    while (client.rekeys !== server.rekeys && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(server.rekeys).toBe(client.rekeys);
    expect(client.rekeys).toBeGreaterThan(10);
    expect(client.closeReason).toBeUndefined();
  });

  it('survives both sides starting a rekey at the same moment', async () => {
    const { client, server } = await established();
    client.rekey();
    server.rekey();
    for (let i = 0; i < 5; i++) {
      await client.send(Uint8Array.of(i));
      await server.send(Uint8Array.of(i));
      expect(await server.receive()).toEqual(Uint8Array.of(i));
      expect(await client.receive()).toEqual(Uint8Array.of(i));
    }
    expect(client.rekeys).toBe(1);
    expect(server.rekeys).toBe(1);
  });

  it('nests: a secure channel runs inside another one', async () => {
    const { client, server } = await established();
    const [inner1, inner2] = await Promise.all([
      secureChannel(client, { identity: ident(10), crypto, clock: systemClock, expectedRemote: ident(11).publicKey }),
      secureChannel(server, { identity: ident(11), crypto, clock: systemClock }),
    ]);
    await inner1.send(Uint8Array.of(7, 7));
    expect(await inner2.receive()).toEqual(Uint8Array.of(7, 7));
    expect(inner1.maxFrameLength).toBe(client.maxFrameLength - 64);
    inner1.close();
    expect((await server.closed).kind).toBeDefined();
  });
});
