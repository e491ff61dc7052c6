/** Strict codecs for the funder's state and mutations, for the store: a snapshot
 *  (`funderStateCodec`) plus a journal of mutations (`funderMutationCodec`) reproduce the state
 *  exactly. Maps are encoded as entry lists in ascending key order (one encoding per value). */
import {
  type Codec, DecodeError, bool, fixedBytes, i128, list, option, refine, struct, u128, u32, u64, union, unit, utf8,
} from '../codec/index.ts';
import {
  type BackwardsOp, type FriendTcOp, type RequestOp, currency, friendTcOp, hashResult, invoiceId, lock, moveToken,
  netAddress, publicKey, randNonce, rate, relayList, resetTerms, route, sealedLock, signature, uid,
} from '../proto/index.ts';
import { type Hex, compareCurrencies, fromHex, toHex } from './hex.ts';
import type { ChannelPatch, CreditPatch, FriendInfo, FriendPatch, PendingPatch, QueuePatch } from './friend-patch.ts';
import type { FunderMutation } from './mutations.ts';
import type { MutualCredit, PendingTransaction } from './mutual-credit.ts';
import type {
  ChannelStatus, CurrencyConfig, FriendState, FunderSettings, FunderState, NamedRelayAddress, OpenInvoice,
  OpenTransaction, Payment, PaymentStage, QueuedBackwardsOp, QueuedRequest, SentLocalRelays,
} from './state.ts';
import type { MoveTokenHashed, TcDirection, TokenChannel } from './token-channel.ts';
import type { TokenInfo } from '../proto/index.ts';

const MAX_ENTRIES = 1_000_000;
const as = <T>(c: Codec<unknown>): Codec<T> => c as Codec<T>;

function hexKey(n: number): Codec<Hex> {
  const inner = fixedBytes(n);
  return { encode: (w, v) => inner.encode(w, fromHex(v)), decode: (r) => toHex(inner.decode(r)) };
}
const keyHex = hexKey(32);
const uidHex = hexKey(16);

function mapOf<V>(key: Codec<string>, value: Codec<V>, cmp: (a: string, b: string) => number): Codec<ReadonlyMap<string, V>> {
  const entries = list(struct({ k: key, v: value }), { max: MAX_ENTRIES });
  return {
    encode(w, m) {
      entries.encode(w, [...m.entries()].sort(([a], [b]) => cmp(a, b)).map(([k, v]) => ({ k, v })));
    },
    decode(r) {
      const start = r.offset;
      const out = new Map<string, V>();
      let prev: string | undefined;
      for (const { k, v } of entries.decode(r)) {
        if (prev !== undefined && cmp(prev, k) >= 0) throw new DecodeError('non-canonical', start, r.path.join('.'), 'map keys not strictly ascending');
        out.set(k, v);
        prev = k;
      }
      return out;
    },
  };
}
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const hexMap = <V>(key: Codec<Hex>, value: Codec<V>): Codec<ReadonlyMap<Hex, V>> => mapOf(key, value, byString);
const currencyMap = <V>(value: Codec<V>): Codec<ReadonlyMap<string, V>> => mapOf(currency, value, compareCurrencies);

const requestOp: Codec<RequestOp> = as(refine(friendTcOp, (op) => (op.kind === 'request' ? undefined : 'request expected')));
const backwardsOp: Codec<BackwardsOp> = as(refine(friendTcOp, (op: FriendTcOp) => (op.kind === 'request' ? 'backwards op expected' : undefined)));

const pendingTransaction: Codec<PendingTransaction> = as(struct({
  requestId: uid, route, destPayment: u128, totalDestPayment: u128, invoiceId, leftFees: u128, srcHashedLock: hashResult,
  autoCollect: option(sealedLock),
  stage: union({ request: [0, unit], response: [1, struct({ destHashedLock: hashResult, isComplete: bool })] }),
  origin: option(keyHex),
}));

const mutualCredit: Codec<MutualCredit> = as(struct({
  balance: i128, localPendingDebt: u128, remotePendingDebt: u128,
  local: hexMap(uidHex, pendingTransaction), remote: hexMap(uidHex, pendingTransaction),
}));

const tokenInfo: Codec<TokenInfo> = as(struct({
  localPublicKey: publicKey, remotePublicKey: publicKey,
  balances: list(struct({ currency, balance: i128, localPendingDebt: u128, remotePendingDebt: u128 }), { max: MAX_ENTRIES }),
  inconsistencyCounter: u64, moveTokenCounter: u128,
}));

const moveTokenHashed: Codec<MoveTokenHashed> = as(struct({ prefixHash: hashResult, tokenInfo, randNonce, newToken: signature }));

const tcDirection: Codec<TcDirection> = as(union({
  incoming: [0, struct({ moveTokenIn: moveTokenHashed })],
  outgoing: [1, struct({ moveTokenOut: moveToken, tokenInfo, prevMoveTokenIn: option(moveTokenHashed) })],
}));

const currencyList = list(currency, { max: MAX_ENTRIES });
const nonEmptyBalances = refine(currencyMap(i128), (m) => (m.size === 0 ? 'initial balances present but empty' : undefined));
const initialBalances = option(nonEmptyBalances);
const tokenChannel: Codec<TokenChannel> = as(struct({
  direction: tcDirection, mutualCredits: currencyMap(mutualCredit), activeLocal: currencyList, activeRemote: currencyList,
  initialBalances,
}));

const queuedRequest: Codec<QueuedRequest> = as(struct({ currency, op: requestOp, origin: option(keyHex) }));
const queuedBackwardsOp: Codec<QueuedBackwardsOp> = as(struct({ currency, op: backwardsOp }));

const inconsistentFields = { lastIncoming: option(moveTokenHashed), localTerms: resetTerms, remoteTerms: option(resetTerms) };
/** An inconsistent channel without carried initial balances keeps tag 1 and its layout, so snapshots
 *  and journals written before they were carried load unchanged; with them, tag 2 (one encoding
 *  per value either way: the map is never empty). */
const channelStatusTagged = union({
  consistent: [0, struct({
    tc: tokenChannel,
    settledResetTokens: list(signature, { max: 2 }),
    pendingBackwardsOps: list(queuedBackwardsOp, { max: MAX_ENTRIES }),
    pendingRequests: list(queuedRequest, { max: MAX_ENTRIES }),
    pendingUserRequests: list(queuedRequest, { max: MAX_ENTRIES }),
  })],
  inconsistent: [1, struct(inconsistentFields)],
  'inconsistent-initial': [2, struct({ ...inconsistentFields, initialBalances: nonEmptyBalances })],
});
const channelStatus: Codec<ChannelStatus> = {
  encode(w, v) {
    const tagged = v.kind === 'inconsistent' && v.initialBalances !== undefined ? { ...v, kind: 'inconsistent-initial' } : v;
    channelStatusTagged.encode(w, tagged as Parameters<typeof channelStatusTagged.encode>[1]);
  },
  decode(r) {
    const v = channelStatusTagged.decode(r) as unknown as ChannelStatus | { readonly kind: 'inconsistent-initial' };
    return v.kind === 'inconsistent-initial' ? { ...v, kind: 'inconsistent' } as ChannelStatus : v;
  },
};

const sentLocalRelays: Codec<SentLocalRelays> = as(union({
  'never-sent': [0, unit],
  'last-sent': [1, struct({ relays: relayList })],
  transition: [2, struct({ last: relayList, beforeLast: relayList })],
}));

const currencyConfig: Codec<CurrencyConfig> = as(struct({ rate, remoteMaxDebt: u128, isOpen: bool }));

const name = utf8({ maxBytes: 1024 });
const friendState: Codec<FriendState> = as(struct({
  remotePublicKey: publicKey, name, remoteRelays: relayList, sentLocalRelays, currencyConfigs: currencyMap(currencyConfig),
  enabled: bool, channel: channelStatus,
}));

const namedRelay: Codec<NamedRelayAddress> = as(struct({ publicKey, address: netAddress, name }));

/** Deadlines are non-negative integer milliseconds. */
const millis: Codec<number> = {
  encode(w, v) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`deadline out of range: ${v}`);
    u64.encode(w, BigInt(v));
  },
  decode(r) {
    const v = u64.decode(r);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) r.fail('out-of-range', 'deadline');
    return Number(v);
  },
};

const openInvoice: Codec<OpenInvoice> = as(struct({
  currency, totalDestPayment: u128, destPlainLock: lock, srcHashedLock: option(hashResult),
  incoming: list(struct({ friend: keyHex, requestId: uidHex, destPayment: u128 }), { max: MAX_ENTRIES }),
  implicit: bool, srcPlainLock: option(lock), expiresAt: option(millis),
}));

const openTransaction: Codec<OpenTransaction> = as(struct({
  paymentId: uidHex, friend: keyHex, currency, destPayment: u128,
  response: option(struct({ destHashedLock: hashResult, isComplete: bool, randNonce, signature })),
}));

const receipt = struct({
  responseHash: hashResult, invoiceId, currency, srcPlainLock: lock, destPlainLock: lock, isComplete: bool,
  destPayment: u128, totalDestPayment: u128, signature,
});

const count = u32;
const paymentStage: Codec<PaymentStage> = as(union({
  'new-transactions': [0, struct({ numTransactions: count })],
  'in-progress': [1, struct({ numTransactions: count })],
  success: [2, struct({ numTransactions: count, receipt, ackUid: uid })],
  canceled: [3, struct({ ackUid: uid })],
  'after-success-ack': [4, struct({ numTransactions: count })],
}));

const payment: Codec<Payment> = as(struct({
  srcPlainLock: lock, invoiceId, currency, totalDestPayment: u128, destPublicKey: publicKey, autoCollect: bool,
  deadline: option(millis), partialReceipt: option(receipt), stage: paymentStage,
}));

const settings: Codec<FunderSettings> = as(struct({ acceptAutoCollect: bool, maxPendingUserRequests: u32 }));

const hexSet: Codec<ReadonlySet<Hex>> = {
  encode: (w, s) => list(keyHex, { max: MAX_ENTRIES }).encode(w, [...s].sort()),
  decode(r) {
    const start = r.offset;
    const keys = list(keyHex, { max: MAX_ENTRIES }).decode(r);
    // one encoding per set, as for maps: a duplicate or out-of-order key is refused, not merged
    for (let i = 1; i < keys.length; i++) {
      if ((keys[i - 1] as Hex) >= (keys[i] as Hex)) throw new DecodeError('non-canonical', start, r.path.join('.'), 'set keys not strictly ascending');
    }
    return new Set(keys);
  },
};

const friendsMap: Codec<ReadonlyMap<Hex, FriendState>> = refine(hexMap(keyHex, friendState),
  (m) => ([...m].every(([k, f]) => toHex(f.remotePublicKey) === k) ? undefined : 'friend key mismatch'));

export const funderStateCodec: Codec<FunderState> = as(struct({
  localPublicKey: publicKey,
  relays: list(namedRelay, { max: 16 }),
  friends: friendsMap,
  openInvoices: hexMap(keyHex, openInvoice),
  openTransactions: hexMap(uidHex, openTransaction),
  payments: hexMap(uidHex, payment),
  settings,
  online: hexSet,
}));

const queuePatch = <T>(item: Codec<T>): Codec<QueuePatch<T>> => as(struct({ drop: u32, append: list(item, { max: MAX_ENTRIES }) }));
const pendingPatch: Codec<PendingPatch> = as(struct({
  set: list(struct({ k: uidHex, v: pendingTransaction }), { max: MAX_ENTRIES }), remove: list(uidHex, { max: MAX_ENTRIES }),
}));
const creditPatch: Codec<CreditPatch> = as(union({
  set: [0, struct({ currency, credit: mutualCredit })],
  remove: [1, struct({ currency })],
  update: [2, struct({ currency, balance: i128, localPendingDebt: u128, remotePendingDebt: u128, local: pendingPatch, remote: pendingPatch })],
}));
const channelPatch: Codec<ChannelPatch> = as(union({
  set: [0, struct({ channel: channelStatus })],
  consistent: [1, struct({
    direction: option(tcDirection), activeLocal: option(currencyList), activeRemote: option(currencyList),
    initialBalances: option(struct({ value: initialBalances })),
    credits: list(creditPatch, { max: MAX_ENTRIES }),
    settledResetTokens: option(list(signature, { max: 2 })),
    backwards: queuePatch(queuedBackwardsOp), requests: queuePatch(queuedRequest), userRequests: queuePatch(queuedRequest),
  })],
}));
const friendInfo: Codec<FriendInfo> = as(struct({
  name, remoteRelays: relayList, sentLocalRelays, currencyConfigs: currencyMap(currencyConfig), enabled: bool,
}));
const friendPatch: Codec<FriendPatch> = as(struct({ info: option(friendInfo), channel: option(channelPatch) }));

export const funderMutationCodec: Codec<FunderMutation> = as(union({
  'set-relays': [0, struct({ relays: list(namedRelay, { max: 16 }) })],
  'set-settings': [1, struct({ settings })],
  'set-friend': [2, struct({ friend: friendState })],
  'remove-friend': [3, struct({ publicKey: keyHex })],
  'set-invoice': [4, struct({ invoiceId: keyHex, invoice: openInvoice })],
  'remove-invoice': [5, struct({ invoiceId: keyHex })],
  'set-transaction': [6, struct({ requestId: uidHex, transaction: openTransaction })],
  'remove-transaction': [7, struct({ requestId: uidHex })],
  'set-payment': [8, struct({ paymentId: uidHex, payment })],
  'remove-payment': [9, struct({ paymentId: uidHex })],
  'set-online': [10, struct({ publicKey: keyHex, online: bool })],
  'patch-friend': [11, struct({ publicKey: keyHex, patch: friendPatch })],
}));
