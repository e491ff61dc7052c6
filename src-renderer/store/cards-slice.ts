/** Cards as the host reports them: the list, its loading state, and the wallet-level card actions.
 *  Mirrors the host; never invents a card (STYLE §11). */
import type { StateCreator } from 'zustand/vanilla';
import type { Bridge, BridgeError, CardView, Result } from '../../src-main/bridge.ts';
import type { AppState } from './app-store.ts';

export type LoadState = { readonly kind: 'idle' } | { readonly kind: 'loading' } | { readonly kind: 'ready' } | { readonly kind: 'failed'; readonly error: BridgeError };

export interface CardsSlice {
  readonly cards: readonly CardView[];
  readonly cardsLoad: LoadState;
  loadCards(): Promise<Result<void, BridgeError>>;
  createCard(name: string): Promise<Result<CardView, BridgeError>>;
  renameCard(cardId: string, name: string): Promise<Result<CardView, BridgeError>>;
  removeCard(cardId: string): Promise<Result<void, BridgeError>>;
}

const upsert = (cards: readonly CardView[], card: CardView): readonly CardView[] =>
  cards.some((c) => c.id === card.id) ? cards.map((c) => (c.id === card.id ? card : c)) : [...cards, card];

export const createCardsSlice = (bridge: Bridge): StateCreator<AppState, [], [], CardsSlice> => (set) => {
  bridge.onEvent('cards.changed', ({ cards }) => set({ cards, cardsLoad: { kind: 'ready' } }));
  return {
    cards: [],
    cardsLoad: { kind: 'idle' },
    async loadCards() {
      set({ cardsLoad: { kind: 'loading' } });
      const r = await bridge.call('cards.list', {});
      if (!r.ok) {
        set({ cardsLoad: { kind: 'failed', error: r.error } });
        return r;
      }
      set({ cards: r.value.cards, cardsLoad: { kind: 'ready' } });
      return { ok: true, value: undefined };
    },
    async createCard(name) {
      const r = await bridge.call('cards.create', { name });
      if (!r.ok) return r;
      set((s) => ({ cards: upsert(s.cards, r.value.card) }));
      return { ok: true, value: r.value.card };
    },
    async renameCard(cardId, name) {
      const r = await bridge.call('cards.rename', { cardId, name });
      if (!r.ok) return r;
      set((s) => ({ cards: upsert(s.cards, r.value.card) }));
      return { ok: true, value: r.value.card };
    },
    async removeCard(cardId) {
      const r = await bridge.call('cards.remove', { cardId });
      if (r.ok) set((s) => ({ cards: s.cards.filter((c) => c.id !== cardId) }));
      return r;
    },
  };
};
