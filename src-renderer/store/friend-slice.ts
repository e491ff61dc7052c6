/** The friend page of the open card: which friend it shows, and the requests it sends (through
 *  the card slice's session). Input is checked before anything is sent (friend/friend-actions.ts);
 *  the node applies a request whole or not at all, so a refusal changes nothing. */
import type { StateCreator } from 'zustand/vanilla';
import type { AppRequest, FriendReport } from '../../src-core/app/index.ts';
import { toBase64Url } from '../../src-core/codec/index.ts';
import type { Result } from '../../src-main/bridge.ts';
import {
  addCurrencyRequest, rateRequest, relaysRequest, removalCheck, removeCurrencyRequest, renameRequest, resetRequest,
} from '../friend/friend-actions.ts';
import type { AppState } from './app-store.ts';
import type { CardResult } from './card-slice.ts';

export interface FriendSlice {
  /** The friend whose page is open: the card and the friend's public key (base64url). */
  readonly openFriend: { readonly cardId: string; readonly key: string } | undefined;
  showFriend(publicKey: Uint8Array | undefined): void;
  renameFriend(publicKey: Uint8Array, name: string): Promise<CardResult>;
  /** The friend's relays from its newer friend file (it moved to other relays). */
  updateFriendRelays(publicKey: Uint8Array, fileText: string): Promise<CardResult>;
  setFriendRate(publicKey: Uint8Array, currency: string, percent: string, add: string): Promise<CardResult>;
  addFriendCurrency(publicKey: Uint8Array, currency: string): Promise<CardResult>;
  removeFriendCurrency(publicKey: Uint8Array, currency: string): Promise<CardResult>;
  resetFriendChannel(publicKey: Uint8Array): Promise<CardResult>;
  removeFriend(publicKey: Uint8Array): Promise<CardResult>;
}

/** The open card's friend with this key, if the card is open and has it. */
export function friendOf(s: AppState, publicKey: Uint8Array | string): FriendReport | undefined {
  if (s.cardSession.kind !== 'open') return undefined;
  const k = typeof publicKey === 'string' ? publicKey : toBase64Url(publicKey);
  return s.cardSession.report.friends.find((f) => toBase64Url(f.publicKey) === k);
}

/** The friend whose page is open, while its card is open and still has it. */
export function openFriendReport(s: AppState): FriendReport | undefined {
  const o = s.openFriend;
  if (o === undefined || s.cardSession.kind !== 'open' || s.cardSession.cardId !== o.cardId) return undefined;
  return friendOf(s, o.key);
}

export const createFriendSlice = (): StateCreator<AppState, [], [], FriendSlice> => (set, get) => {
  async function withFriend(publicKey: Uint8Array, build: (f: FriendReport) => Result<AppRequest, string>): Promise<CardResult> {
    const f = friendOf(get(), publicKey);
    if (f === undefined) return { ok: false, error: 'This friend is no longer on this card.' };
    const r = build(f);
    if (!r.ok) return r;
    return get().cardRequest(r.value);
  }
  return {
    openFriend: undefined,
    showFriend(publicKey) {
      const s = get().cardSession;
      if (publicKey === undefined || s.kind !== 'open') set({ openFriend: undefined });
      else set({ openFriend: { cardId: s.cardId, key: toBase64Url(publicKey) } });
    },
    renameFriend: (k, name) => withFriend(k, (f) => renameRequest(f, name)),
    updateFriendRelays: (k, fileText) => withFriend(k, (f) => relaysRequest(f, fileText)),
    setFriendRate: (k, currency, percent, add) => withFriend(k, (f) => rateRequest(f, currency, percent, add)),
    addFriendCurrency: (k, currency) => withFriend(k, (f) => addCurrencyRequest(f, currency)),
    removeFriendCurrency: (k, currency) => withFriend(k, (f) => removeCurrencyRequest(f, currency)),
    resetFriendChannel: (k) => withFriend(k, resetRequest),
    async removeFriend(k) {
      const r = await withFriend(k, (f) => {
        const check = removalCheck(f);
        if (check.kind === 'refused') return { ok: false, error: check.reason };
        return { ok: true, value: { kind: 'remove-friend', friendPublicKey: f.publicKey } };
      });
      if (r.ok) set({ openFriend: undefined });
      return r;
    },
  };
};
