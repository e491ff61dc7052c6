import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBin } from '../src-core/cli/it/spawn.ts';
import { appToNode } from '../src-core/app/index.ts';
import { encode, fromBase64Url, toBase64Url } from '../src-core/codec/index.ts';
import { parseNodeTicket } from '../src-core/files/index.ts';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { seededRandom } from '../src-core/crypto/index.ts';
import { openCardBackup, sealCardBackup } from './card-backup.ts';
import { nodeScryptKdf } from './kdf.node.ts';
import { CARDS_DIR, NODE_DB_FILE } from './card-engines.node.ts';
import type { RunningHost } from './host.node.ts';
import { openTestHost } from './test-host.node.ts';

const dirs: string[] = [];
const hosts: RunningHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const PW = 'card engine password';
const openHost = (dataDir?: string) => openTestHost({ dirs, hosts }, { tmpPrefix: 'offset-cards-', ...(dataDir === undefined ? {} : { dataDir }) });

const request = (requestId: Uint8Array, accept: boolean): string =>
  toBase64Url(encode(appToNode, { requestId, request: { kind: 'set-accept-auto-collect', accept } }));

/** The real stctrl, as a person would run it. */
const stctrl = (args: readonly string[]) => runBin('stctrl', args, process.cwd());

describe('local cards are node engines', () => {
  it('gives a new card a node database and a running node whose report reaches the bridge', async () => {
    const { dir, call, waitFor, internal } = await openHost();
    await call('wallet.create', { password: PW });
    const created = await call('cards.create', { name: 'Main' });
    expect(created).toMatchObject({ ok: true, value: { card: { online: true, balances: [] } } });
    const card = created.value.card as { id: string; publicKey: string };
    expect(existsSync(join(dir, CARDS_DIR, card.id, NODE_DB_FILE))).toBe(true);
    const report = await waitFor(card.id, (m) => m.kind === 'report');
    expect(report.kind === 'report' && toBase64Url(report.report.localPublicKey)).toBe(card.publicKey);
    expect(report.kind === 'report' && report.permissions).toEqual({ buyer: true, seller: true, config: true, routes: true });
    expect(internal).toEqual([]);
  });

  it('carries app requests to the node and its acks back; refuses forged cards, bad bytes and a locked wallet', async () => {
    const { call, waitFor, messages } = await openHost();
    await call('wallet.create', { password: PW });
    const card = (await call('cards.create', { name: 'Main' })).value.card as { id: string };
    const rid = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    expect(await call('app.request', { cardId: card.id, message: request(rid, false) })).toMatchObject({ ok: true });
    const ack = await waitFor(card.id, (m) => m.kind === 'ack');
    expect(ack).toEqual({ kind: 'ack', requestId: rid, result: { kind: 'ok' } });

    expect(await call('app.request', { cardId: 'forged', message: request(rid, true) })).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    expect(await call('app.request', { cardId: card.id, message: toBase64Url(Uint8Array.of(1, 2, 3)) })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const before = messages.length;
    expect(await call('wallet.lock')).toMatchObject({ ok: true });
    expect((await call('cards.list')).value.cards).toMatchObject([{ id: card.id, online: false }]);
    expect(await call('app.request', { cardId: card.id, message: request(rid, true) })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await call('app.connect', { cardId: card.id })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(messages.length).toBe(before);

    // unlocking starts the node again from its database: a new session, a new report
    expect(await call('wallet.unlock', { password: PW })).toMatchObject({ ok: true });
    expect((await call('cards.list')).value.cards).toMatchObject([{ id: card.id, online: true }]);
    await waitFor(card.id, (m) => m.kind === 'report', before);
    const after = messages.length;
    expect(await call('app.connect', { cardId: card.id })).toMatchObject({ ok: true });
    await waitFor(card.id, (m) => m.kind === 'report', after);
  });

  it('removes a card by stopping its node and deleting its folder; closing the host stops the nodes', async () => {
    const { dir, h, call } = await openHost();
    await call('wallet.create', { password: PW });
    const keep = (await call('cards.create', { name: 'Keep' })).value.card as { id: string };
    const gone = (await call('cards.create', { name: 'Gone' })).value.card as { id: string };
    expect(await call('cards.remove', { cardId: gone.id })).toMatchObject({ ok: true });
    expect(existsSync(join(dir, CARDS_DIR, gone.id))).toBe(false);
    expect(existsSync(join(dir, CARDS_DIR, keep.id, NODE_DB_FILE))).toBe(true);
    await h.close();
    hosts.splice(hosts.indexOf(h), 1);
    // the node released its database: a new host opens it again
    const again = await openHost(dir);
    await again.call('wallet.unlock', { password: PW });
    expect((await again.call('cards.list')).value.cards).toMatchObject([{ id: keep.id, name: 'Keep', online: true }]);
    expect(again.internal).toEqual([]);
  });

  it('unlocks even when a card\'s database is missing, showing that card offline; a card without a folder gets one', async () => {
    const { dir, call, internal } = await openHost();
    await call('wallet.create', { password: PW });
    const broken = (await call('cards.create', { name: 'Broken' })).value.card as { id: string };
    const old = (await call('cards.create', { name: 'Old' })).value.card as { id: string };
    expect(await call('wallet.lock')).toMatchObject({ ok: true });
    rmSync(join(dir, CARDS_DIR, broken.id, NODE_DB_FILE));
    rmSync(join(dir, CARDS_DIR, old.id), { recursive: true }); // as a card made before cards had nodes
    expect(await call('wallet.unlock', { password: PW })).toMatchObject({ ok: true });
    expect((await call('cards.list')).value.cards).toMatchObject([
      { id: broken.id, online: false, problem: expect.stringMatching(/^The card's node did not start: /) }, { id: old.id, online: true, problem: null },
    ]);
    expect(existsSync(join(dir, CARDS_DIR, broken.id, NODE_DB_FILE))).toBe(false); // never silently replaced
    expect(existsSync(join(dir, CARDS_DIR, old.id, NODE_DB_FILE))).toBe(true);
    expect(internal).toHaveLength(1);
    expect(String(internal[0])).toContain(broken.id);
    expect(await call('app.connect', { cardId: broken.id })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await call('cli.enable', { cardId: broken.id, address: '127.0.0.1:0' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('lets the real stctrl reach a card of the running host, and stops it again', async () => {
    const { dir, call, waitFor } = await openHost();
    await call('wallet.create', { password: PW });
    const card = (await call('cards.create', { name: 'Cli' })).value.card as { id: string; publicKey: string };
    expect(await call('cli.enable', { cardId: card.id, address: 'nowhere' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await call('cli.enable', { cardId: 'forged', address: '127.0.0.1:0' })).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    const enabled = await call('cli.enable', { cardId: card.id, address: '127.0.0.1:0' });
    expect(enabled.ok).toBe(true);
    const access = enabled.value as { address: string; nodeTicket: string; appIdent: string; appTicket: string };
    const cliDir = join(dir, CARDS_DIR, card.id, 'cli');
    expect(access).toEqual({
      address: expect.stringMatching(/^127\.0\.0\.1:[1-9]\d*$/),
      nodeTicket: join(cliDir, 'node.ticket'),
      appIdent: join(cliDir, 'app.ident'),
      appTicket: join(cliDir, 'app.ticket'),
    });
    const ticket = parseNodeTicket(readFileSync(access.nodeTicket, 'utf8'));
    expect(ticket.ok && { address: ticket.value.address, key: toBase64Url(ticket.value.publicKey) }).toEqual({ address: access.address, key: card.publicKey });

    const args = ['-I', access.appIdent, '-T', access.nodeTicket];
    const [pk, friends] = await Promise.all([stctrl([...args, 'info', 'public-key']), stctrl([...args, 'info', 'friends'])]);
    expect(pk).toMatchObject({ code: 0, stdout: `${card.publicKey}\n` });
    expect(friends.code).toBe(0);
    expect(friends.stdout).toContain('No configured friends.');
    // the bridge side sees the same node: its report has the same key and no friends
    const report = await waitFor(card.id, (m) => m.kind === 'report');
    expect(report.kind === 'report' && { key: toBase64Url(report.report.localPublicKey), friends: report.report.friends.length }).toEqual({ key: card.publicKey, friends: 0 });

    // it stays on across lock and unlock, on the same address: the same tickets work
    expect(await call('wallet.lock')).toMatchObject({ ok: true });
    expect((await stctrl([...args, 'info', 'public-key'])).code).not.toBe(0);
    expect(await call('wallet.unlock', { password: PW })).toMatchObject({ ok: true });
    expect(await stctrl([...args, 'info', 'public-key'])).toMatchObject({ code: 0, stdout: `${card.publicKey}\n` });

    expect(await call('cli.disable', { cardId: card.id })).toMatchObject({ ok: true });
    const refused = await stctrl([...args, 'info', 'public-key']);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe('');
    // and off stays off
    expect(await call('wallet.lock')).toMatchObject({ ok: true });
    expect(await call('wallet.unlock', { password: PW })).toMatchObject({ ok: true });
    expect((await stctrl([...args, 'info', 'public-key'])).code).not.toBe(0);
  });
});

describe('card backups', () => {
  const BACKUP_PW = 'backup password!';
  const addRelay = (requestId: Uint8Array): string => toBase64Url(encode(appToNode, {
    requestId, request: { kind: 'add-relay', relay: { publicKey: new Uint8Array(32).fill(5), address: '127.0.0.1:9', name: 'kept relay' } },
  }));
  const backupDeps = { crypto: nodeBackend, kdf: nodeScryptKdf, random: seededRandom(3), cost: { logN: 4, r: 8, p: 1 } };

  it('carry a card with its node database into another wallet; the node keeps running while exporting', async () => {
    const from = await openHost();
    await from.call('wallet.create', { password: PW });
    const card = (await from.call('cards.create', { name: 'Travel' })).value.card as { id: string; publicKey: string };
    const rid = Uint8Array.from({ length: 16 }, (_, i) => 100 + i);
    expect(await from.call('app.request', { cardId: card.id, message: addRelay(rid) })).toMatchObject({ ok: true });
    await from.waitFor(card.id, (m) => m.kind === 'ack');
    expect(await from.call('cards.export', { cardId: card.id, password: 'short' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect((await from.call('cards.list')).value.cards).toMatchObject([{ id: card.id, backedUpAt: null }]);
    const before = Date.now();
    const exported = await from.call('cards.export', { cardId: card.id, password: BACKUP_PW });
    expect(exported).toMatchObject({ ok: true, value: { fileName: 'Travel.offset-card' } });
    // sealed, not yet saved: the renderer says when the file was saved
    expect((await from.call('cards.list')).value.cards).toMatchObject([{ id: card.id, backedUpAt: null }]);
    expect(await from.call('cards.backupSaved', { cardId: 'no-such-card' })).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    expect(await from.call('cards.backupSaved', { cardId: card.id })).toMatchObject({ ok: true });
    const listed = (await from.call('cards.list')).value.cards as Array<{ online: boolean; backedUpAt: number }>;
    expect(listed).toMatchObject([{ id: card.id, online: true }]);
    // the save is recorded in the vault (it survives a restart) and told to every window
    expect(listed[0]?.backedUpAt).toBeGreaterThanOrEqual(before);
    expect(JSON.parse(readFileSync(join(from.dir, 'wallet.json'), 'utf8')).cards[0].backedUpAt).toBe(listed[0]?.backedUpAt);
    expect(await from.call('wallet.lock')).toMatchObject({ ok: true });
    expect(await from.call('cards.export', { cardId: card.id, password: BACKUP_PW })).toMatchObject({ ok: false, error: { code: 'locked' } });

    const to = await openHost();
    await to.call('wallet.create', { password: 'another wallet password' });
    const file = { kind: 'backup', text: exported.value.text as string };
    expect(await to.call('cards.import', { name: 'Travel', file, password: 'wrong backup password' })).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
    expect(existsSync(join(to.dir, CARDS_DIR)) ? readdirSync(join(to.dir, CARDS_DIR)) : []).toEqual([]);
    const imported = await to.call('cards.import', { name: 'Trip', file, password: BACKUP_PW });
    expect(imported).toMatchObject({ ok: true, value: { card: { name: 'Trip', publicKey: card.publicKey, kind: 'local', online: true } } });
    const report = await to.waitFor(imported.value.card.id as string, (m) => m.kind === 'report');
    expect(report.kind === 'report' && report.report.relays.map((r) => r.name)).toEqual(['kept relay']);
    // the same card twice: refused, nothing changed
    const vaultBefore = readFileSync(join(to.dir, 'wallet.json'), 'utf8');
    expect(await to.call('cards.import', { name: 'Again', file, password: BACKUP_PW })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(readFileSync(join(to.dir, 'wallet.json'), 'utf8')).toBe(vaultBefore);
    expect(readdirSync(join(to.dir, CARDS_DIR))).toEqual([imported.value.card.id]);
    expect(from.internal).toEqual([]);
    expect(to.internal).toEqual([]);
  });

  it('refuses damaged files, a database of another card and an empty remote card file, leaving nothing behind', async () => {
    const h = await openHost();
    await h.call('wallet.create', { password: PW });
    const a = (await h.call('cards.create', { name: 'A' })).value.card as { id: string };
    const text = (await h.call('cards.export', { cardId: a.id, password: BACKUP_PW })).value.text as string;
    expect(await h.call('cards.remove', { cardId: a.id })).toMatchObject({ ok: true });
    const vaultBefore = readFileSync(join(h.dir, 'wallet.json'), 'utf8');
    const json = JSON.parse(text) as { sealed: string };
    const flipped = fromBase64Url(json.sealed) as Uint8Array;
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1;
    const tampered = JSON.stringify({ ...json, sealed: toBase64Url(flipped) });
    // a genuine seed with the database of card A: the store refuses to open it for that key
    const opened = await openCardBackup(backupDeps, text, BACKUP_PW);
    if (!opened.ok) throw new Error(opened.error.message);
    const seed = new Uint8Array(32).fill(77);
    const foreign = await sealCardBackup(backupDeps, BACKUP_PW, { ...opened.value, seed, publicKey: nodeBackend.ed25519PublicKey(seed) });
    if (!foreign.ok) throw new Error(foreign.error.message);
    for (const [file, code] of [
      [{ kind: 'backup', text: tampered }, 'wrong-password'],
      [{ kind: 'backup', text: 'not a backup' }, 'bad-input'],
      [{ kind: 'backup', text: foreign.value }, 'bad-input'],
      [{ kind: 'rcard', text: '' }, 'bad-input'],
    ] as const) {
      expect(await h.call('cards.import', { name: 'A', file, password: BACKUP_PW })).toMatchObject({ ok: false, error: { code } });
    }
    expect(await h.call('cards.import', { name: '  ', file: { kind: 'backup', text }, password: BACKUP_PW })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(readFileSync(join(h.dir, 'wallet.json'), 'utf8')).toBe(vaultBefore);
    expect(readdirSync(join(h.dir, CARDS_DIR))).toEqual([]);
    expect((await h.call('cards.list')).value.cards).toEqual([]);
    expect(await h.call('wallet.lock')).toMatchObject({ ok: true });
    expect(await h.call('cards.import', { name: 'A', file: { kind: 'backup', text }, password: BACKUP_PW })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await h.call('wallet.unlock', { password: PW })).toMatchObject({ ok: true });
    expect(await h.call('cards.import', { name: 'A', file: { kind: 'backup', text }, password: BACKUP_PW })).toMatchObject({ ok: true });
    expect(h.internal).toEqual([]);
  });
});
