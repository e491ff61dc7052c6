import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromBase64Url } from '../src-core/codec/index.ts';
import { seededRandom } from '../src-core/crypto/index.ts';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { createDispatcher, EventHub } from './dispatcher.ts';
import { nodeScryptKdf } from './kdf.node.ts';
import { fileVaultStorage, loadVault } from './vault-storage.node.ts';
import { decodeVault, encodeVault, type Vault } from './vault-file.ts';
import { createWalletHost } from './wallet-host.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Answer = Record<string, unknown> & { ok?: boolean; value?: unknown; error?: { code: string } };

/** A real host on a vault file in a temp dir; `seed` varies the randomness. */
async function openHost(path?: string, save?: (v: Vault) => Promise<void>, seed = 3) {
  const file = path ?? join(mkdtempSync(join(tmpdir(), 'offset-wallet-')), 'wallet.json');
  if (path === undefined) dirs.push(join(file, '..'));
  const events = new EventHub();
  const seen: Array<{ name: string; payload: unknown }> = [];
  events.subscribe((m) => seen.push(JSON.parse(m) as { name: string; payload: unknown }));
  const host = createWalletHost({
    vault: await loadVault(file),
    save: save ?? fileVaultStorage(file).save,
    events,
    crypto: nodeBackend,
    kdf: nodeScryptKdf,
    random: seededRandom(seed),
    cost: { logN: 4, r: 8, p: 1 },
  });
  const dispatcher = createDispatcher(host.handlers);
  let id = 0;
  const call = async (name: string, args: unknown = {}): Promise<Answer> => JSON.parse(await dispatcher.handle(JSON.stringify({ id: ++id, name, args }))) as Answer;
  return { file, host, call, seen, dispatcher };
}

const PW = 'correct horse battery';

describe('wallet host: password and lock', () => {
  it('starts without a password, then is unlocked by setting one', async () => {
    const h = await openHost();
    expect((await h.call('wallet.status')).value).toEqual({ locked: true, hasPassword: false });
    expect(await h.call('cards.create', { name: 'A' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await h.call('wallet.create', { password: 'short' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await h.call('wallet.create', { password: PW })).toMatchObject({ ok: true });
    expect((await h.call('wallet.status')).value).toEqual({ locked: false, hasPassword: true });
    expect(h.seen).toEqual([{ kind: 'event', name: 'wallet.changed', payload: { locked: false, hasPassword: true } }]);
    expect(await h.call('wallet.create', { password: PW })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });

  it('locks, refuses a wrong password without changing anything, and unlocks', async () => {
    const h = await openHost();
    await h.call('wallet.create', { password: PW });
    await h.call('cards.create', { name: 'A' });
    await h.call('wallet.lock');
    const before = readFileSync(h.file, 'utf8');
    expect(await h.call('cards.create', { name: 'B' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await h.call('wallet.unlock', { password: 'wrong password' })).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
    expect((await h.call('wallet.status')).value).toEqual({ locked: true, hasPassword: true });
    expect(readFileSync(h.file, 'utf8')).toBe(before);
    // no lock-out: the right password still works after a wrong one
    expect(await h.call('wallet.unlock', { password: PW })).toMatchObject({ ok: true });
    expect((await h.call('cards.list')).value).toMatchObject({ cards: [{ name: 'A' }] });
  });

  it('changes the password; the old one stops working and the cards stay', async () => {
    const h = await openHost();
    await h.call('wallet.create', { password: PW });
    await h.call('cards.create', { name: 'A' });
    expect(await h.call('wallet.changePassword', { oldPassword: 'nope nope', newPassword: 'new password 1' })).toMatchObject({ error: { code: 'wrong-password' } });
    expect(await h.call('wallet.changePassword', { oldPassword: PW, newPassword: 'x' })).toMatchObject({ error: { code: 'bad-input' } });
    expect(await h.call('wallet.changePassword', { oldPassword: PW, newPassword: 'new password 1' })).toMatchObject({ ok: true });
    const again = await openHost(h.file);
    expect(await again.call('wallet.unlock', { password: PW })).toMatchObject({ error: { code: 'wrong-password' } });
    expect(await again.call('wallet.unlock', { password: 'new password 1' })).toMatchObject({ ok: true });
    expect((await again.call('cards.list')).value).toMatchObject({ cards: [{ name: 'A' }] });
  });
});

describe('wallet host: cards and their keys', () => {
  it('keeps cards across restarts, locked, with seeds only the password opens', async () => {
    const h = await openHost();
    await h.call('wallet.create', { password: PW });
    const created = (await h.call('cards.create', { name: '  Groceries ' })).value as { card: { id: string; name: string; publicKey: string } };
    expect(created.card.name).toBe('Groceries');
    const text = readFileSync(h.file, 'utf8');
    const seed = h.host.cardSeed(created.card.id) as Uint8Array;
    expect(nodeBackend.ed25519PublicKey(seed)).toEqual(fromBase64Url(created.card.publicKey));
    expect(text).not.toContain(Buffer.from(seed).toString('base64url')); // the seed is never stored in clear

    const again = await openHost(h.file, undefined, 99);
    expect((await again.call('wallet.status')).value).toEqual({ locked: true, hasPassword: true });
    expect((await again.call('cards.list')).value).toEqual({ cards: [created.card].map((c) => ({ ...c, kind: 'local', online: false, balances: [] })) });
    expect(again.host.cardSeed(created.card.id)).toBeUndefined();
    await again.call('wallet.unlock', { password: PW });
    expect(again.host.cardSeed(created.card.id)).toEqual(seed);
  });

  it('renames and removes cards, and tells every listener', async () => {
    const h = await openHost();
    await h.call('wallet.create', { password: PW });
    const id = ((await h.call('cards.create', { name: 'A' })).value as { card: { id: string } }).card.id;
    expect(await h.call('cards.rename', { cardId: id, name: 'B' })).toMatchObject({ ok: true, value: { card: { id, name: 'B' } } });
    expect(await h.call('cards.remove', { cardId: id })).toMatchObject({ ok: true, value: null });
    expect((await openHost(h.file)).host.cardSeed(id)).toBeUndefined();
    expect(h.seen.filter((e) => e.name === 'cards.changed').map((e) => e.payload)).toMatchObject([
      { cards: [{ name: 'A' }] }, { cards: [{ name: 'B' }] }, { cards: [] },
    ]);
  });

  it('rejects a forged card id and changes nothing', async () => {
    const h = await openHost();
    await h.call('wallet.create', { password: PW });
    await h.call('cards.create', { name: 'A' });
    const before = readFileSync(h.file, 'utf8');
    for (const name of ['cards.remove', 'cli.disable']) {
      expect(await h.call(name, { cardId: 'forged' })).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    }
    expect(await h.call('cards.export', { cardId: 'forged', password: PW })).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    expect(await h.call('cards.rename', { cardId: 'forged', name: 'B' })).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    expect(await h.call('app.request', { cardId: 'forged', message: '' })).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    expect(readFileSync(h.file, 'utf8')).toBe(before);
  });

  it('rejects malformed messages and bad names and changes nothing', async () => {
    const h = await openHost();
    await h.call('wallet.create', { password: PW });
    const before = readFileSync(h.file, 'utf8');
    expect(JSON.parse(await h.dispatcher.handle('{not json'))).toMatchObject({ id: null, ok: false, error: { code: 'bad-message' } });
    expect(JSON.parse(await h.dispatcher.handle({ id: 1 }))).toMatchObject({ id: null, ok: false, error: { code: 'bad-message' } });
    expect(await h.call('cards.create', { name: 'A', extra: 1 })).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    expect(await h.call('cards.create', { name: '   ' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await h.call('cards.create', { name: 'a\u0007b' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(readFileSync(h.file, 'utf8')).toBe(before);
  });

  it('leaves the wallet as it was when saving fails', async () => {
    let failing = false;
    const dir = mkdtempSync(join(tmpdir(), 'offset-wallet-'));
    dirs.push(dir);
    const file = join(dir, 'wallet.json');
    const storage = fileVaultStorage(file);
    const h = await openHost(file, async (v) => {
      if (failing) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      await storage.save(v);
    });
    await h.call('wallet.create', { password: PW });
    failing = true;
    expect(await h.call('cards.create', { name: 'A' })).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect((await h.call('cards.list')).value).toEqual({ cards: [] });
    expect(h.seen.filter((e) => e.name === 'cards.changed')).toEqual([]);
  });

  it('answers unavailable for what needs a node engine when it has none (import/export: always)', async () => {
    const h = await openHost();
    await h.call('wallet.create', { password: PW });
    const id = ((await h.call('cards.create', { name: 'A' })).value as { card: { id: string } }).card.id;
    expect(await h.call('cards.import', { name: 'x', file: { kind: 'rcard', text: '' }, password: '' })).toMatchObject({ error: { code: 'unavailable' } });
    expect(await h.call('cards.export', { cardId: id, password: PW })).toMatchObject({ error: { code: 'unavailable' } });
    expect(await h.call('cli.enable', { cardId: id, address: '127.0.0.1:0' })).toMatchObject({ error: { code: 'unavailable' } });
    expect(await h.call('app.connect', { cardId: id })).toMatchObject({ error: { code: 'unavailable' } });
    expect(await h.call('app.connect', { cardId: 'forged' })).toMatchObject({ error: { code: 'unknown-card' } });
  });
});

describe('vault file', () => {
  it('opens a file from before backups were recorded (no backedUpAt) and keeps remote cards', () => {
    const sealed = { nonce: 'AAAAAAAAAAAAAAAA', sealed: 'AQID' };
    const lock = { kdf: { kind: 'scrypt', logN: 4, r: 8, p: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA' }, walletKey: sealed };
    const key = 'A'.repeat(43);
    const old = { version: 1, lock, cards: [{ id: 'c1', name: 'Old', kind: 'local', publicKey: key, seed: sealed }] };
    const opened = decodeVault(JSON.stringify(old));
    expect(opened).toMatchObject({ ok: true, value: { cards: [{ id: 'c1', kind: 'local', backedUpAt: null }] } });
    const remote = { id: 'r1', name: 'Shop', kind: 'remote', publicKey: key, address: '127.0.0.1:4000', appKey: sealed };
    const both = decodeVault(JSON.stringify({ ...old, cards: [...old.cards, remote] }));
    if (!both.ok) throw new Error(both.error);
    expect(decodeVault(encodeVault(both.value))).toEqual(both);
    expect(both.value.cards[1]).toMatchObject({ kind: 'remote', address: '127.0.0.1:4000' });
    for (const bad of [{ ...remote, address: 'no port' }, { ...remote, appKey: undefined }, { ...remote, seed: sealed }, { ...remote, kind: 'other' }]) {
      expect(decodeVault(JSON.stringify({ ...old, cards: [bad] }))).toMatchObject({ ok: false });
    }
  });

  it('refuses to open a damaged file rather than overwrite it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offset-wallet-'));
    dirs.push(dir);
    const file = join(dir, 'wallet.json');
    for (const text of ['{', '{"version":2,"lock":null,"cards":[]}', '{"version":1,"lock":null,"cards":[],"x":1}']) {
      writeFileSync(file, text);
      await expect(loadVault(file)).rejects.toThrow(/wallet/);
    }
  });
});
