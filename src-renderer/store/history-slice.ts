/** The open card's history: the node's history rows, read with query-history through the card's
 *  AppClient, page by page (newest first) up to MAX_HISTORY_ROWS. Reloaded when the History tab
 *  opens and on request; rows are the node's, never recomputed here. */
import type { StateCreator } from 'zustand/vanilla';
import type { HistoryCursor, HistoryEntry } from '../../src-core/app/index.ts';
import type { AppState } from './app-store.ts';

/** Enough for the screen and its CSV; older rows stay in the node (statements read by period). */
export const MAX_HISTORY_ROWS = 5000;
const PAGE_ROWS = 256;

export type HistoryView =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading'; readonly cardId: string }
  | { readonly kind: 'loaded'; readonly cardId: string; readonly rows: readonly HistoryEntry[]; readonly truncated: boolean }
  | { readonly kind: 'failed'; readonly cardId: string; readonly message: string };

export interface HistorySlice {
  readonly history: HistoryView;
  loadHistory(): Promise<void>;
}

export const createHistorySlice = (): StateCreator<AppState, [], [], HistorySlice> => (set, get) => {
  let generation = 0;
  return {
    history: { kind: 'idle' },
    async loadHistory() {
      const s = get().cardSession;
      const client = get().cardClient();
      if (s.kind !== 'open' || client === undefined) {
        set({ history: { kind: 'idle' } });
        return;
      }
      const mine = ++generation;
      const cardId = s.cardId;
      set({ history: { kind: 'loading', cardId } });
      const rows: HistoryEntry[] = [];
      let cursor: HistoryCursor | undefined;
      try {
        for (;;) {
          const page = await client.queryHistory({ order: 'desc', limit: PAGE_ROWS, cursor });
          rows.push(...page.rows);
          cursor = page.next;
          if (cursor === undefined || rows.length >= MAX_HISTORY_ROWS) break;
        }
      } catch (e) {
        if (mine === generation) set({ history: { kind: 'failed', cardId, message: `The card did not give its history: ${e instanceof Error ? e.message : String(e)}` } });
        return;
      }
      if (mine === generation) set({ history: { kind: 'loaded', cardId, rows: rows.slice(0, MAX_HISTORY_ROWS), truncated: cursor !== undefined } });
    },
  };
};
