/** The `offset:` link being opened (links/link-model.ts): from the paste box, the page address's
 *  `#offset:…` (browser mode) or the host's `link.open` event (Electron's protocol handler).
 *  A link waits on the cards screen (`link`) until the person picks a card; then it belongs to that
 *  card's page (`cardLink`), which opens on the link's tab. */
import type { StateCreator } from 'zustand/vanilla';
import type { Bridge, Result } from '../../src-main/bridge.ts';
import type { AppState } from '../store/app-store.ts';
import { LINK_TAB, type LinkTarget, parseOffsetLink } from './link-model.ts';

export interface CardLink {
  readonly cardId: string;
  readonly target: Extract<LinkTarget, { kind: 'invoice' | 'commit' | 'friend' }>;
  readonly tab: string;
  /** Why the link could not be used on the card (an expired invoice, no route…). */
  readonly problem?: string;
}

export interface LinksSlice {
  readonly link: LinkTarget | undefined;
  readonly cardLink: CardLink | undefined;
  /** Reads a link; the cards screen then shows what it is (an open card page closes). */
  openLink(text: string): Result<LinkTarget, string>;
  /** Opens the chosen card's page on the link's tab; an invoice is quoted on its Pay tab. */
  openLinkWithCard(cardId: string): Promise<void>;
  dismissLink(): void;
}

export const createLinksSlice = (bridge: Bridge): StateCreator<AppState, [], [], LinksSlice> => (set, get, api) => {
  bridge.onEvent('link.open', ({ link }) => {
    get().openLink(link);
  });
  // leaving the card page ends what the link asked of it
  api.subscribe((state, prev) => {
    if (state.cardSession.kind === 'closed' && prev.cardSession.kind !== 'closed' && state.cardLink !== undefined) set({ cardLink: undefined });
  });
  return {
    link: undefined,
    cardLink: undefined,
    openLink(text) {
      const r = parseOffsetLink(text);
      if (!r.ok) return r;
      set({ link: r.value, cardLink: undefined });
      if (get().cardSession.kind !== 'closed') get().closeCard();
      return r;
    },
    async openLinkWithCard(cardId) {
      const t = get().link;
      if (t === undefined || t.kind === 'receipt' || t.kind === 'rcard') return;
      set({ link: undefined, cardLink: { cardId, target: t, tab: LINK_TAB[t.kind] } });
      await get().openCard(cardId);
      const s = get().cardSession;
      if (t.kind !== 'invoice' || s.kind !== 'open' || s.cardId !== cardId) return;
      const r = await get().readInvoiceToPay(t.text);
      const now = get().cardLink;
      if (!r.ok && now?.target === t) set({ cardLink: { ...now, problem: r.error } });
    },
    dismissLink() {
      set({ link: undefined, cardLink: undefined });
    },
  };
};
