/** Reading the node's history and signed balances through the app protocol
 *  (docs/app-protocol.md "History and signed balances"): `query-history` filters the store's
 *  history rows (kind, currency, counterpart, time range) and pages through them with a cursor;
 *  `query-friend-token` returns the friend's last signed move token with the balances it signs.
 *  Both are reads: they need no ticket permission, like the report. Browser-safe. */
import { type Codec, bytes, i128, list, map, option, refine, struct, u128, u64, u16, utf8 } from '../codec/index.ts';
import type { CryptoBackend } from '../crypto/index.ts';
import { type TokenInfo, currency, hashResult, moveTokenSignatureBuffer, publicKey, randNonce, signature, tokenInfoHash } from '../proto/index.ts';
import { bytesEqual, literals } from './wire-common.ts';

/** Rows in one history-result; a page also stops before the message would pass ~512 KiB. */
export const MAX_HISTORY_PAGE_ROWS = 256;
/** A row's opaque data on the wire (receipts are ~220 bytes); longer data is left out of the row. */
export const MAX_HISTORY_ROW_DATA_BYTES = 4096;
/** Soft byte budget of one history-result (a frame holds 1 MiB). */
export const HISTORY_PAGE_BYTE_BUDGET = 512 * 1024;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Milliseconds since the epoch: u64 on the wire, a safe integer in memory. */
export const millis: Codec<number> = map(
  refine(u64, (v) => (v > MAX_SAFE ? 'time beyond the safe integer range' : undefined)),
  (v) => Number(v),
  (n) => {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('time: non-negative integer milliseconds expected');
    return BigInt(n);
  },
);

const historyId = utf8({ maxBytes: 256 });
const historyKind = utf8({ maxBytes: 64 });
const counterpart = utf8({ maxBytes: 256 });

/** Where the previous page ended (its last row's time and id): the next page starts after it. */
export interface HistoryCursor {
  readonly time: number;
  readonly id: string;
}
export const historyCursor: Codec<HistoryCursor> = struct({ time: millis, id: historyId });

/** What to list. Absent fields do not filter. `from` is inclusive, `to` exclusive (ms). */
export interface HistoryFilter {
  readonly kind: string | undefined;
  readonly currency: string | undefined;
  /** The row's counterpart (base64url public key of a payment's destination). */
  readonly counterpart: string | undefined;
  readonly from: number | undefined;
  readonly to: number | undefined;
  /** 'desc': newest first. Ties are ordered by id. */
  readonly order: 'asc' | 'desc';
  /** 1..MAX_HISTORY_PAGE_ROWS. */
  readonly limit: number;
  readonly cursor: HistoryCursor | undefined;
}
export const historyFilter: Codec<HistoryFilter> = struct({
  kind: option(historyKind),
  currency: option(currency),
  counterpart: option(counterpart),
  from: option(millis),
  to: option(millis),
  order: literals(['asc', 'desc'] as const),
  limit: refine(u16, (n) => (n < 1 || n > MAX_HISTORY_PAGE_ROWS ? `limit must be 1..${MAX_HISTORY_PAGE_ROWS}` : undefined)),
  cursor: option(historyCursor),
});

/** A filter with defaults: newest first, 100 rows. */
export function historyFilterOf(f: Partial<HistoryFilter> = {}): HistoryFilter {
  return {
    kind: f.kind, currency: f.currency, counterpart: f.counterpart, from: f.from, to: f.to,
    order: f.order ?? 'desc', limit: f.limit ?? 100, cursor: f.cursor,
  };
}

/** One friend's share of a payment's parts: base64url key and a positive amount. */
export interface HistoryVia {
  readonly friend: string;
  readonly amount: bigint;
}
/** Friends listed in one row's `via` (the store's limit). */
export const MAX_HISTORY_VIA = 256;
const historyVia: Codec<HistoryVia> = struct({
  friend: counterpart,
  amount: refine(u128, (v) => (v === 0n ? 'a share is positive' : undefined)),
});

/** One history row (the store's HistoryRow, docs/store.md): `data` is the encoded receipt of a
 *  successful payment (app `receipt` codec), empty otherwise. */
export interface HistoryEntry {
  readonly id: string;
  /** payment | invoice | received (src-core/node/history.ts); open-ended for later kinds. */
  readonly kind: string;
  readonly time: number;
  readonly currency: string;
  /** Negative for what we pay, positive for what we get. */
  readonly amount: bigint;
  readonly counterpart: string | undefined;
  readonly state: string;
  readonly data: Uint8Array;
  /** A collected invoice or received payment: the friends whose channels delivered its parts and
   *  how much came through each. Empty on other rows, and on rows the node wrote before it kept
   *  this (such a row is on every friend's statement). */
  readonly via: readonly HistoryVia[];
}
export const historyEntry: Codec<HistoryEntry> = struct({
  id: historyId,
  kind: historyKind,
  time: millis,
  currency: utf8({ maxBytes: 64 }),
  amount: i128,
  counterpart: option(counterpart),
  state: utf8({ maxBytes: 64 }),
  data: bytes({ max: MAX_HISTORY_ROW_DATA_BYTES }),
  via: list(historyVia, { max: MAX_HISTORY_VIA }),
});

export interface HistoryPage {
  readonly rows: readonly HistoryEntry[];
  /** Present when more rows may follow: pass it as the next filter's cursor. */
  readonly next: HistoryCursor | undefined;
}
export const historyPage: Codec<HistoryPage> = struct({
  rows: list(historyEntry, { max: MAX_HISTORY_PAGE_ROWS }),
  next: option(historyCursor),
});

/** The balances a move token signs (reference/funder.md §4.4), from the token sender's view. */
export const tokenInfo: Codec<TokenInfo> = struct({
  localPublicKey: publicKey,
  remotePublicKey: publicKey,
  balances: list(struct({ currency, balance: i128, localPendingDebt: u128, remotePendingDebt: u128 }), { max: 64 }),
  inconsistencyCounter: u64,
  moveTokenCounter: u128,
});

/** The friend's last move token as we keep it: its prefix hash stands for the operations, so the
 *  signature `newToken` over H("NEXT") ‖ prefixHash ‖ H(canon(tokenInfo)) ‖ randNonce can be
 *  checked against the friend's key without the operations. */
export interface SignedFriendToken {
  readonly prefixHash: Uint8Array;
  readonly tokenInfo: TokenInfo;
  readonly randNonce: Uint8Array;
  readonly newToken: Uint8Array;
}
export const signedFriendToken: Codec<SignedFriendToken> = struct({ prefixHash: hashResult, tokenInfo, randNonce, newToken: signature });

/** Is `t` really signed by `friendPublicKey`, and does it name that friend as its sender? */
export function verifySignedFriendToken(crypto: CryptoBackend, t: SignedFriendToken, friendPublicKey: Uint8Array): boolean {
  if (!bytesEqual(t.tokenInfo.localPublicKey, friendPublicKey)) return false;
  if (t.prefixHash.length !== 32 || t.randNonce.length !== 16 || t.newToken.length !== 64) return false;
  const buf = moveTokenSignatureBuffer(crypto, t.prefixHash, tokenInfoHash(crypto, t.tokenInfo), t.randNonce);
  return crypto.ed25519Verify(friendPublicKey, buf, t.newToken);
}
