/** The open card's fee caps, kept by the host (`feeCaps.get` / `feeCaps.set`, and the
 *  `feeCaps.changed` event from any window), loaded when a card page opens. */
import type { StateCreator } from 'zustand/vanilla';
import type { Bridge, FeeCap, Result } from '../../src-main/bridge.ts';
import type { AppState } from '../store/app-store.ts';
import { parseFeeCap } from './fee-cap.ts';

export interface FeeCapsSlice {
  /** By card id; a card not listed has not been loaded (no cap is applied until it is). */
  readonly feeCaps: Readonly<Record<string, readonly FeeCap[]>>;
  loadFeeCaps(cardId: string): Promise<Result<void, string>>;
  /** Empty text removes the cap. */
  setFeeCap(cardId: string, currency: string, text: string): Promise<Result<void, string>>;
}

export const createFeeCapsSlice = (bridge: Bridge): StateCreator<AppState, [], [], FeeCapsSlice> => (set, get, api) => {
  const put = (cardId: string, caps: readonly FeeCap[]): void => set({ feeCaps: { ...get().feeCaps, [cardId]: caps } });
  bridge.onEvent('feeCaps.changed', ({ cardId, caps }) => put(cardId, caps));
  api.subscribe((state, prev) => {
    const s = state.cardSession;
    if (s.kind === 'connecting' && (prev.cardSession.kind !== 'connecting' || prev.cardSession.cardId !== s.cardId)) void state.loadFeeCaps(s.cardId);
  });
  return {
    feeCaps: {},
    async loadFeeCaps(cardId) {
      const r = await bridge.call('feeCaps.get', { cardId });
      if (!r.ok) return { ok: false, error: r.error.message };
      put(cardId, r.value.caps);
      return { ok: true, value: undefined };
    },
    async setFeeCap(cardId, currency, text) {
      const cap = parseFeeCap(text, currency);
      if (!cap.ok) return cap;
      const r = await bridge.call('feeCaps.set', { cardId, currency, cap: cap.value });
      if (!r.ok) return { ok: false, error: `The wallet did not keep the cap: ${r.error.message}` };
      return get().loadFeeCaps(cardId);
    },
  };
};
