/** strelay as a user runs it: a real process on loopback, two nodes meeting through it, and a
 *  graceful stop on SIGTERM / SIGINT. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBackend } from '../../crypto/backend.node.ts';
import { identityFromSeed } from '../../crypto/index.ts';
import { formatIdent, identFromSeed } from '../../files/index.ts';
import { type FrameStream, secureChannel, systemClock } from '../../net/index.ts';
import { tcpConnect } from '../../net/tcp.node.ts';
import { connectViaRelay, listenViaRelay } from '../client.ts';

const crypto = nodeBackend;
const relaySeed = new Uint8Array(32).fill(42);
const relayKey = crypto.ed25519PublicKey(relaySeed);
const alice = identityFromSeed(crypto, new Uint8Array(32).fill(1));
const bob = identityFromSeed(crypto, new Uint8Array(32).fill(2));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offset-strelay-'));
  await writeFile(join(dir, 'relay.ident'), formatIdent(identFromSeed(crypto, relaySeed)), { mode: 0o600 });
  await writeFile(join(dir, 'broken.ident'), '{"kind":"ident","privateKey":"nope"}');
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

interface Proc { child: ChildProcess; stdout: string[]; stderr: string[]; exit: Promise<number | null> }

function start(args: string[]): Proc {
  const bin = fileURLToPath(new URL('../../../bin/strelay.js', import.meta.url));
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (d: string) => stdout.push(d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => stderr.push(d));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stdout, stderr, exit };
}

async function listening(p: Proc): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /listening on (\S+)/.exec(p.stdout.join(''));
    if (m !== null) return m[1] as string;
    if (Date.now() > deadline || p.child.exitCode !== null) throw new Error(`strelay did not start: ${p.stderr.join('')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('strelay', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('relays two nodes, then stops cleanly on %s', async (signal) => {
    const p = start(['--idfile', 'relay.ident', '--laddr', '127.0.0.1:0']);
    const address = await listening(p);
    const relay = { publicKey: relayKey, address };
    const opts = { crypto, clock: systemClock, dial: (a: string) => tcpConnect(a) };
    let gotTunnel!: (t: FrameStream) => void;
    const tunnel = new Promise<FrameStream>((r) => { gotTunnel = r; });
    const listener = await listenViaRelay(relay, { ...opts, identity: bob, accept: () => true, onTunnel: (_f, t) => gotTunnel(t) });
    const ta = await connectViaRelay(relay, bob.publicKey, { ...opts, identity: alice });
    const [a, b] = await Promise.all([
      secureChannel(ta, { identity: alice, crypto, clock: systemClock, expectedRemote: bob.publicKey }),
      tunnel.then((t) => secureChannel(t, { identity: bob, crypto, clock: systemClock, expectedRemote: alice.publicKey })),
    ]);
    await a.send(new TextEncoder().encode('hello bob'));
    expect(new TextDecoder().decode(await b.receive())).toBe('hello bob');
    p.child.kill(signal);
    expect(await p.exit).toBe(0);
    expect(p.stdout.join('')).toContain(`stopped (${signal})`);
    await Promise.all([a.closed, b.closed, listener.closed]);
  });

  it('fails with one line on a damaged identity file', async () => {
    const p = start(['--idfile', 'broken.ident', '--laddr', '127.0.0.1:0']);
    expect(await p.exit).toBe(1);
    expect(p.stderr.join('')).toMatch(/^strelay: [^\n]+\n$/);
  });

  it.each([['0'], ['-5'], ['many']])('rejects --max-connections %s as a usage error', async (v) => {
    const p = start(['--idfile', 'relay.ident', '--laddr', '127.0.0.1:0', '--max-connections', v]);
    expect(await p.exit).toBe(2);
    expect(p.stderr.join('')).toMatch(/^strelay: [^\n]*max-connections/);
  });

  it('rejects a malformed listen address as a usage error', async () => {
    const p = start(['--idfile', 'relay.ident', '--laddr', 'nowhere']);
    expect(await p.exit).toBe(2);
    expect(p.stderr.join('')).toMatch(/^strelay: --laddr/);
  });
});
