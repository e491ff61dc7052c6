import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWalletHost } from '../../src-main/host.node.ts';
import { nobleBackend, seededRandom } from '../../src-core/crypto/index.ts';
import { createDispatcher, EventHub, inProcessTransport } from '../../src-main/dispatcher.ts';
import { nobleScryptKdf } from '../../src-main/kdf.node.ts';
import { EMPTY_VAULT } from '../../src-main/vault-file.ts';
import { createWalletHost } from '../../src-main/wallet-host.ts';
import { createBridgeClient } from '../bridge-client.ts';
import { createAppStore } from './app-store.ts';

const PW = 'store password';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A real host with node engines on a temp folder (backups need a node database). */
async function engineHost() {
  const tmp = mkdtempSync(join(tmpdir(), 'offset-cards-slice-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const h = await openWalletHost(join(tmp, 'data'), (e) => { throw e; }, { cost: { logN: 4, r: 8, p: 1 } });
  cleanups.push(() => h.close());
  const store = createAppStore(createBridgeClient(inProcessTransport(h.dispatcher, h.events)));
  expect((await store.getState().createPassword(PW)).ok).toBe(true);
  return store;
}

/** A real in-process wallet host (vault kept in memory) behind the real bridge codec. */
function setup() {
  const events = new EventHub();
  const host = createWalletHost({
    vault: EMPTY_VAULT, save: async () => {}, events, crypto: nobleBackend, kdf: nobleScryptKdf, random: seededRandom(5), cost: { logN: 4, r: 8, p: 1 },
  });
  const transport = inProcessTransport(createDispatcher(host.handlers), events);
  const store = createAppStore(createBridgeClient(transport));
  const other = createAppStore(createBridgeClient(transport));
  return { store, other };
}

async function unlocked() {
  const s = setup();
  expect(await s.store.getState().createPassword(PW)).toEqual({ ok: true, value: undefined });
  return s;
}

describe('wallet slice', () => {
  it('follows the host from first run to unlocked, locked and unlocked again', async () => {
    const { store, other } = setup();
    expect(store.getState().wallet).toBeUndefined();
    await store.getState().loadWallet();
    expect(store.getState().wallet).toEqual({ locked: true, hasPassword: false });
    await store.getState().createPassword(PW);
    expect(store.getState().wallet).toEqual({ locked: false, hasPassword: true });
    expect(other.getState().wallet).toEqual({ locked: false, hasPassword: true });
    await store.getState().lock();
    expect(store.getState().wallet).toEqual({ locked: true, hasPassword: true });
    expect(await store.getState().unlock('not the password')).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
    expect(store.getState().wallet).toEqual({ locked: true, hasPassword: true });
    await store.getState().unlock(PW);
    expect(store.getState().wallet).toEqual({ locked: false, hasPassword: true });
  });
});

describe('cards slice', () => {
  it('loads the empty card list from the host', async () => {
    const { store } = setup();
    expect(store.getState().cardsLoad).toEqual({ kind: 'idle' });
    expect(await store.getState().loadCards()).toEqual({ ok: true, value: undefined });
    expect(store.getState()).toMatchObject({ cards: [], cardsLoad: { kind: 'ready' } });
  });

  it('creates a card and every window sees it through the host event', async () => {
    const { store, other } = await unlocked();
    const r = await store.getState().createCard('Groceries');
    expect(r.ok).toBe(true);
    expect(store.getState().cards.map((c) => c.name)).toEqual(['Groceries']);
    expect(other.getState().cards.map((c) => c.name)).toEqual(['Groceries']);
  });

  it('keeps the list unchanged when the host refuses', async () => {
    const { store } = setup();
    expect(await store.getState().createCard('A')).toMatchObject({ ok: false, error: { code: 'locked' } });
    await store.getState().createPassword(PW);
    await store.getState().createCard('A');
    const before = store.getState().cards;
    expect(await store.getState().createCard('   ')).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await store.getState().createCard('x'.repeat(65))).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    expect(await store.getState().removeCard('nope')).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    expect(store.getState().cards).toBe(before);
  });

  it('renames and removes a card', async () => {
    const { store } = await unlocked();
    const created = await store.getState().createCard('A');
    if (!created.ok) throw new Error('create failed');
    await store.getState().renameCard(created.value.id, 'B');
    expect(store.getState().cards.map((c) => c.name)).toEqual(['B']);
    await store.getState().removeCard(created.value.id);
    expect(store.getState().cards).toEqual([]);
  });

  it('reports a failed load when the host is gone', async () => {
    const broken = createAppStore(createBridgeClient({ call: () => Promise.reject(new Error('closed')), onEvent: () => () => {} }));
    expect(await broken.getState().loadCards()).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    expect(broken.getState().cardsLoad).toMatchObject({ kind: 'failed', error: { code: 'disconnected' } });
  });
});

describe('cards slice: backups', () => {
  it('exports a backup (recorded as backedUpAt once saved), and imports it again with its password only', async () => {
    const store = await engineHost();
    const made = await store.getState().createCard('Travel');
    if (!made.ok) throw new Error(made.error.message);
    const card = made.value;
    expect(card.backedUpAt).toBeNull();
    // checked before anything is sent
    expect(await store.getState().exportCard(card.id, 'short', 'short')).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringMatching(/at least 8/) } });
    expect(await store.getState().exportCard(card.id, 'backup password', 'backup passwort')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not the same/) } });
    expect(store.getState().cards[0]?.backedUpAt).toBeNull();
    const exported = await store.getState().exportCard(card.id, 'backup password', 'backup password');
    if (!exported.ok) throw new Error(exported.error.message);
    expect(exported.value.fileName).toBe('Travel.offset-card');
    // sealed is not saved: a cancelled save dialog must leave the card "not backed up"
    expect(store.getState().cards[0]?.backedUpAt).toBeNull();
    expect(await store.getState().markBackupSaved(card.id)).toEqual({ ok: true, value: undefined });
    expect(store.getState().cards[0]?.backedUpAt).toEqual(expect.any(Number));

    expect((await store.getState().removeCard(card.id)).ok).toBe(true);
    const file = { kind: 'backup' as const, text: exported.value.text };
    expect(await store.getState().importCard('Travel', file, 'wrong password')).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
    expect(store.getState().cards).toEqual([]);
    const back = await store.getState().importCard('Travel again', file, 'backup password');
    expect(back).toMatchObject({ ok: true, value: { name: 'Travel again', publicKey: card.publicKey, kind: 'local' } });
    expect(store.getState().cards.map((c) => c.publicKey)).toEqual([card.publicKey]);
  });
});

describe('ui slice', () => {
  it('switches the theme', () => {
    const { store } = setup();
    expect(store.getState().theme).toBe('system');
    store.getState().setTheme('dark');
    expect(store.getState().theme).toBe('dark');
  });
});
