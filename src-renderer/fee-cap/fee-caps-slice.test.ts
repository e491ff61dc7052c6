import { describe, expect, it } from 'vitest';
import { nobleBackend, seededRandom } from '../../src-core/crypto/index.ts';
import { createDispatcher, EventHub, inProcessTransport } from '../../src-main/dispatcher.ts';
import { nobleScryptKdf } from '../../src-main/kdf.node.ts';
import { EMPTY_VAULT } from '../../src-main/vault-file.ts';
import { createWalletHost } from '../../src-main/wallet-host.ts';
import { createBridgeClient } from '../bridge-client.ts';
import { createAppStore } from '../store/app-store.ts';

/** Two windows (stores) on one real in-process host (cards without node engines). */
async function twoWindows() {
  const events = new EventHub();
  const host = createWalletHost({
    vault: EMPTY_VAULT, save: async () => {}, events, crypto: nobleBackend, kdf: nobleScryptKdf, random: seededRandom(7), cost: { logN: 4, r: 8, p: 1 },
  });
  const transport = inProcessTransport(createDispatcher(host.handlers), events);
  const store = createAppStore(createBridgeClient(transport));
  const other = createAppStore(createBridgeClient(transport));
  expect((await store.getState().createPassword('fee caps password')).ok).toBe(true);
  const card = await store.getState().createCard('Buyer');
  if (!card.ok) throw new Error('no card');
  return { store, other, cardId: card.value.id };
}

describe('fee caps in the store', () => {
  it('are loaded when a card page opens, set and removed per currency, and reach the other window', async () => {
    const { store, other, cardId } = await twoWindows();
    expect(store.getState().feeCaps[cardId]).toBeUndefined();
    await store.getState().openCard(cardId); // no node here: the page fails, the caps still load
    await expect.poll(() => store.getState().feeCaps[cardId]).toEqual([]);
    expect(await store.getState().setFeeCap(cardId, 'FST', ' 3 ')).toEqual({ ok: true, value: undefined });
    expect(store.getState().feeCaps[cardId]).toEqual([{ currency: 'FST', cap: 3n }]);
    await expect.poll(() => other.getState().feeCaps[cardId]).toEqual([{ currency: 'FST', cap: 3n }]);
    expect(await store.getState().setFeeCap(cardId, 'FST', '2.5')).toMatchObject({ ok: false, error: expect.stringMatching(/^The fee cap: /) });
    expect(await store.getState().setFeeCap('nocard', 'FST', '1')).toMatchObject({ ok: false, error: expect.stringMatching(/There is no card/) });
    expect(store.getState().feeCaps[cardId]).toEqual([{ currency: 'FST', cap: 3n }]);
    expect(await store.getState().setFeeCap(cardId, 'FST', '')).toEqual({ ok: true, value: undefined });
    expect(store.getState().feeCaps[cardId]).toEqual([]);
    await expect.poll(() => other.getState().feeCaps[cardId]).toEqual([]);
  });
});
