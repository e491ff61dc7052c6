import { describe, expect, it } from 'vitest';
import { nobleBackend, seededRandom } from '../../src-core/crypto/index.ts';
import { formatQrPayload } from '../../src-core/files/index.ts';
import { createDispatcher, EventHub, inProcessTransport } from '../../src-main/dispatcher.ts';
import { nobleScryptKdf } from '../../src-main/kdf.node.ts';
import { EMPTY_VAULT } from '../../src-main/vault-file.ts';
import { createWalletHost } from '../../src-main/wallet-host.ts';
import { createBridgeClient } from '../bridge-client.ts';
import { createAppStore } from '../store/app-store.ts';

const friendLink = formatQrPayload({ kind: 'friend', friend: { publicKey: new Uint8Array(32).fill(3), relays: [], name: 'Bob' } });

async function window() {
  const events = new EventHub();
  const host = createWalletHost({
    vault: EMPTY_VAULT, save: async () => {}, events, crypto: nobleBackend, kdf: nobleScryptKdf, random: seededRandom(9), cost: { logN: 4, r: 8, p: 1 },
  });
  const store = createAppStore(createBridgeClient(inProcessTransport(createDispatcher(host.handlers), events)));
  expect((await store.getState().createPassword('links password')).ok).toBe(true);
  return { store, events };
}

describe('opening offset: links in the store', () => {
  it('takes a link from the host (Electron protocol handler), then the chosen card page opens on its tab', async () => {
    const { store, events } = await window();
    const card = await store.getState().createCard('Main');
    if (!card.ok) throw new Error('no card');
    events.publish('link.open', { link: friendLink }); // what electron-main forwards
    await expect.poll(() => store.getState().link?.kind).toBe('friend');
    await store.getState().openLinkWithCard(card.value.id);
    expect(store.getState().link).toBeUndefined();
    expect(store.getState().cardLink).toMatchObject({ cardId: card.value.id, tab: 'friends', target: { kind: 'friend' } });
    expect(store.getState().cardSession.kind).not.toBe('closed');
    store.getState().closeCard(); // back to all cards: the link is done with
    expect(store.getState().cardLink).toBeUndefined();
    store.getState().openLink(friendLink);
    store.getState().dismissLink();
    expect(store.getState().link).toBeUndefined();
  });

  it('refuses a bad link and keeps what was there', async () => {
    const { store } = await window();
    expect(store.getState().openLink(friendLink).ok).toBe(true);
    expect(store.getState().openLink('offset:friend:AAAA')).toMatchObject({ ok: false, error: expect.stringMatching(/cannot be read/) });
    expect(store.getState().link?.kind).toBe('friend');
  });
});
