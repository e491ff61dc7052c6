/** Two nodes' channelers, each on its own strelay process: the relay in use is killed with
 *  SIGKILL (no goodbye on any socket) and restarted on the same port; the nodes find each other
 *  again without intervention. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBackend } from '../../crypto/backend.node.ts';
import { type Signer, comparePublicKeys, identityFromSeed } from '../../crypto/index.ts';
import { formatIdent, identFromSeed } from '../../files/index.ts';
import { systemClock } from '../../net/index.ts';
import { tcpConnect } from '../../net/tcp.node.ts';
import { type RelayAddress } from '../../relay/index.ts';
import { type Channeler, type ChannelerEvent, createChanneler } from '../channeler.ts';

const crypto = nodeBackend;
const ident = (n: number): Signer => identityFromSeed(crypto, new Uint8Array(32).fill(n));
const [listener, dialer] = comparePublicKeys(crypto, ident(1).publicKey, ident(2).publicKey) < 0 ? [ident(1), ident(2)] : [ident(2), ident(1)];
let dir: string;
const children = new Set<ChildProcess>();

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'offset-channeler-it-')); });
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function strelay(n: number, laddr = '127.0.0.1:0'): Promise<{ child: ChildProcess; addr: RelayAddress }> {
  const seed = new Uint8Array(32).fill(100 + n);
  const file = join(dir, `relay${n}.ident`);
  await writeFile(file, formatIdent(identFromSeed(crypto, seed)), { mode: 0o600 });
  const bin = fileURLToPath(new URL('../../../bin/strelay.js', import.meta.url));
  const child = spawn(process.execPath, [bin, '--idfile', file, '--laddr', laddr], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m !== null) resolve(m[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`strelay exited with ${code}`)));
  });
  return { child, addr: { publicKey: crypto.ed25519PublicKey(seed), address } };
}

async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function node(identity: Signer, timing: { keepaliveMs?: number; timeoutMs?: number; handshakeTimeoutMs?: number } = {}): { channeler: Channeler; events: ChannelerEvent[] } {
  const events: ChannelerEvent[] = [];
  const channeler = createChanneler({
    identity, crypto, clock: systemClock, dial: (a) => tcpConnect(a), onEvent: (e) => { events.push(e); },
    backoff: { initialMs: 50, maxMs: 500 }, ...timing,
  });
  return { channeler, events };
}

type TestNode = ReturnType<typeof node>;
const bothOnline = (l: TestNode, d: TestNode): boolean => l.channeler.isOnline(dialer.publicKey) && d.channeler.isOnline(listener.publicKey);
const bothOffline = (l: TestNode, d: TestNode): boolean => !l.channeler.isOnline(dialer.publicKey) && !d.channeler.isOnline(listener.publicKey);

/** The listener on relay `rl`, the dialer on `rd`, each told the other's relay; once both see the other online. */
async function befriendOver(l: TestNode, rl: { addr: RelayAddress }, d: TestNode, rd: { addr: RelayAddress }): Promise<void> {
  l.channeler.setRelays([rl.addr]);
  d.channeler.setRelays([rd.addr]);
  l.channeler.updateFriend({ publicKey: dialer.publicKey, relays: [rd.addr] });
  d.channeler.updateFriend({ publicKey: listener.publicKey, relays: [rl.addr] });
  await until(() => bothOnline(l, d), 'online');
}

describe('channelers through strelay processes', () => {
  it('reconnect after the relay in use is killed with SIGKILL and restarted', async () => {
    const rl = await strelay(1);
    const rd = await strelay(2);
    const l = node(listener);
    const d = node(dialer);
    try {
      await befriendOver(l, rl, d, rd);

      rl.child.kill('SIGKILL');
      await until(() => bothOffline(l, d), 'offline');
      await strelay(1, rl.addr.address);
      await until(() => bothOnline(l, d), 'online again');

      expect(await d.channeler.send(listener.publicKey, Uint8Array.of(1, 2, 3))).toBe(true);
      await until(() => l.events.some((e) => e.kind === 'message'), 'message');
      const kinds = l.events.map((e) => e.kind);
      expect(kinds).toEqual(['online', 'offline', 'online', 'message']);
    } finally {
      l.channeler.close();
      d.channeler.close();
    }
  });

  it('report a friend offline when the relay freezes (SIGSTOP), and reconnect when it resumes', async () => {
    const rl = await strelay(3);
    const rd = await strelay(4);
    // short keepalives so that silence is noticed quickly; nothing asserts how quickly
    const timing = { keepaliveMs: 100, timeoutMs: 400, handshakeTimeoutMs: 400 };
    const l = node(listener, timing);
    const d = node(dialer, timing);
    try {
      await befriendOver(l, rl, d, rd);
      rl.child.kill('SIGSTOP'); // sockets stay open, nothing moves: only keepalives can tell
      await until(() => bothOffline(l, d), 'offline');
      rl.child.kill('SIGCONT');
      await until(() => bothOnline(l, d), 'online again');
      expect(await l.channeler.send(dialer.publicKey, Uint8Array.of(9))).toBe(true);
      await until(() => d.events.some((e) => e.kind === 'message'), 'message');
    } finally {
      l.channeler.close();
      d.channeler.close();
    }
  });
});
