import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBackend as crypto } from '../crypto/backend.node.ts';
import { identityFromSeed } from '../crypto/index.ts';
import { SMALL_FRAME_LENGTH, frameHeader, prologue } from '../net/index.ts';
import { parseHostPort } from '../net/tcp.node.ts';
import { type RunningIndexServer, listenIndexServer } from './server.node.ts';

let running: RunningIndexServer;

beforeAll(async () => {
  running = await listenIndexServer({
    identity: identityFromSeed(crypto, new Uint8Array(32).fill(5)), trusted: [],
    clientAddress: '127.0.0.1:0', serverAddress: '127.0.0.1:0',
  });
});
afterAll(async () => { await running.close(); });

/** Resolves when the server hangs up (awaits the socket's own close; the test timeout bounds it). */
function hangsUp(address: string, bytes: Uint8Array): Promise<void> {
  const { host, port } = parseHostPort(address);
  return new Promise((resolve) => {
    const s = net.connect({ host, port }, () => s.write(bytes));
    s.on('data', () => {});
    s.on('error', () => {});
    s.on('close', () => resolve());
  });
}

describe('index server on TCP', () => {
  // found by test/fuzz/live-index.test.ts: the listeners took 1 MiB frames before any handshake,
  // and held such a connection open until the handshake timed out
  it.each(['client', 'server'] as const)('hangs up at once on an oversize first frame on the %s listener', async (which) => {
    const address = which === 'client' ? running.clientAddress : running.serverAddress;
    const header = frameHeader(SMALL_FRAME_LENGTH + 1);
    // the 5 s test timeout is the assertion: the handshake timeout (10 s) would be too late
    await expect(hangsUp(address, Uint8Array.from([...prologue(), ...header]))).resolves.toBeUndefined();
  }, 5_000);
});
