/** The node's answers to the app protocol's reads (docs/app-protocol.md "History and signed
 *  balances"): a page of history rows for query-history, and the friend's last signed move token
 *  for query-friend-token. Pure functions of the store and the funder state. */
import { encode } from '../codec/index.ts';
import type { CryptoBackend } from '../crypto/index.ts';
import {
  HISTORY_PAGE_BYTE_BUDGET, type HistoryEntry, type HistoryFilter, type HistoryPage, MAX_HISTORY_ROW_DATA_BYTES,
  type SignedFriendToken, historyEntry, verifySignedFriendToken,
} from '../app/index.ts';
import type { FriendState } from '../funder/index.ts';
import type { HistoryRow } from '../store/index.ts';

export interface HistorySource {
  queryHistory(q: {
    kind?: string; currency?: string; counterpart?: string; from?: number; to?: number; order?: 'asc' | 'desc';
    after?: { time: number; id: string }; limit?: number;
  }): HistoryRow[];
}

/** Rows whose data is longer than the wire allows come without their data (never so far: the
 *  node writes receipts, ~220 bytes). The page stops early at HISTORY_PAGE_BYTE_BUDGET. */
export function historyPageFor(store: HistorySource, f: HistoryFilter): HistoryPage {
  const rows = store.queryHistory({
    ...(f.kind !== undefined ? { kind: f.kind } : {}),
    ...(f.currency !== undefined ? { currency: f.currency } : {}),
    ...(f.counterpart !== undefined ? { counterpart: f.counterpart } : {}),
    ...(f.from !== undefined ? { from: f.from } : {}),
    ...(f.to !== undefined ? { to: f.to } : {}),
    ...(f.cursor !== undefined ? { after: f.cursor } : {}),
    order: f.order,
    limit: f.limit,
  });
  const out: HistoryEntry[] = [];
  let bytes = 0;
  let cut = false;
  for (const r of rows) {
    const e: HistoryEntry = {
      id: r.id, kind: r.kind, time: r.time, currency: r.currency, amount: r.amount, counterpart: r.counterpart, state: r.state,
      data: r.data.length <= MAX_HISTORY_ROW_DATA_BYTES ? r.data : new Uint8Array(0), via: r.via ?? [],
    };
    const n = encode(historyEntry, e).length;
    if (out.length > 0 && bytes + n > HISTORY_PAGE_BYTE_BUDGET) { cut = true; break; }
    bytes += n;
    out.push(e);
  }
  const last = out[out.length - 1];
  const more = cut || rows.length === f.limit;
  return { rows: out, next: more && last !== undefined ? { time: last.time, id: last.id } : undefined };
}

/** The last move token the friend sent us, if it carries the friend's real signature (the
 *  virtual genesis token of a new friendship does not). */
export function lastSignedToken(crypto: CryptoBackend, f: FriendState): SignedFriendToken | undefined {
  const ch = f.channel;
  const t = ch.kind === 'consistent'
    ? (ch.tc.direction.kind === 'incoming' ? ch.tc.direction.moveTokenIn : ch.tc.direction.prevMoveTokenIn)
    : ch.lastIncoming;
  if (t === undefined) return undefined;
  const token: SignedFriendToken = { prefixHash: t.prefixHash, tokenInfo: t.tokenInfo, randNonce: t.randNonce, newToken: t.newToken };
  return verifySignedFriendToken(crypto, token, f.remotePublicKey) ? token : undefined;
}
