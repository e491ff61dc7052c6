import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeReason } from './close-reason.ts';
import { PROTOCOL_VERSION, frameHeader, prologue } from './frame.ts';
import { type FrameStream } from './frame-stream.ts';
import { type TcpServer, parseHostPort, tcpConnect, tcpListen } from './tcp.node.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0)) await f(); });

async function serverWith(opts: Parameters<typeof tcpListen>[2] = {}): Promise<{ server: TcpServer; accepted: Promise<FrameStream> }> {
  let resolve!: (s: FrameStream) => void;
  const accepted = new Promise<FrameStream>((r) => { resolve = r; });
  const server = await tcpListen('127.0.0.1:0', (s) => resolve(s), opts);
  cleanup.push(() => server.close());
  return { server, accepted };
}

function rawConnect(address: string): Promise<net.Socket> {
  const { host, port } = parseHostPort(address);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port }, () => resolve(s));
    s.on('error', reject);
    cleanup.push(() => { s.destroy(); });
  });
}

describe('parseHostPort', () => {
  it.each([
    ['127.0.0.1:80', { host: '127.0.0.1', port: 80 }],
    ['[::1]:0', { host: '::1', port: 0 }],
    ['localhost:65535', { host: 'localhost', port: 65535 }],
  ])('parses %s', (a, want) => { expect(parseHostPort(a)).toEqual(want); });
  it.each(['127.0.0.1', ':80', 'h:65536', 'h:-1', 'a b:1'])('rejects %s', (a) => {
    expect(() => parseHostPort(a)).toThrow(RangeError);
  });
});

describe('tcp frame stream', () => {
  it('carries frames both ways in order over loopback', async () => {
    const { server, accepted } = await serverWith();
    const client = await tcpConnect(server.address);
    cleanup.push(() => client.close());
    const srv = await accepted;
    for (let i = 0; i < 100; i++) void client.send(Uint8Array.of(i, i));
    for (let i = 0; i < 100; i++) expect(await srv.receive()).toEqual(Uint8Array.of(i, i));
    await srv.send(new Uint8Array(200_000).fill(7));
    expect((await client.receive())?.length).toBe(200_000);
  });

  it('delivers what was sent before the peer closed, then ends with eof', async () => {
    const { server, accepted } = await serverWith();
    const client = await tcpConnect(server.address);
    const srv = await accepted;
    await client.send(Uint8Array.of(1));
    client.close();
    expect(await srv.receive()).toEqual(Uint8Array.of(1));
    expect(await srv.receive()).toBeUndefined();
    expect((await srv.closed).kind).toBe('eof');
  });

  it('closes on a protocol version mismatch and logs one clear line', async () => {
    const lines: string[] = [];
    const { server, accepted } = await serverWith({ log: (l) => lines.push(l) });
    const client = await tcpConnect(server.address, { version: PROTOCOL_VERSION + 1 });
    cleanup.push(() => client.close());
    const srv = await accepted;
    expect((await srv.closed).kind).toBe('version-mismatch');
    expect(lines.some((l) => l.includes(`protocol version mismatch: ours ${PROTOCOL_VERSION}, theirs ${PROTOCOL_VERSION + 1}`))).toBe(true);
    expect(['version-mismatch', 'eof', 'io-error']).toContain((await client.closed).kind);
  });

  it('cuts a peer that announces an oversize frame', async () => {
    const { server, accepted } = await serverWith({ maxFrameLength: 1000 });
    const sock = await rawConnect(server.address);
    sock.write(prologue());
    sock.write(frameHeader(1001));
    const srv = await accepted;
    expect((await srv.closed).kind).toBe('frame-too-large');
    await new Promise<void>((r) => { if (sock.destroyed) r(); else sock.on('close', () => r()); sock.resume(); });
  });

  it('limits the first frames a server accepts until the handshake is through', async () => {
    const { server, accepted } = await serverWith();
    const client = await tcpConnect(server.address);
    cleanup.push(() => client.close());
    const srv = await accepted;
    await client.send(new Uint8Array(1024)); // a handshake-sized frame is fine
    expect((await srv.receive())?.length).toBe(1024);
    await client.send(new Uint8Array(1025));
    expect((await srv.closed).kind).toBe('frame-too-large');
  });

  it('refuses to send a frame above the maximum', async () => {
    const { server } = await serverWith();
    const client = await tcpConnect(server.address, { maxFrameLength: 10 });
    cleanup.push(() => client.close());
    expect(() => client.send(new Uint8Array(11))).toThrow(RangeError);
  });

  it('makes the writer wait while the reader does not read, and resumes when it does', async () => {
    const { server, accepted } = await serverWith({ highWaterBytes: 64 << 10, handshakeFrames: 0 });
    const client = await tcpConnect(server.address);
    cleanup.push(() => client.close());
    const srv = await accepted;
    const chunk = new Uint8Array(64 << 10);
    let sent = 0;
    let blocked = false;
    // write until send() stops resolving promptly: backpressure reached the writer
    for (let i = 0; i < 1000 && !blocked; i++) {
      const p = client.send(chunk);
      sent++;
      const r = await Promise.race([p.then(() => 'ok'), new Promise((res) => setImmediate(() => setImmediate(() => res('pending'))))]);
      if (r === 'pending') {
        // give the kernel a chance to drain; if still pending we are blocked
        blocked = await Promise.race([p.then(() => false), new Promise<boolean>((res) => setTimeout(() => res(true), 200))]);
      }
    }
    expect(blocked).toBe(true);
    expect(sent).toBeLessThan(1000);
    let got = 0;
    while (got < sent) { expect(await srv.receive()).toBeDefined(); got++; }
    expect(got).toBe(sent);
  });

  it('cuts the connection when a writer ignores backpressure past the send buffer limit', async () => {
    const { server, accepted } = await serverWith({ highWaterBytes: 1 << 10, handshakeFrames: 0 });
    const client = await tcpConnect(server.address, { maxSendBufferBytes: 4 << 20 });
    await accepted; // the server never reads
    const chunk = new Uint8Array(512 << 10);
    let rejected = false;
    for (let i = 0; i < 200 && !rejected; i++) {
      try { void client.send(chunk).catch(() => {}); } catch { rejected = true; }
      if (client.closeReason !== undefined) rejected = true;
    }
    expect(rejected).toBe(true);
    expect((await client.closed).kind).toBe('send-overflow');
  });

  it('closes every accepted stream when the server closes', async () => {
    const { server, accepted } = await serverWith();
    const client = await tcpConnect(server.address);
    const srv = await accepted;
    await server.close();
    expect((await srv.closed).kind).toBe('shutdown');
    expect(['eof', 'io-error']).toContain((await client.closed).kind);
    cleanup.length = 0;
  });

  it('rejects sends after close with the close reason', async () => {
    const { server } = await serverWith();
    const client = await tcpConnect(server.address);
    client.close(closeReason('local', 'done'));
    await expect(client.send(Uint8Array.of(1))).rejects.toMatchObject({ reason: { kind: 'local', detail: 'done' } });
  });
});
