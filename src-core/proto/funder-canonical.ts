/** Move-token hashes and signature buffer (reference/funder.md §4.4): prefix hash over the
 *  token's contents, info hash over TokenInfo (sender's view), and the 112-byte buffer
 *  H("NEXT") ‖ prefix_hash ‖ info_hash ‖ rand_nonce that the sender signs.
 *  'raw' strings reproduce the original's bytes (vectors); production uses 'length-prefixed'
 *  (ARCHITECTURE §4, §7.6). */
import type { CryptoBackend } from '../crypto/index.ts';
import { CanonicalWriter, type StringMode } from './canonical.ts';
import type { CurrencyOperations, FriendTcOp, MoveToken, RelayAddress } from './funder.ts';

export const MOVE_TOKEN_STRING_MODE: StringMode = 'length-prefixed';

export interface BalanceInfo {
  readonly balance: bigint;
  readonly localPendingDebt: bigint;
  readonly remotePendingDebt: bigint;
}
export interface CurrencyBalanceInfo extends BalanceInfo {
  readonly currency: string;
}
/** Always from the token sender's point of view (§4.1). */
export interface TokenInfo {
  readonly localPublicKey: Uint8Array;
  readonly remotePublicKey: Uint8Array;
  /** Sorted by currency (UTF-8 byte order). */
  readonly balances: readonly CurrencyBalanceInfo[];
  readonly inconsistencyCounter: bigint;
  readonly moveTokenCounter: bigint;
}

function writeOp(w: CanonicalWriter, op: FriendTcOp): void {
  switch (op.kind) {
    case 'request':
      w.bytes(Uint8Array.of(0)).bytes(op.requestId).bytes(op.srcHashedLock)
        .vec(op.route, (x, pk) => x.bytes(pk))
        .u128(op.destPayment).u128(op.totalDestPayment).bytes(op.invoiceId).u128(op.leftFees);
      // Ours only: the sealed lock is covered by the signature too (it never crosses implementations).
      if (w.stringMode === 'length-prefixed') w.option(op.autoCollect, (x, s) => x.bytes(s));
      return;
    case 'response':
      w.bytes(Uint8Array.of(1)).bytes(op.requestId).bytes(op.destHashedLock).bool(op.isComplete)
        .bytes(op.randNonce).bytes(op.signature);
      return;
    case 'cancel':
      w.bytes(Uint8Array.of(2)).bytes(op.requestId);
      return;
    case 'collect':
      w.bytes(Uint8Array.of(3)).bytes(op.requestId).bytes(op.srcPlainLock).bytes(op.destPlainLock);
      return;
  }
}

export function canonicalCurrenciesOperations(w: CanonicalWriter, v: readonly CurrencyOperations[]): void {
  w.vec(v, (x, c) => x.str(c.currency).vec(c.operations, writeOp));
}

function writeRelays(w: CanonicalWriter, v: readonly RelayAddress[] | undefined): void {
  w.option(v, (x, list) => x.vec(list, (y, r) => y.bytes(r.publicKey).str(r.address)));
}

/** prefix_hash = H(old_token ‖ ops ‖ opt_local_relays ‖ opt_active_currencies). */
export function moveTokenPrefixHash(
  crypto: CryptoBackend,
  t: Pick<MoveToken, 'oldToken' | 'currenciesOperations' | 'optLocalRelays' | 'optActiveCurrencies'>,
  mode: StringMode = MOVE_TOKEN_STRING_MODE,
): Uint8Array {
  const w = new CanonicalWriter(mode).bytes(t.oldToken);
  canonicalCurrenciesOperations(w, t.currenciesOperations);
  writeRelays(w, t.optLocalRelays);
  w.option(t.optActiveCurrencies, (x, list) => x.vec(list, (y, c) => y.str(c)));
  return crypto.sha512_256(w.finish());
}

export function canonicalTokenInfo(info: TokenInfo, mode: StringMode = MOVE_TOKEN_STRING_MODE): Uint8Array {
  return new CanonicalWriter(mode)
    .bytes(info.localPublicKey).bytes(info.remotePublicKey)
    .vec(info.balances, (w, b) => w.str(b.currency).i128(b.balance).u128(b.localPendingDebt).u128(b.remotePendingDebt))
    .u64(info.inconsistencyCounter).u128(info.moveTokenCounter)
    .finish();
}

export function tokenInfoHash(crypto: CryptoBackend, info: TokenInfo, mode: StringMode = MOVE_TOKEN_STRING_MODE): Uint8Array {
  return crypto.sha512_256(canonicalTokenInfo(info, mode));
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** H("NEXT") ‖ prefix_hash ‖ info_hash ‖ rand_nonce — 112 bytes. */
export function moveTokenSignatureBuffer(
  crypto: CryptoBackend, prefixHash: Uint8Array, infoHash: Uint8Array, randNonce: Uint8Array,
): Uint8Array {
  return new CanonicalWriter('raw')
    .bytes(crypto.sha512_256(ascii('NEXT'))).bytes(prefixHash).bytes(infoHash).bytes(randNonce).finish();
}

/** TokenInfo seen from the other side: keys swapped, balance negated, pending debts swapped.
 *  Returns undefined when a balance cannot be negated within i128 (§7.2 #6). */
export function flipTokenInfo(info: TokenInfo): TokenInfo | undefined {
  const balances: CurrencyBalanceInfo[] = [];
  for (const b of info.balances) {
    if (b.balance === -(1n << 127n)) return undefined;
    balances.push({
      currency: b.currency, balance: -b.balance,
      localPendingDebt: b.remotePendingDebt, remotePendingDebt: b.localPendingDebt,
    });
  }
  return {
    localPublicKey: info.remotePublicKey, remotePublicKey: info.localPublicKey, balances,
    inconsistencyCounter: info.inconsistencyCounter, moveTokenCounter: info.moveTokenCounter,
  };
}
