/** INTERIM wallet host: cards kept in memory, until the node engine (issue 7) exists.
 *
 *  What is real here: the bridge contract, card ids, names, listing, rename, remove and the
 *  `cards.changed` event. What is NOT real yet: a card has no identity, database, friends or
 *  balances; import/export, lock/unlock/change password, command line access and app requests
 *  answer `unavailable`. docs/wallet.md lists the same. */
import { toBase64Url } from '../src-core/codec/index.ts';
import type { BridgeError, CardView } from './bridge.ts';
import type { BridgeHandlers, EventHub } from './dispatcher.ts';

export interface MemoryWalletOptions {
  readonly events: EventHub;
  /** Source of card ids; the host passes crypto randomness, tests may pass a seeded one. */
  readonly random: (n: number) => Uint8Array;
}

const unavailable = (what: string): { ok: false; error: BridgeError } => ({
  ok: false,
  error: { code: 'unavailable', message: `${what} needs the node engine, which this build does not have yet` },
});

/** Trims, and refuses names that are empty or contain control characters. */
export function checkCardName(raw: string): { ok: true; value: string } | { ok: false; error: BridgeError } {
  const name = raw.trim();
  if (name === '') return { ok: false, error: { code: 'bad-input', message: 'a card needs a name' } };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return { ok: false, error: { code: 'bad-input', message: 'a card name cannot contain control characters' } };
  return { ok: true, value: name };
}

export function createMemoryWallet(opts: MemoryWalletOptions): BridgeHandlers {
  const cards = new Map<string, CardView>();
  const list = (): CardView[] => [...cards.values()];
  const changed = (): void => opts.events.publish('cards.changed', { cards: list() });
  const unknownCard = (id: string): { ok: false; error: BridgeError } => ({
    ok: false,
    error: { code: 'unknown-card', message: `there is no card ${JSON.stringify(id)}` },
  });

  return {
    'cards.list': async () => ({ ok: true, value: { cards: list() } }),
    'cards.create': async ({ name }) => {
      const checked = checkCardName(name);
      if (!checked.ok) return checked;
      const card: CardView = { id: toBase64Url(opts.random(16)), name: checked.value, kind: 'local', online: false, balances: [] };
      cards.set(card.id, card);
      changed();
      return { ok: true, value: { card } };
    },
    'cards.rename': async ({ cardId, name }) => {
      const card = cards.get(cardId);
      if (card === undefined) return unknownCard(cardId);
      const checked = checkCardName(name);
      if (!checked.ok) return checked;
      const renamed = { ...card, name: checked.value };
      cards.set(cardId, renamed);
      changed();
      return { ok: true, value: { card: renamed } };
    },
    'cards.remove': async ({ cardId }) => {
      if (!cards.delete(cardId)) return unknownCard(cardId);
      changed();
      return { ok: true, value: undefined };
    },
    'cards.import': async () => unavailable('importing a card'),
    'cards.export': async ({ cardId }) => (cards.has(cardId) ? unavailable('exporting a card') : unknownCard(cardId)),
    'wallet.status': async () => ({ ok: true, value: { locked: false, hasPassword: false } }),
    'wallet.lock': async () => unavailable('locking the wallet'),
    'wallet.unlock': async () => unavailable('unlocking the wallet'),
    'wallet.changePassword': async () => unavailable('a wallet password'),
    'cli.enable': async ({ cardId }) => (cards.has(cardId) ? unavailable('command line access') : unknownCard(cardId)),
    'cli.disable': async ({ cardId }) => (cards.has(cardId) ? unavailable('command line access') : unknownCard(cardId)),
    'app.request': async ({ cardId }) => (cards.has(cardId) ? unavailable('the app protocol') : unknownCard(cardId)),
  };
}
