import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeToApp, appToNode, nodeToApp } from '../src-core/app/index.ts';
import { decodeExact, encode, fromBase64Url, toBase64Url } from '../src-core/codec/index.ts';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { formatRcard, parseIdent, parseRcard } from '../src-core/files/index.ts';
import { type Background, background, freePort, runBin } from '../src-core/node/it/procs.ts';
import type { CardView } from './bridge.ts';
import { ManualClock } from '../src-core/net/index.ts';
import { EventHub } from './dispatcher.ts';
import { openWalletHost, type RunningHost } from './host.node.ts';
import { createRemoteCards } from './remote-cards.node.ts';

const dirs: string[] = [];
const hosts: RunningHost[] = [];
const nodes: Background[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const n of nodes.splice(0)) await n.stop('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const PW = 'remote card password';
type Answer = { ok: boolean; value?: any; error?: { code: string; message: string } };

async function sh(cwd: string, program: string, ...args: string[]): Promise<void> {
  const r = await runBin(program, args, cwd);
  if (r.code !== 0) throw new Error(`${program} ${args.join(' ')} failed: ${r.stderr}`);
}

/** A node made with the real stmgr as the tutorial does, trusting one app, and that app's .rcard. */
async function remoteNode() {
  const dir = mkdtempSync(join(tmpdir(), 'offset-rnode-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'trusted'));
  await sh(dir, 'stmgr', 'gen-ident', '--output', 'node.ident');
  await sh(dir, 'stmgr', 'gen-ident', '--output', 'app.ident');
  await sh(dir, 'stmgr', 'init-node-db', '--idfile', 'node.ident', '--output', 'node.db');
  await sh(dir, 'stmgr', 'app-ticket', '--idfile', 'app.ident', '--pconfig', '--pfunds', '--proutes', '--pseller', '--output', 'trusted/app.ticket');
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  await sh(dir, 'stmgr', 'node-entry', '--address', address, '--appid', 'app.ident', '--nodeid', 'node.ident', '--name', 'Shop', '--output', 'shop.rcard');
  const ident = parseIdent(readFileSync(join(dir, 'node.ident'), 'utf8'), nodeBackend);
  if (!ident.ok) throw new Error(ident.error.message);
  const start = async (): Promise<Background> => {
    const bg = await background(`stnode --database node.db --idfile node.ident --laddr ${address} --trusted trusted`, dir, /listening/);
    nodes.push(bg);
    return bg;
  };
  return { dir, address, publicKey: toBase64Url(ident.value.publicKey), rcard: readFileSync(join(dir, 'shop.rcard'), 'utf8'), start };
}

/** A real host on a temp data folder; its card lists and app messages awaitable. */
async function openHost(dataDir?: string) {
  const dir = dataDir ?? join(mkdtempSync(join(tmpdir(), 'offset-rcards-')), 'data');
  if (dataDir === undefined) dirs.push(join(dir, '..'));
  const internal: unknown[] = [];
  const h = await openWalletHost(dir, (e) => internal.push(e), { cost: { logN: 4, r: 8, p: 1 }, reconnect: { minDelayMs: 50, maxDelayMs: 400 } });
  hosts.push(h);
  const lists: Array<readonly CardView[]> = [];
  const messages: Array<{ cardId: string; message: NodeToApp }> = [];
  const waiters: Array<() => void> = [];
  h.events.subscribe((text) => {
    const e = JSON.parse(text) as { name: string; payload: any };
    if (e.name === 'cards.changed') lists.push(e.payload.cards as CardView[]);
    if (e.name === 'app.message') {
      const d = decodeExact(nodeToApp, fromBase64Url(e.payload.message as string) as Uint8Array);
      if (!d.ok) throw new Error(d.error.message);
      messages.push({ cardId: e.payload.cardId as string, message: d.value });
    }
    for (const w of waiters.splice(0)) w();
  });
  let id = 0;
  const call = async (name: string, args: unknown = {}): Promise<Answer> => JSON.parse(await h.dispatcher.handle(JSON.stringify({ id: ++id, name, args }))) as Answer;
  const next = (): Promise<void> => new Promise<void>((r) => waiters.push(r));
  /** The card as a `cards.changed` event (from the `from`-th on) shows it, once `pred` holds. */
  const waitCard = async (cardId: string, pred: (c: any) => boolean, from = 0): Promise<any> => {
    for (;;) {
      for (const list of lists.slice(from)) {
        const c = list.find((x) => x.id === cardId);
        if (c !== undefined && pred(c)) return c;
      }
      await next();
    }
  };
  const waitMessage = async (cardId: string, pred: (m: NodeToApp) => boolean, from = 0): Promise<NodeToApp> => {
    for (;;) {
      const hit = messages.slice(from).find((m) => m.cardId === cardId && pred(m.message));
      if (hit !== undefined) return hit.message;
      await next();
    }
  };
  return { dir, h, call, lists, messages, waitCard, waitMessage, internal };
}

const addFriend = (requestId: Uint8Array, balance: bigint): string => toBase64Url(encode(appToNode, {
  requestId,
  request: { kind: 'add-friend', friendPublicKey: new Uint8Array(32).fill(8), name: 'Baker', relays: [], initialBalances: [{ currency: 'FST', balance }] },
}));

describe('remote cards in the wallet host', () => {
  it('import an .rcard made by stmgr; friends and balances come through the bridge; offline while the node is away', async () => {
    const node = await remoteNode();
    let stnode = await node.start();
    const w = await openHost();
    await w.call('wallet.create', { password: PW });
    const imported = await w.call('cards.import', { name: 'Shop', file: { kind: 'rcard', text: node.rcard }, password: '' });
    expect(imported).toMatchObject({ ok: true, value: { card: { name: 'Shop', kind: 'remote', publicKey: node.publicKey, address: node.address, backedUpAt: null } } });
    const cardId = imported.value.card.id as string;
    await w.waitCard(cardId, (c) => c.online === true);
    // the app key is sealed in the vault, never in clear
    const appKey = parseRcard(node.rcard, nodeBackend);
    if (!appKey.ok) throw new Error(appKey.error.message);
    expect(readFileSync(join(w.dir, 'wallet.json'), 'utf8')).not.toContain(toBase64Url(appKey.value.appPrivateKey));

    // a window that came later asks for a session: the node's report first
    const from = w.messages.length;
    expect(await w.call('app.connect', { cardId })).toMatchObject({ ok: true });
    const report = await w.waitMessage(cardId, (m) => m.kind === 'report', from);
    expect(report.kind === 'report' && toBase64Url(report.report.localPublicKey)).toBe(node.publicKey);
    // a card without balances: going offline alone is a change every window hears of
    let seen = w.lists.length;
    await stnode.stop('SIGKILL');
    await w.waitCard(cardId, (c) => c.online === false, seen);
    seen = w.lists.length;
    stnode = await node.start();
    await w.waitCard(cardId, (c) => c.online === true, seen);
    const rid = new Uint8Array(16).fill(3);
    expect(await w.call('app.request', { cardId, message: addFriend(rid, 7n) })).toMatchObject({ ok: true });
    expect(await w.waitMessage(cardId, (m) => m.kind === 'ack', from)).toEqual({ kind: 'ack', requestId: rid, result: { kind: 'ok' } });
    await w.waitCard(cardId, (c) => c.online && c.balances.length === 1 && c.balances[0].balance === '7');
    expect((await w.call('cards.list')).value.cards).toMatchObject([{ id: cardId, online: true, balances: [{ currency: 'FST', balance: '7' }] }]);
    expect(await w.call('app.request', { cardId, message: 'AQID' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });

    // what only local cards have
    expect(await w.call('cli.enable', { cardId, address: '127.0.0.1:0' })).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/remote card/) } });
    expect(await w.call('cards.export', { cardId, password: 'backup password' })).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/remote card/) } });
    expect(await w.call('cards.backupSaved', { cardId })).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/remote card/) } });

    // the node goes away: offline, requests refused; it comes back: online again with its friends
    seen = w.lists.length;
    await stnode.stop('SIGKILL');
    await w.waitCard(cardId, (c) => c.online === false && c.balances.length === 0, seen);
    expect(await w.call('app.request', { cardId, message: addFriend(rid, 7n) })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    // the list says why
    await w.waitCard(cardId, (c) => c.online === false && /^Cannot reach the node of this card at /.test(c.problem ?? ''), seen);
    seen = w.lists.length;
    stnode = await node.start();
    await w.waitCard(cardId, (c) => c.online && c.balances[0]?.balance === '7', seen);

    // locking closes the connection; unlocking and a restart of the wallet connect again
    seen = w.lists.length;
    expect(await w.call('wallet.lock')).toMatchObject({ ok: true });
    await w.waitCard(cardId, (c) => c.online === false, seen);
    await w.h.close();
    hosts.splice(hosts.indexOf(w.h), 1);
    const again = await openHost(w.dir);
    expect((await again.call('cards.list')).value.cards).toMatchObject([{ id: cardId, kind: 'remote', online: false, address: node.address }]);
    expect(await again.call('app.connect', { cardId })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await again.call('wallet.unlock', { password: PW })).toMatchObject({ ok: true });
    await again.waitCard(cardId, (c) => c.online && c.balances[0]?.balance === '7');

    // removing the card closes its connection and forgets it
    expect(await again.call('cards.remove', { cardId })).toMatchObject({ ok: true });
    expect((await again.call('cards.list')).value.cards).toEqual([]);
    expect(again.h.remotes.status(cardId)).toEqual({ online: false, balances: [], needsReset: 0, closestToLimit: 0 });
    expect([...w.internal, ...again.internal]).toEqual([]);
  }, 90_000);

  it('refuses hostile or garbled .rcard files and a node already in the wallet, changing nothing', async () => {
    const node = await remoteNode();
    const w = await openHost();
    await w.call('wallet.create', { password: PW });
    const parsed = parseRcard(node.rcard, nodeBackend);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const json = JSON.parse(node.rcard) as Record<string, unknown>;
    const local = (await w.call('cards.create', { name: 'Local' })).value.card as { id: string; publicKey: string };
    const vaultBefore = readFileSync(join(w.dir, 'wallet.json'), 'utf8');
    const otherKey = new Uint8Array(32).fill(9);
    const hostile = [
      '',
      'not json at all',
      JSON.stringify({ ...json, kind: 'friend' }),
      JSON.stringify({ ...json, appPublicKey: toBase64Url(otherKey) }), // not the private key's
      JSON.stringify({ ...json, address: 'nowhere' }),
      JSON.stringify({ ...json, extra: 1 }),
      JSON.stringify({ ...json, appPrivateKey: 'AAAA' }),
      '{"__proto__":{"kind":"rcard"}}',
      // a node that is already a card here (the local one)
      formatRcard({ ...parsed.value, nodePublicKey: fromBase64Url(local.publicKey) as Uint8Array }),
    ];
    for (const text of hostile) {
      const r = await w.call('cards.import', { name: 'Shop', file: { kind: 'rcard', text }, password: '' });
      expect(r, text).toMatchObject({ ok: false, error: { code: 'bad-input' } });
      expect(r.error?.message).toMatch(/Nothing was imported/);
    }
    expect(await w.call('cards.import', { name: ' ', file: { kind: 'rcard', text: node.rcard }, password: '' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(readFileSync(join(w.dir, 'wallet.json'), 'utf8')).toBe(vaultBefore);
    expect((await w.call('cards.list')).value.cards).toHaveLength(1);
    // imported once (nothing listens: it shows offline), then refused as a duplicate
    const ok = await w.call('cards.import', { name: 'Shop', file: { kind: 'rcard', text: node.rcard }, password: '' });
    expect(ok).toMatchObject({ ok: true, value: { card: { kind: 'remote', online: false } } });
    const afterImport = readFileSync(join(w.dir, 'wallet.json'), 'utf8');
    expect(await w.call('cards.import', { name: 'Shop 2', file: { kind: 'rcard', text: node.rcard }, password: '' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(readFileSync(join(w.dir, 'wallet.json'), 'utf8')).toBe(afterImport);
    expect(await w.call('app.connect', { cardId: ok.value.card.id })).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/Cannot reach/) } });
    // a remote card has no folder in the data directory
    expect(readdirSync(join(w.dir, 'cards'))).toEqual([local.id]);
    // the node runs but does not trust this app key: a sentence saying so, not a silent wait
    mkdirSync(join(node.dir, 'nobody'));
    nodes.push(await background(`stnode --database node.db --idfile node.ident --laddr ${node.address} --trusted nobody`, node.dir, /listening/));
    expect(await w.call('app.connect', { cardId: ok.value.card.id })).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/may not trust this wallet/) } });
    expect((await w.call('cards.list')).value.cards).toMatchObject([{ name: 'Local', problem: null }, { name: 'Shop', online: false, problem: expect.stringMatching(/may not trust this wallet/) }]);
    await w.call('wallet.lock');
    expect(await w.call('cards.import', { name: 'Shop', file: { kind: 'rcard', text: node.rcard }, password: '' })).toMatchObject({ ok: false, error: { code: 'locked' } });
  }, 60_000);

  it('retries an unreachable node after doubling delays up to the cap; stop ends the retries', async () => {
    const clock = new ManualClock(0);
    const lines: string[] = [];
    let wake: () => void = () => {};
    const remotes = createRemoteCards({
      events: new EventHub(), crypto: nodeBackend, clock, minDelayMs: 1000, maxDelayMs: 4000,
      log: (line) => { lines.push(line); wake(); },
    });
    const retries = (): number[] => lines.flatMap((l) => /connecting again in (\d+) ms/.exec(l)?.[1] ?? []).map(Number);
    const until = async (n: number): Promise<void> => {
      while (retries().length < n) await new Promise<void>((r) => { wake = r; });
    };
    const appSeed = new Uint8Array(32).fill(2);
    const address = `127.0.0.1:${await freePort()}`; // nothing listens there
    remotes.start('c1', { name: 'X', nodePublicKey: new Uint8Array(32).fill(1), address, appPrivateKey: appSeed, appPublicKey: nodeBackend.ed25519PublicKey(appSeed) });
    await until(1);
    for (const [n, wait] of [[2, 1000], [3, 2000], [4, 4000], [5, 4000]] as const) {
      clock.advance(wait - 1);
      expect(retries()).toHaveLength(n - 1); // not yet: the timer is not due
      clock.advance(1);
      await until(n);
    }
    expect(retries()).toEqual([1000, 2000, 4000, 4000, 4000]);
    expect(remotes.status('c1')).toEqual({ online: false, balances: [], needsReset: 0, closestToLimit: 0, problem: expect.stringMatching(/^Cannot reach the node of this card at /) });
    expect(await remotes.appRequest('c1', Uint8Array.of(1))).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/Cannot reach/) } });
    expect(appSeed).toEqual(new Uint8Array(32).fill(2)); // the caller's key is untouched; the card keeps a copy
    await remotes.stop('c1');
    expect(clock.pendingCount).toBe(0);
    expect(await remotes.appRequest('c1', Uint8Array.of(1))).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  }, 30_000);
});
