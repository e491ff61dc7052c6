/** fast-check generators for the app protocol's values, for round-trip and reducer tests.
 *  Only tests import this file. */
import fc from 'fast-check';
import type { Commit, Rate, Receipt, RelayAddress } from '../proto/index.ts';
import type { AppRequest, AppToNode, MultiRoute, NodeToApp } from './messages.ts';
import {
  type ChannelReport, type FriendCurrencyReport, type FriendReport, type NodeReport, type OpenInvoiceReport,
  type OpenPaymentReport, PAYMENT_STAGES, type ReportMutation, compareCurrencies,
} from './node-report.ts';
import type { NamedRelayAddress } from './wire-common.ts';
import { APP_ERROR_CODES } from './messages.ts';
import type { HistoryEntry, HistoryFilter, SignedFriendToken } from './history-query.ts';

const enc = new TextEncoder();
// A leading U+FEFF encodes but does not decode (codec/codecs.ts utf8 drops BOMs): kept out here.
const maxBytes = (n: number) => (s: string): boolean => enc.encode(s).length <= n && !s.startsWith('\uFEFF');
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export const bytesN = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n });
/** Small key space so that lists and mutations hit the same keys often. */
export const key: fc.Arbitrary<Uint8Array> = fc.integer({ min: 0, max: 5 }).map((i) => new Uint8Array(32).fill(i));
export const anyKey = bytesN(32);
export const uid = bytesN(16);
export const u128 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
export const i128 = fc.bigInt({ min: -(1n << 127n), max: (1n << 127n) - 1n });
export const currency: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('FST', 'USD', 'EUR', ''),
  fc.string({ unit: 'grapheme', maxLength: 6 }).filter(maxBytes(16)),
);
export const name: fc.Arbitrary<string> = fc.string({ unit: 'grapheme', maxLength: 12 }).filter(maxBytes(128));
export const address: fc.Arbitrary<string> = fc.constantFrom('127.0.0.1:9000', 'relay.example:1', '[::1]:80', '');
export const rate: fc.Arbitrary<Rate> = fc.record({ mul: fc.nat({ max: 0xffff_ffff }), add: fc.nat({ max: 0xffff_ffff }) });

function uniqueBy<T>(arb: fc.Arbitrary<T>, k: (x: T) => string, maxLength: number): fc.Arbitrary<T[]> {
  return fc.uniqueArray(arb, { selector: k, maxLength });
}

export const relayAddress: fc.Arbitrary<RelayAddress> = fc.record({ publicKey: key, address });
export const relays = uniqueBy(relayAddress, (r) => hex(r.publicKey), 4);
export const namedRelay: fc.Arbitrary<NamedRelayAddress> = fc.record({ publicKey: key, address, name });
export const currencyBalances = uniqueBy(fc.record({ currency, balance: i128 }), (c) => c.currency, 3);

export const friendCurrency: fc.Arbitrary<FriendCurrencyReport> = fc.record({
  currency, balance: i128, localMaxDebt: u128, remoteMaxDebt: u128, localPendingDebt: u128, remotePendingDebt: u128,
  rate, localRequestsOpen: fc.boolean(), remoteRequestsOpen: fc.boolean(),
});

export const channel: fc.Arbitrary<ChannelReport> = fc.oneof(
  fc.constant({ kind: 'consistent' as const }),
  fc.record({
    kind: fc.constant('inconsistent' as const),
    localResetTerms: currencyBalances,
    remoteResetTerms: fc.option(fc.record({ resetToken: bytesN(64), balanceForReset: currencyBalances }), { nil: undefined }),
  }),
);

export const friend: fc.Arbitrary<FriendReport> = fc.record({
  publicKey: key, name, relays, enabled: fc.boolean(), online: fc.boolean(), channel,
  currencies: uniqueBy(friendCurrency, (c) => c.currency, 3).map((cs) => cs.sort((a, b) => compareCurrencies(a.currency, b.currency))),
});

export const openInvoice: fc.Arbitrary<OpenInvoiceReport> = fc.record({
  invoiceId: fc.integer({ min: 0, max: 3 }).map((i) => new Uint8Array(32).fill(i)), currency, totalDestPayment: u128, paidDestPayment: u128,
});
export const openPayment: fc.Arbitrary<OpenPaymentReport> = fc.record({
  paymentId: fc.integer({ min: 0, max: 3 }).map((i) => new Uint8Array(16).fill(i)), invoiceId: bytesN(32), currency,
  totalDestPayment: u128, destPublicKey: anyKey, stage: fc.constantFrom(...PAYMENT_STAGES), numTransactions: fc.nat({ max: 0xffff_ffff }),
});

export const report: fc.Arbitrary<NodeReport> = fc.record({
  localPublicKey: anyKey,
  relays: uniqueBy(namedRelay, (r) => hex(r.publicKey), 4),
  indexServers: uniqueBy(namedRelay, (r) => hex(r.publicKey), 4),
  connectedIndexServer: fc.option(key, { nil: undefined }),
  friends: uniqueBy(friend, (f) => hex(f.publicKey), 4),
  openInvoices: uniqueBy(openInvoice, (i) => hex(i.invoiceId), 3),
  openPayments: uniqueBy(openPayment, (p) => hex(p.paymentId), 3),
  connectedRelays: fc.option(uniqueBy(key, hex, 3).filter((l) => l.length > 0), { nil: undefined }),
});

export const mutation: fc.Arbitrary<ReportMutation> = fc.oneof(
  fc.record({ kind: fc.constant('add-relay' as const), relay: namedRelay }),
  fc.record({ kind: fc.constant('remove-relay' as const), publicKey: key }),
  fc.record({ kind: fc.constant('add-index-server' as const), server: namedRelay }),
  fc.record({ kind: fc.constant('remove-index-server' as const), publicKey: key }),
  fc.record({ kind: fc.constant('set-connected-index-server' as const), publicKey: fc.option(key, { nil: undefined }) }),
  fc.record({ kind: fc.constant('add-friend' as const), friend }),
  fc.record({ kind: fc.constant('remove-friend' as const), publicKey: key }),
  fc.record({ kind: fc.constant('set-friend-name' as const), publicKey: key, name }),
  fc.record({ kind: fc.constant('set-friend-relays' as const), publicKey: key, relays }),
  fc.record({ kind: fc.constant('set-friend-enabled' as const), publicKey: key, enabled: fc.boolean() }),
  fc.record({ kind: fc.constant('set-friend-online' as const), publicKey: key, online: fc.boolean() }),
  fc.record({ kind: fc.constant('set-friend-channel' as const), publicKey: key, channel }),
  fc.record({ kind: fc.constant('set-friend-currency' as const), publicKey: key, currency: friendCurrency }),
  fc.record({ kind: fc.constant('remove-friend-currency' as const), publicKey: key, currency }),
  fc.record({ kind: fc.constant('set-open-invoice' as const), invoice: openInvoice }),
  fc.record({ kind: fc.constant('remove-open-invoice' as const), invoiceId: openInvoice.map((i) => i.invoiceId) }),
  fc.record({ kind: fc.constant('set-open-payment' as const), payment: openPayment }),
  fc.record({ kind: fc.constant('remove-open-payment' as const), paymentId: openPayment.map((p) => p.paymentId) }),
  fc.record({ kind: fc.constant('set-connected-relays' as const), publicKeys: fc.option(uniqueBy(key, hex, 3).filter((l) => l.length > 0), { nil: undefined }) }),
);

export const commit: fc.Arbitrary<Commit> = fc.record({
  responseHash: bytesN(32), srcPlainLock: bytesN(32), destHashedLock: bytesN(32), destPayment: u128,
  totalDestPayment: u128, invoiceId: bytesN(32), currency, signature: bytesN(64),
});
export const receipt: fc.Arbitrary<Receipt> = fc.record({
  responseHash: bytesN(32), invoiceId: bytesN(32), currency, srcPlainLock: bytesN(32), destPlainLock: bytesN(32),
  isComplete: fc.boolean(), destPayment: u128, totalDestPayment: u128, signature: bytesN(64),
});

const routeKeys = fc.array(anyKey, { maxLength: 6 });
const fk = { friendPublicKey: anyKey };
const fkc = { friendPublicKey: anyKey, currency };

const millis = fc.nat({ max: Number.MAX_SAFE_INTEGER });
const shortText = fc.string({ maxLength: 12 });
const cursor = fc.record({ time: millis, id: shortText });
export const historyFilter: fc.Arbitrary<HistoryFilter> = fc.record({
  kind: fc.option(shortText, { nil: undefined }), currency: fc.option(currency, { nil: undefined }),
  counterpart: fc.option(shortText, { nil: undefined }), from: fc.option(millis, { nil: undefined }),
  to: fc.option(millis, { nil: undefined }), order: fc.constantFrom('asc' as const, 'desc' as const),
  limit: fc.integer({ min: 1, max: 256 }), cursor: fc.option(cursor, { nil: undefined }),
});
export const historyEntry: fc.Arbitrary<HistoryEntry> = fc.record({
  id: shortText, kind: shortText, time: millis, currency: shortText, amount: i128,
  counterpart: fc.option(shortText, { nil: undefined }), state: shortText, data: fc.uint8Array({ maxLength: 40 }),
  via: fc.array(fc.record({ friend: shortText, amount: fc.bigInt({ min: 1n, max: (1n << 128n) - 1n }) }), { maxLength: 3 }),
});
export const signedFriendToken: fc.Arbitrary<SignedFriendToken> = fc.record({
  prefixHash: bytesN(32), randNonce: bytesN(16), newToken: bytesN(64),
  tokenInfo: fc.record({
    localPublicKey: anyKey, remotePublicKey: anyKey,
    balances: fc.array(fc.record({ currency, balance: i128, localPendingDebt: u128, remotePendingDebt: u128 }), { maxLength: 3 }),
    inconsistencyCounter: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), moveTokenCounter: u128,
  }),
});

export const request: fc.Arbitrary<AppRequest> = fc.oneof(
  fc.record({ kind: fc.constant('add-relay' as const), relay: namedRelay }),
  fc.record({ kind: fc.constant('remove-relay' as const), publicKey: anyKey }),
  fc.record({ kind: fc.constant('add-index-server' as const), server: namedRelay }),
  fc.record({ kind: fc.constant('remove-index-server' as const), publicKey: anyKey }),
  fc.record({ kind: fc.constant('add-friend' as const), ...fk, name, relays, initialBalances: currencyBalances }),
  fc.record({ kind: fc.constant('remove-friend' as const), ...fk }),
  fc.record({ kind: fc.constant('enable-friend' as const), ...fk }),
  fc.record({ kind: fc.constant('disable-friend' as const), ...fk }),
  fc.record({ kind: fc.constant('set-friend-name' as const), ...fk, name }),
  fc.record({ kind: fc.constant('set-friend-relays' as const), ...fk, relays }),
  fc.record({ kind: fc.constant('add-friend-currency' as const), ...fkc }),
  fc.record({ kind: fc.constant('remove-friend-currency' as const), ...fkc }),
  fc.record({ kind: fc.constant('open-friend-currency' as const), ...fkc }),
  fc.record({ kind: fc.constant('close-friend-currency' as const), ...fkc }),
  fc.record({ kind: fc.constant('set-friend-currency-max-debt' as const), ...fkc, remoteMaxDebt: u128 }),
  fc.record({ kind: fc.constant('set-friend-currency-rate' as const), ...fkc, rate }),
  fc.record({ kind: fc.constant('reset-friend-channel' as const), ...fk, resetToken: bytesN(64) }),
  fc.record({ kind: fc.constant('set-accept-auto-collect' as const), accept: fc.boolean() }),
  fc.record({
    kind: fc.constant('request-routes' as const), currency, amount: u128, source: anyKey, destination: anyKey,
    exclude: fc.option(fc.record({ from: anyKey, to: anyKey }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('create-payment' as const), paymentId: uid, invoiceId: bytesN(32), currency, totalDestPayment: u128,
    destPublicKey: anyKey, autoCollect: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('create-transaction' as const), paymentId: uid, transactionId: uid, route: routeKeys, destPayment: u128, fees: u128 }),
  fc.record({ kind: fc.constant('request-close-payment' as const), paymentId: uid }),
  fc.record({ kind: fc.constant('ack-close-payment' as const), paymentId: uid, ackUid: uid }),
  fc.record({ kind: fc.constant('add-invoice' as const), invoiceId: bytesN(32), currency, totalDestPayment: u128 }),
  fc.record({ kind: fc.constant('cancel-invoice' as const), invoiceId: bytesN(32) }),
  fc.record({ kind: fc.constant('commit-invoice' as const), commit }),
  fc.record({ kind: fc.constant('query-history' as const), filter: historyFilter }),
  fc.record({ kind: fc.constant('query-friend-token' as const), ...fk }),
);

export const appToNode: fc.Arbitrary<AppToNode> = fc.record({ requestId: uid, request });

const multiRoute: fc.Arbitrary<MultiRoute> = fc.record({
  routes: fc.array(fc.record({ route: routeKeys, capacity: u128, rate }), { maxLength: 3 }),
});

export const nodeToApp: fc.Arbitrary<NodeToApp> = fc.oneof(
  fc.record({
    kind: fc.constant('ack' as const), requestId: uid,
    result: fc.oneof(
      fc.constant({ kind: 'ok' as const }),
      fc.record({ kind: fc.constant('error' as const), error: fc.record({ code: fc.constantFrom(...APP_ERROR_CODES), message: name }) }),
    ),
  }),
  fc.record({
    kind: fc.constant('report' as const), report,
    permissions: fc.record({ buyer: fc.boolean(), seller: fc.boolean(), config: fc.boolean(), routes: fc.boolean() }),
  }),
  fc.record({ kind: fc.constant('report-mutations' as const), mutations: fc.array(mutation, { maxLength: 5 }) }),
  fc.record({
    kind: fc.constant('transaction-result' as const), transactionId: uid,
    outcome: fc.oneof(
      fc.record({ kind: fc.constant('complete' as const), commit }),
      fc.constant({ kind: 'success' as const }),
      fc.constant({ kind: 'failure' as const }),
    ),
  }),
  fc.record({
    kind: fc.constant('payment-status' as const), paymentId: uid,
    status: fc.oneof(
      fc.constant({ kind: 'not-found' as const }),
      fc.record({ kind: fc.constant('success' as const), receipt, ackUid: uid }),
      fc.record({ kind: fc.constant('canceled' as const), ackUid: uid }),
    ),
  }),
  fc.record({
    kind: fc.constant('routes-result' as const), requestId: uid,
    outcome: fc.oneof(
      fc.record({ kind: fc.constant('success' as const), multiRoutes: fc.array(multiRoute, { maxLength: 2 }) }),
      fc.constant({ kind: 'failure' as const }),
    ),
  }),
  fc.record({
    kind: fc.constant('invoice-event' as const), invoiceId: bytesN(32),
    event: fc.oneof(
      fc.record({ kind: fc.constant('request-arrived' as const), destPayment: u128, paid: u128 }),
      fc.constant({ kind: 'complete' as const }),
      fc.constant({ kind: 'collected' as const }),
      fc.constant({ kind: 'canceled' as const }),
    ),
  }),
  fc.record({
    kind: fc.constant('history-result' as const), requestId: uid,
    page: fc.record({ rows: fc.array(historyEntry, { maxLength: 3 }), next: fc.option(cursor, { nil: undefined }) }),
  }),
  fc.record({ kind: fc.constant('friend-token-result' as const), requestId: uid, token: fc.option(signedFriendToken, { nil: undefined }) }),
);
