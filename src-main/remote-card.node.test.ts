import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeToApp, appToNode, nodeToApp } from '../src-core/app/index.ts';
import { decodeExact, encode, fromBase64Url } from '../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../src-core/crypto/index.ts';
import { formatAppTicket, formatIdent, formatRcard, identFromSeed, parseRcard } from '../src-core/files/index.ts';
import { systemClock } from '../src-core/net/index.ts';
import { type Background, background, freePort } from '../src-core/node/it/procs.ts';
import { initNodeDatabase } from '../src-core/store/index.node.ts';
import { UI_PERMISSIONS } from './card-engines.node.ts';
import { EventHub } from './dispatcher.ts';
import { connectRemoteCard } from './remote-card.node.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A real stnode process trusting one app key; its rcard text. */
async function remoteNode(trustApp: boolean) {
  const dir = await mkdtemp(join(tmpdir(), 'offset-rcard-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const seed = new Uint8Array(32).fill(41);
  const appSeed = new Uint8Array(32).fill(42);
  const publicKey = identityFromSeed(crypto, seed).publicKey;
  await mkdir(join(dir, 'trusted'));
  await writeFile(join(dir, 'node.ident'), formatIdent(identFromSeed(crypto, seed)));
  await initNodeDatabase(join(dir, 'node.db'), publicKey);
  if (trustApp) await writeFile(join(dir, 'trusted', 'app.ticket'), formatAppTicket({ publicKey: identityFromSeed(crypto, appSeed).publicKey, permissions: UI_PERMISSIONS }));
  const port = await freePort();
  const bg: Background = await background(`stnode --database node.db --idfile node.ident --laddr 127.0.0.1:${port} --trusted trusted`, dir, /listening/);
  cleanups.push(async () => { await bg.stop('SIGKILL'); });
  const text = formatRcard({ name: 'Shop', nodePublicKey: publicKey, address: `127.0.0.1:${port}`, appPrivateKey: appSeed, appPublicKey: identityFromSeed(crypto, appSeed).publicKey });
  return { bg, publicKey, text };
}

function hub() {
  const events = new EventHub();
  const messages: NodeToApp[] = [];
  const waiters: Array<() => void> = [];
  events.subscribe((text) => {
    const e = JSON.parse(text) as { name: string; payload: { cardId: string; message: string } };
    if (e.name !== 'app.message' || e.payload.cardId !== 'remote1') return;
    const d = decodeExact(nodeToApp, fromBase64Url(e.payload.message) as Uint8Array);
    if (!d.ok) throw new Error(d.error.message);
    messages.push(d.value);
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = async (pred: (m: NodeToApp) => boolean): Promise<NodeToApp> => {
    for (;;) {
      const hit = messages.find(pred);
      if (hit !== undefined) return hit;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { events, messages, waitFor };
}

describe('remote cards', () => {
  it('speak the app protocol to a real stnode: its report and acks arrive as app.message events', async () => {
    const node = await remoteNode(true);
    const card = parseRcard(node.text, crypto);
    if (!card.ok) throw new Error(card.error.message);
    const { events, messages, waitFor } = hub();
    const connected = await connectRemoteCard({ cardId: 'remote1', card: card.value, crypto, clock: systemClock, events });
    if (!connected.ok) throw new Error(connected.error.message);
    const s = connected.value;
    cleanups.push(async () => s.close());
    const report = await waitFor((m) => m.kind === 'report');
    expect(report.kind === 'report' && report.report.localPublicKey).toEqual(node.publicKey);

    const requestId = new Uint8Array(16).fill(9);
    const addRelay = encode(appToNode, { requestId, request: { kind: 'add-relay', relay: { publicKey: new Uint8Array(32).fill(5), address: '127.0.0.1:9', name: 'r' } } });
    expect(await s.appRequest(addRelay)).toEqual({ ok: true, value: undefined });
    expect(await waitFor((m) => m.kind === 'ack')).toEqual({ kind: 'ack', requestId, result: { kind: 'ok' } });
    const before = messages.length;
    expect(await s.appRequest(Uint8Array.of(1, 2, 3))).toMatchObject({ ok: false, error: { code: 'bad-input' } });

    await node.bg.stop('SIGKILL');
    await s.ended;
    expect(s.open).toBe(false);
    expect(await s.appRequest(addRelay)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(messages.length).toBe(before);
  }, 60_000);

  it('answers unavailable when the node does not trust the app, or nothing listens', async () => {
    const node = await remoteNode(false);
    const card = parseRcard(node.text, crypto);
    if (!card.ok) throw new Error(card.error.message);
    const { events, messages } = hub();
    const refused = await connectRemoteCard({ cardId: 'remote1', card: card.value, crypto, clock: systemClock, events });
    // the node may close only after the handshake: then the session ends without a message
    if (refused.ok) {
      await refused.value.ended;
      expect(refused.value.open).toBe(false);
    } else {
      expect(refused.error.code).toBe('unavailable');
    }
    expect(messages).toEqual([]);
    await node.bg.stop('SIGKILL');
    expect(await connectRemoteCard({ cardId: 'remote1', card: card.value, crypto, clock: systemClock, events })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  }, 60_000);
});
