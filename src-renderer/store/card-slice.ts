/** The open card: one app session (AppClient over the bridge) and the node's report it keeps
 *  current. Requests answer a Result with one sentence for people; a refused request changes
 *  nothing (the node applies a request whole or not at all). */
import type { StateCreator } from 'zustand/vanilla';
import { type AppClient, type AppRequest, type NodeReport } from '../../src-core/app/index.ts';
import type { Bridge, Result } from '../../src-main/bridge.ts';
import { connectCard } from '../card/app-transport.ts';
import { type AddFriendInput, addFriendRequest, parseMaxDebt } from '../card/friend-input.ts';
import type { AppState } from './app-store.ts';

export type CardSession =
  | { readonly kind: 'closed' }
  | { readonly kind: 'connecting'; readonly cardId: string }
  | { readonly kind: 'open'; readonly cardId: string; readonly report: NodeReport }
  | { readonly kind: 'failed'; readonly cardId: string; readonly message: string };

export type CardResult = Result<void, string>;

export interface CardSlice {
  readonly cardSession: CardSession;
  /** Opens the card's page: a new app session whose report the page shows. */
  openCard(cardId: string): Promise<void>;
  closeCard(): void;
  cardRequest(request: AppRequest): Promise<CardResult>;
  addFriend(input: AddFriendInput): Promise<CardResult>;
  setMaxDebt(friendPublicKey: Uint8Array, currency: string, text: string): Promise<CardResult>;
  /** The open card's AppClient (routes, payments, invoice events), for the money slices. */
  cardClient(): AppClient | undefined;
}

export const createCardSlice = (bridge: Bridge): StateCreator<AppState, [], [], CardSlice> => (set, get) => {
  let client: AppClient | undefined;
  let generation = 0;

  function drop(): void {
    generation++;
    const c = client;
    client = undefined;
    c?.close();
  }

  async function send(request: AppRequest): Promise<CardResult> {
    const c = client;
    if (c === undefined) return { ok: false, error: 'No card is open.' };
    try {
      await c.request(request);
      return { ok: true, value: undefined };
    } catch (e) {
      return { ok: false, error: `The card refused: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  return {
    cardSession: { kind: 'closed' },
    async openCard(cardId) {
      drop();
      const mine = generation;
      set({ cardSession: { kind: 'connecting', cardId } });
      const r = await connectCard(bridge, cardId);
      if (mine !== generation) {
        if (r.ok) r.value.close();
        return;
      }
      if (!r.ok) {
        set({ cardSession: { kind: 'failed', cardId, message: r.error.message } });
        return;
      }
      client = r.value;
      set({ cardSession: { kind: 'open', cardId, report: r.value.report } });
      r.value.onDidChangeReport(({ report }) => {
        if (mine === generation) set({ cardSession: { kind: 'open', cardId, report } });
      });
      r.value.onDidClose((e) => {
        if (mine !== generation) return;
        client = undefined;
        set({ cardSession: { kind: 'failed', cardId, message: `The card's session ended: ${e.message}` } });
      });
    },
    closeCard() {
      drop();
      set({ cardSession: { kind: 'closed' } });
    },
    cardRequest: send,
    cardClient: () => client,
    async addFriend(input) {
      const s = get().cardSession;
      if (s.kind !== 'open') return { ok: false, error: 'No card is open.' };
      const req = addFriendRequest(input, s.report.friends.map((f) => f.publicKey));
      if (!req.ok) return req;
      if (bytesEqual(req.value.friendPublicKey, s.report.localPublicKey)) return { ok: false, error: 'This is the friend file of this card itself.' };
      return send(req.value);
    },
    async setMaxDebt(friendPublicKey, currency, text) {
      const v = parseMaxDebt(text);
      if (!v.ok) return v;
      return send({ kind: 'set-friend-currency-max-debt', friendPublicKey, currency, remoteMaxDebt: v.value });
    },
  };
};

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
