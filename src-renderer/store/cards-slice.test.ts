import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src-core/crypto/index.ts';
import { createDispatcher, EventHub, inProcessTransport } from '../../src-main/dispatcher.ts';
import { createMemoryWallet } from '../../src-main/memory-wallet.ts';
import { createBridgeClient } from '../bridge-client.ts';
import { createAppStore } from './app-store.ts';

/** A real in-process host (dispatcher + interim memory wallet) behind the real bridge codec. */
function setup() {
  const events = new EventHub();
  const dispatcher = createDispatcher(createMemoryWallet({ events, random: seededRandom(5) }));
  const transport = inProcessTransport(dispatcher, events);
  const store = createAppStore(createBridgeClient(transport));
  const other = createAppStore(createBridgeClient(transport));
  return { store, other, transport };
}

describe('cards slice', () => {
  it('loads the empty card list from the host', async () => {
    const { store } = setup();
    expect(store.getState().cardsLoad).toEqual({ kind: 'idle' });
    expect(await store.getState().loadCards()).toEqual({ ok: true, value: undefined });
    expect(store.getState()).toMatchObject({ cards: [], cardsLoad: { kind: 'ready' } });
  });

  it('creates a card and every window sees it through the host event', async () => {
    const { store, other } = setup();
    const r = await store.getState().createCard('Groceries');
    expect(r.ok).toBe(true);
    expect(store.getState().cards.map((c) => c.name)).toEqual(['Groceries']);
    expect(other.getState().cards.map((c) => c.name)).toEqual(['Groceries']);
  });

  it('keeps the list unchanged when the host refuses a name', async () => {
    const { store } = setup();
    await store.getState().createCard('A');
    const before = store.getState().cards;
    expect(await store.getState().createCard('   ')).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await store.getState().createCard('x'.repeat(65))).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    expect(store.getState().cards).toBe(before);
  });

  it('renames and removes a card', async () => {
    const { store } = setup();
    const created = await store.getState().createCard('A');
    if (!created.ok) throw new Error('create failed');
    await store.getState().renameCard(created.value.id, 'B');
    expect(store.getState().cards.map((c) => c.name)).toEqual(['B']);
    await store.getState().removeCard(created.value.id);
    expect(store.getState().cards).toEqual([]);
  });

  it('reports an unknown card without changing the list', async () => {
    const { store } = setup();
    await store.getState().createCard('A');
    const before = store.getState().cards;
    expect(await store.getState().removeCard('nope')).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    expect(store.getState().cards).toBe(before);
  });

  it('reports a failed load when the host is gone', async () => {
    const broken = createAppStore(createBridgeClient({ call: () => Promise.reject(new Error('closed')), onEvent: () => () => {} }));
    expect(await broken.getState().loadCards()).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    expect(broken.getState().cardsLoad).toMatchObject({ kind: 'failed', error: { code: 'disconnected' } });
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
