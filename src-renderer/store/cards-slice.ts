/** Cards as the host reports them: the list, its loading state, and the wallet-level card actions.
 *  Mirrors the host; never invents a card (STYLE §11). */
import type { StateCreator } from 'zustand/vanilla';
import { MIN_PASSWORD_LENGTH, type AppTicketView, type Bridge, type BridgeError, type CardFile, type CardView, type Result } from '../../src-main/bridge.ts';
import type { AppState } from './app-store.ts';

export type LoadState = { readonly kind: 'idle' } | { readonly kind: 'loading' } | { readonly kind: 'ready' } | { readonly kind: 'failed'; readonly error: BridgeError };

export interface CardsSlice {
  readonly cards: readonly CardView[];
  readonly cardsLoad: LoadState;
  loadCards(): Promise<Result<void, BridgeError>>;
  createCard(name: string): Promise<Result<CardView, BridgeError>>;
  renameCard(cardId: string, name: string): Promise<Result<CardView, BridgeError>>;
  removeCard(cardId: string): Promise<Result<void, BridgeError>>;
  /** Adds a card from a backup (opened with its `password`) or a remote card file. */
  importCard(name: string, file: CardFile, password: string): Promise<Result<CardView, BridgeError>>;
  /** A backup of the card sealed under `password` (typed twice: `repeat`), as a file to save.
   *  Checked here first (length, both the same), so nothing is sent for a typo. Not yet a backup:
   *  see markBackupSaved. */
  exportCard(cardId: string, password: string, repeat: string): Promise<Result<BackupFile, BridgeError>>;
  /** The exported file was saved: the card counts as backed up from now (not when sealed); the
   *  host's `cards.changed` brings the card's new `backedUpAt`. */
  markBackupSaved(cardId: string): Promise<Result<void, BridgeError>>;
  /** Moves a command line node (its identity file's text and its database file) into the wallet. */
  importNode(name: string, ident: string, database: Uint8Array): Promise<Result<CardView, BridgeError>>;
  /** Lets an app with its own identity use the card through command line access: its app ticket's text. */
  trustAppTicket(cardId: string, name: string, ticket: string): Promise<Result<AppTicketView, BridgeError>>;
}

export interface BackupFile {
  readonly fileName: string;
  readonly text: string;
}

/** Why a backup password is not acceptable, or undefined when it is. */
export function checkBackupPassword(password: string, repeat: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `Choose a backup password of at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password !== repeat) return 'The two backup passwords are not the same.';
  return undefined;
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
    async importCard(name, file, password) {
      const r = await bridge.call('cards.import', { name, file, password });
      if (!r.ok) return r;
      set((s) => ({ cards: upsert(s.cards, r.value.card) }));
      return { ok: true, value: r.value.card };
    },
    async importNode(name, ident, database) {
      const r = await bridge.call('cards.importNode', { name, ident, database });
      if (!r.ok) return r;
      set((s) => ({ cards: upsert(s.cards, r.value.card) }));
      return { ok: true, value: r.value.card };
    },
    async trustAppTicket(cardId, name, ticket) {
      const r = await bridge.call('cli.tickets.trust', { cardId, name, ticket });
      return r.ok ? { ok: true, value: r.value.ticket } : r;
    },
    async exportCard(cardId, password, repeat) {
      const bad = checkBackupPassword(password, repeat);
      if (bad !== undefined) return { ok: false, error: { code: 'bad-input', message: bad } };
      return bridge.call('cards.export', { cardId, password });
    },
    markBackupSaved(cardId) {
      return bridge.call('cards.backupSaved', { cardId });
    },
    async removeCard(cardId) {
      const r = await bridge.call('cards.remove', { cardId });
      if (r.ok) set((s) => ({ cards: s.cards.filter((c) => c.id !== cardId) }));
      return r;
    },
  };
};
