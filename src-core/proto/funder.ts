/** Funder wire types: what two friends' funders say to each other (reference/funder.md §2.1, §4.1),
 *  with strict codecs. The wire is ours (ARCHITECTURE §4); the structure is the original's, plus an
 *  optional sealed lock on requests for payments the destination collects by itself (docs/funder.md). */
import {
  type Codec, bool, distinctBy, fixedBytes, i128, list, option, refine, struct, u128, u32, u64, union, uniqueList, utf8,
} from '../codec/index.ts';

export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const HASH_BYTES = 32;
export const UID_BYTES = 16;
export const RAND_NONCE_BYTES = 16;
export const LOCK_BYTES = 32;
export const INVOICE_ID_BYTES = 32;

/** reference/funder.md §0.3 consts.rs */
export const MAX_ROUTE_LEN = 32;
export const MAX_OPERATIONS_IN_BATCH = 16;
export const MAX_CURRENCY_LEN = 16;
export const MAX_NODE_RELAYS = 16;
export const MAX_NET_ADDRESS_LEN = 256;
/** Ours: the original leaves these unbounded (§7.2). */
export const MAX_ACTIVE_CURRENCIES = 64;
export const MAX_RESET_TERMS_ENTRIES = MAX_ACTIVE_CURRENCIES;
/** ephemeral X25519 key (32) ‖ ChaCha20-Poly1305(lock) (32 + 16) */
export const SEALED_LOCK_BYTES = 32 + LOCK_BYTES + 16;

export const publicKey = fixedBytes(PUBLIC_KEY_BYTES);
export const signature = fixedBytes(SIGNATURE_BYTES);
export const hashResult = fixedBytes(HASH_BYTES);
export const uid = fixedBytes(UID_BYTES);
export const randNonce = fixedBytes(RAND_NONCE_BYTES);
export const lock = fixedBytes(LOCK_BYTES);
export const invoiceId = fixedBytes(INVOICE_ID_BYTES);

/** Currency names are at most 16 UTF-8 bytes (§0.3); the empty name is accepted as the original does. */
export const currency: Codec<string> = utf8({ maxBytes: MAX_CURRENCY_LEN });
export const netAddress: Codec<string> = utf8({ maxBytes: MAX_NET_ADDRESS_LEN });

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;
export function isValidCurrency(c: unknown): c is string {
  return typeof c === 'string' && utf8Bytes(c) <= MAX_CURRENCY_LEN;
}

function hexOf(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}


export const route: Codec<readonly Uint8Array[]> = list(publicKey, { max: MAX_ROUTE_LEN });

export const sealedLock = fixedBytes(SEALED_LOCK_BYTES);

export const requestSendFundsBody = struct({
  requestId: uid,
  srcHashedLock: hashResult,
  route,
  destPayment: u128,
  totalDestPayment: u128,
  invoiceId,
  leftFees: u128,
  /** The payment's src_plain_lock sealed to the destination (docs/funder.md "autoCollect"). */
  autoCollect: option(sealedLock),
});
export const responseSendFundsBody = struct({
  requestId: uid,
  destHashedLock: hashResult,
  isComplete: bool,
  randNonce,
  signature,
});
export const cancelSendFundsBody = struct({ requestId: uid });
export const collectSendFundsBody = struct({ requestId: uid, srcPlainLock: lock, destPlainLock: lock });

/** FriendTcOp (§2.1): wire tags as the original's canonical tags. */
export const friendTcOp = union({
  request: [0, requestSendFundsBody],
  response: [1, responseSendFundsBody],
  cancel: [2, cancelSendFundsBody],
  collect: [3, collectSendFundsBody],
});

export type RequestOp = { readonly kind: 'request' } & ReturnType<typeof requestSendFundsBody.decode>;
export type ResponseOp = { readonly kind: 'response' } & ReturnType<typeof responseSendFundsBody.decode>;
export type CancelOp = { readonly kind: 'cancel' } & ReturnType<typeof cancelSendFundsBody.decode>;
export type CollectOp = { readonly kind: 'collect' } & ReturnType<typeof collectSendFundsBody.decode>;
export type FriendTcOp = RequestOp | ResponseOp | CancelOp | CollectOp;
export type BackwardsOp = ResponseOp | CancelOp | CollectOp;

export interface CurrencyOperations {
  readonly currency: string;
  readonly operations: readonly FriendTcOp[];
}
const currencyOperationsCodec: Codec<CurrencyOperations> = struct({
  currency,
  operations: list(friendTcOp, { max: MAX_OPERATIONS_IN_BATCH }),
});

/** At most 16 operations per move token in total, enforced on receive too (§7.2). */
export const currenciesOperations: Codec<readonly CurrencyOperations[]> = refine(
  list(currencyOperationsCodec, { max: MAX_OPERATIONS_IN_BATCH }),
  (v) => {
    const n = v.reduce((s, c) => s + c.operations.length, 0);
    if (n > MAX_OPERATIONS_IN_BATCH) return `${n} operations > ${MAX_OPERATIONS_IN_BATCH}`;
    return distinctBy((c: CurrencyOperations) => c.currency, 'currency')(v);
  },
);

export interface RelayAddress {
  readonly publicKey: Uint8Array;
  readonly address: string;
}
export const relayAddress: Codec<RelayAddress> = struct({ publicKey, address: netAddress });
export const relayList: Codec<readonly RelayAddress[]> = uniqueList(relayAddress, MAX_NODE_RELAYS, (r) => hexOf(r.publicKey), 'relay public key');

export const activeCurrencyList: Codec<readonly string[]> = uniqueList(currency, MAX_ACTIVE_CURRENCIES, (c) => c, 'currency');

export interface MoveToken {
  readonly oldToken: Uint8Array;
  readonly currenciesOperations: readonly CurrencyOperations[];
  /** undefined = no change; a list = the sender's full new relay list. */
  readonly optLocalRelays: readonly RelayAddress[] | undefined;
  /** undefined = no change; a list = every currency the sender wants. */
  readonly optActiveCurrencies: readonly string[] | undefined;
  readonly infoHash: Uint8Array;
  readonly randNonce: Uint8Array;
  readonly newToken: Uint8Array;
}
export const moveToken: Codec<MoveToken> = struct({
  oldToken: signature,
  currenciesOperations,
  optLocalRelays: option(relayList),
  optActiveCurrencies: option(activeCurrencyList),
  infoHash: hashResult,
  randNonce,
  newToken: signature,
});

export interface CurrencyBalance {
  readonly currency: string;
  readonly balance: bigint;
}
export interface ResetTerms {
  readonly resetToken: Uint8Array;
  readonly inconsistencyCounter: bigint;
  readonly balanceForReset: readonly CurrencyBalance[];
}
export const resetTerms: Codec<ResetTerms> = struct({
  resetToken: signature,
  inconsistencyCounter: u64,
  balanceForReset: uniqueList(struct({ currency, balance: i128 }), MAX_RESET_TERMS_ENTRIES, (c) => c.currency, 'currency'),
});

export type FriendMessage =
  | {
    readonly kind: 'move-token-request'; readonly moveToken: MoveToken; readonly tokenWanted: boolean;
    /** The counters the token's TokenInfo commits to, in clear: an unauthenticated hint that lets the
     *  receiver recognise a late copy of an old token instead of declaring the chain broken
     *  (docs/funder.md "Stale tokens"). */
    readonly inconsistencyCounter: bigint; readonly moveTokenCounter: bigint;
  }
  | { readonly kind: 'inconsistency-error'; readonly resetTerms: ResetTerms };
export const friendMessage: Codec<FriendMessage> = union({
  'move-token-request': [0, struct({ moveToken, tokenWanted: bool, inconsistencyCounter: u64, moveTokenCounter: u128 })],
  'inconsistency-error': [1, struct({ resetTerms })],
});

/** Rate {mul, add}: fee(x) = floor(x·mul / 2^32) + add (§3.2). */
export interface Rate {
  readonly mul: number;
  readonly add: number;
}
export const rate: Codec<Rate> = struct({ mul: u32, add: u32 });

