/** The app protocol's messages (docs/app-protocol.md): what an app asks its node (AppToNode:
 *  a fresh request id and an AppRequest) and what the node tells an app (NodeToApp: exactly one
 *  Ack per request, the report and its mutations, transaction and payment results, routes).
 *  Every codec is strict and bounded. Browser-safe: the wallet renderer uses it too. */
import { type Codec, bool, list, option, struct, u128, union, utf8 } from '../codec/index.ts';
import {
  type Commit, MAX_ACTIVE_CURRENCIES, type Rate, type Receipt, type RelayAddress, currency, hashResult, invoiceId, lock, publicKey, rate,
  route, signature, uid,
} from '../proto/index.ts';
import type { AppPermissions } from '../files/index.ts';
import { type CurrencyBalance, type NodeReport, type ReportMutation, currencyBalance, nodeReport, reportMutationList } from './node-report.ts';
import {
  MAX_ERROR_MESSAGE_BYTES, MAX_MULTI_ROUTES, MAX_ROUTES_PER_MULTI_ROUTE, type NamedIndexServerAddress,
  type NamedRelayAddress, friendRelayList, literals, name, namedIndexServerAddress, namedRelayAddress, paymentId,
  uniqueList,
} from './wire-common.ts';
import { type HistoryFilter, type HistoryPage, type SignedFriendToken, historyFilter, historyPage, signedFriendToken } from './history-query.ts';

/** The currency stctrl uses where the tutorial names none: stregister's (files/invoice.ts). */
export { DEFAULT_CURRENCY } from '../files/index.ts';

export const commit: Codec<Commit> = struct({
  responseHash: hashResult,
  srcPlainLock: lock,
  destHashedLock: hashResult,
  destPayment: u128,
  totalDestPayment: u128,
  invoiceId,
  currency,
  signature,
});

export const receipt: Codec<Receipt> = struct({
  responseHash: hashResult,
  invoiceId,
  currency,
  srcPlainLock: lock,
  destPlainLock: lock,
  isComplete: bool,
  destPayment: u128,
  totalDestPayment: u128,
  signature,
});

export interface Edge {
  readonly from: Uint8Array;
  readonly to: Uint8Array;
}

export type AppRequest =
  // config
  | { readonly kind: 'add-relay'; readonly relay: NamedRelayAddress }
  | { readonly kind: 'remove-relay'; readonly publicKey: Uint8Array }
  | { readonly kind: 'add-index-server'; readonly server: NamedIndexServerAddress }
  | { readonly kind: 'remove-index-server'; readonly publicKey: Uint8Array }
  | {
    readonly kind: 'add-friend'; readonly friendPublicKey: Uint8Array; readonly name: string;
    readonly relays: readonly RelayAddress[];
    /** The tutorial's `--balance`: agreed starting balances, per currency (our side's view). */
    readonly initialBalances: readonly CurrencyBalance[];
  }
  | { readonly kind: 'remove-friend'; readonly friendPublicKey: Uint8Array }
  | { readonly kind: 'enable-friend'; readonly friendPublicKey: Uint8Array }
  | { readonly kind: 'disable-friend'; readonly friendPublicKey: Uint8Array }
  | { readonly kind: 'set-friend-name'; readonly friendPublicKey: Uint8Array; readonly name: string }
  | { readonly kind: 'set-friend-relays'; readonly friendPublicKey: Uint8Array; readonly relays: readonly RelayAddress[] }
  | { readonly kind: 'add-friend-currency'; readonly friendPublicKey: Uint8Array; readonly currency: string }
  | { readonly kind: 'remove-friend-currency'; readonly friendPublicKey: Uint8Array; readonly currency: string }
  | { readonly kind: 'open-friend-currency'; readonly friendPublicKey: Uint8Array; readonly currency: string }
  | { readonly kind: 'close-friend-currency'; readonly friendPublicKey: Uint8Array; readonly currency: string }
  | {
    readonly kind: 'set-friend-currency-max-debt'; readonly friendPublicKey: Uint8Array; readonly currency: string;
    readonly remoteMaxDebt: bigint;
  }
  | { readonly kind: 'set-friend-currency-rate'; readonly friendPublicKey: Uint8Array; readonly currency: string; readonly rate: Rate }
  | { readonly kind: 'reset-friend-channel'; readonly friendPublicKey: Uint8Array; readonly resetToken: Uint8Array }
  /** Whether this node collects, by itself, payments whose lock is sealed to it (send-funds). */
  | { readonly kind: 'set-accept-auto-collect'; readonly accept: boolean }
  // routes
  | {
    readonly kind: 'request-routes'; readonly currency: string; readonly amount: bigint;
    readonly source: Uint8Array; readonly destination: Uint8Array; readonly exclude: Edge | undefined;
  }
  // buyer
  | {
    readonly kind: 'create-payment'; readonly paymentId: Uint8Array; readonly invoiceId: Uint8Array;
    readonly currency: string; readonly totalDestPayment: bigint; readonly destPublicKey: Uint8Array;
    /** Seal the payment's lock to the destination so it collects by itself (send-funds, offline
     *  invoices; docs/funder.md "autoCollect"); false: the buyer hands the commit to the seller. */
    readonly autoCollect: boolean;
  }
  | {
    readonly kind: 'create-transaction'; readonly paymentId: Uint8Array; readonly transactionId: Uint8Array;
    readonly route: readonly Uint8Array[]; readonly destPayment: bigint; readonly fees: bigint;
  }
  | { readonly kind: 'request-close-payment'; readonly paymentId: Uint8Array }
  | { readonly kind: 'ack-close-payment'; readonly paymentId: Uint8Array; readonly ackUid: Uint8Array }
  // seller
  | { readonly kind: 'add-invoice'; readonly invoiceId: Uint8Array; readonly currency: string; readonly totalDestPayment: bigint }
  | { readonly kind: 'cancel-invoice'; readonly invoiceId: Uint8Array }
  | { readonly kind: 'commit-invoice'; readonly commit: Commit }
  // reads (history-query.ts): no permission needed
  | { readonly kind: 'query-history'; readonly filter: HistoryFilter }
  | { readonly kind: 'query-friend-token'; readonly friendPublicKey: Uint8Array };

export type AppRequestKind = AppRequest['kind'];

const friendCurrency = struct({ friendPublicKey: publicKey, currency });
const edge: Codec<Edge> = struct({ from: publicKey, to: publicKey });

export const appRequest: Codec<AppRequest> = union({
  'add-relay': [0, struct({ relay: namedRelayAddress })],
  'remove-relay': [1, struct({ publicKey })],
  'add-index-server': [2, struct({ server: namedIndexServerAddress })],
  'remove-index-server': [3, struct({ publicKey })],
  'add-friend': [4, struct({
    friendPublicKey: publicKey,
    name,
    relays: friendRelayList,
    initialBalances: uniqueList(currencyBalance, MAX_ACTIVE_CURRENCIES, (c) => c.currency, 'currency'),
  })],
  'remove-friend': [5, struct({ friendPublicKey: publicKey })],
  'enable-friend': [6, struct({ friendPublicKey: publicKey })],
  'disable-friend': [7, struct({ friendPublicKey: publicKey })],
  'set-friend-name': [8, struct({ friendPublicKey: publicKey, name })],
  'set-friend-relays': [9, struct({ friendPublicKey: publicKey, relays: friendRelayList })],
  'add-friend-currency': [10, friendCurrency],
  'remove-friend-currency': [11, friendCurrency],
  'open-friend-currency': [12, friendCurrency],
  'close-friend-currency': [13, friendCurrency],
  'set-friend-currency-max-debt': [14, struct({ friendPublicKey: publicKey, currency, remoteMaxDebt: u128 })],
  'set-friend-currency-rate': [15, struct({ friendPublicKey: publicKey, currency, rate })],
  'reset-friend-channel': [16, struct({ friendPublicKey: publicKey, resetToken: signature })],
  'set-accept-auto-collect': [17, struct({ accept: bool })],
  'request-routes': [32, struct({ currency, amount: u128, source: publicKey, destination: publicKey, exclude: option(edge) })],
  'create-payment': [48, struct({
    paymentId, invoiceId, currency, totalDestPayment: u128, destPublicKey: publicKey, autoCollect: bool,
  })],
  'create-transaction': [49, struct({ paymentId, transactionId: uid, route, destPayment: u128, fees: u128 })],
  'request-close-payment': [50, struct({ paymentId })],
  'ack-close-payment': [51, struct({ paymentId, ackUid: uid })],
  'add-invoice': [64, struct({ invoiceId, currency, totalDestPayment: u128 })],
  'cancel-invoice': [65, struct({ invoiceId })],
  'commit-invoice': [66, struct({ commit })],
  'query-history': [96, struct({ filter: historyFilter })],
  'query-friend-token': [97, struct({ friendPublicKey: publicKey })],
});

export const appPermissions: Codec<AppPermissions> = struct({ buyer: bool, seller: bool, config: bool, routes: bool });

export interface AppToNode {
  /** 16 random bytes chosen by the app; the node acknowledges each id exactly once. */
  readonly requestId: Uint8Array;
  readonly request: AppRequest;
}
export const appToNode: Codec<AppToNode> = struct({ requestId: uid, request: appRequest });

/** Why the node refused a request. Closed: a code outside this list does not decode. The
 *  second group is the funder's AppErrorCode (funder/events.ts) verbatim, so the node passes
 *  funder refusals through unchanged. */
export const APP_ERROR_CODES = [
  'permission-denied', // the app's ticket lacks the permission (permissions.ts)
  'malformed-request', // the bytes after the request id do not decode (the message says where)
  'invalid-request', // well-formed, but meaningless here (the message says why)
  'relay-not-found', 'index-server-not-found', 'max-index-servers-reached', 'friend-already-exists',
  'not-connected', // e.g. no index server to ask for routes
  'internal', // the node failed (e.g. storage); the request may be retried
  // funder/events.ts AppErrorCode:
  'friend-does-not-exist', 'friend-is-self', 'friend-offline', 'max-node-relays-reached', 'invalid-currency',
  'too-many-currencies', 'currency-not-configured', 'can-not-remove-active-currency', 'not-invited-to-reset',
  'reset-token-mismatch', 'invalid-reset-terms', 'payment-already-open', 'payment-does-not-exist',
  'new-transactions-not-allowed', 'not-first-in-route', 'dest-not-last-in-route', 'invalid-route',
  'friend-not-ready', 'request-already-in-progress', 'pending-user-requests-full', 'dest-payment-exceeds-total',
  'credits-calc-overflow', 'ack-state-invalid', 'ack-mismatch', 'invoice-already-exists',
  'invoice-does-not-exist', 'invalid-commit', 'invalid-amount',
] as const;
export type AppErrorCode = typeof APP_ERROR_CODES[number];

export interface AppError {
  readonly code: AppErrorCode;
  readonly message: string;
}
export const appError: Codec<AppError> = struct({
  code: literals(APP_ERROR_CODES),
  message: utf8({ maxBytes: MAX_ERROR_MESSAGE_BYTES }),
});

export type AckResult = { readonly kind: 'ok' } | { readonly kind: 'error'; readonly error: AppError };
export const ackResult: Codec<AckResult> = union({
  ok: [0, struct({})],
  error: [1, struct({ error: appError })],
});

/** A payment part's outcome (the original's RequestResult): `complete` carries the commit the
 *  seller needs; `success` = accepted, not the last part; `failure` = canceled along the route. */
export type TransactionOutcome =
  | { readonly kind: 'complete'; readonly commit: Commit }
  | { readonly kind: 'success' }
  | { readonly kind: 'failure' };
export const transactionOutcome: Codec<TransactionOutcome> = union({
  complete: [0, struct({ commit })],
  success: [1, struct({})],
  failure: [2, struct({})],
});

/** Answer to request-close-payment (the original's PaymentStatus). */
export type PaymentStatus =
  | { readonly kind: 'not-found' }
  | { readonly kind: 'success'; readonly receipt: Receipt; readonly ackUid: Uint8Array }
  | { readonly kind: 'canceled'; readonly ackUid: Uint8Array };
export const paymentStatus: Codec<PaymentStatus> = union({
  'not-found': [0, struct({})],
  success: [1, struct({ receipt, ackUid: uid })],
  canceled: [2, struct({ ackUid: uid })],
});

export interface RouteCapacityRate {
  /** Full route: source first, destination last. */
  readonly route: readonly Uint8Array[];
  /** The most this route carries (amount + fees) alongside the multi-route's other routes. */
  readonly capacity: bigint;
  /** Sum of the mediators' rates; the buyer pays calcFee(rate, part). */
  readonly rate: Rate;
}
/** Routes that together carry the amount asked for. */
export interface MultiRoute {
  readonly routes: readonly RouteCapacityRate[];
}
export const routeCapacityRate: Codec<RouteCapacityRate> = struct({ route, capacity: u128, rate });
export const multiRoute: Codec<MultiRoute> = struct({ routes: list(routeCapacityRate, { max: MAX_ROUTES_PER_MULTI_ROUTE }) });

export type RoutesOutcome =
  | { readonly kind: 'success'; readonly multiRoutes: readonly MultiRoute[] }
  | { readonly kind: 'failure' };
export const routesOutcome: Codec<RoutesOutcome> = union({
  success: [0, struct({ multiRoutes: list(multiRoute, { max: MAX_MULTI_ROUTES }) })],
  failure: [1, struct({})],
});

/** What happened to one of our open invoices (seller side); the funder's InvoiceEvent. */
export type InvoiceEvent =
  /** A payment part arrived and is held: `paid` is the invoice's sum so far. */
  | { readonly kind: 'request-arrived'; readonly destPayment: bigint; readonly paid: bigint }
  /** Parts summing to the total are held; waiting for the buyer's commit. */
  | { readonly kind: 'complete' }
  /** The credits were collected (commit-invoice, or the node opened a sealed lock itself). */
  | { readonly kind: 'collected' }
  | { readonly kind: 'canceled' };
export const invoiceEvent: Codec<InvoiceEvent> = union({
  'request-arrived': [0, struct({ destPayment: u128, paid: u128 })],
  complete: [1, struct({})],
  collected: [2, struct({})],
  canceled: [3, struct({})],
});

export type NodeToApp =
  | { readonly kind: 'ack'; readonly requestId: Uint8Array; readonly result: AckResult }
  /** First message on every connection (and after a resync): the app's permissions and the full report. */
  | { readonly kind: 'report'; readonly permissions: AppPermissions; readonly report: NodeReport }
  | { readonly kind: 'report-mutations'; readonly mutations: readonly ReportMutation[] }
  | { readonly kind: 'transaction-result'; readonly transactionId: Uint8Array; readonly outcome: TransactionOutcome }
  | { readonly kind: 'payment-status'; readonly paymentId: Uint8Array; readonly status: PaymentStatus }
  /** Keyed by the request-routes request's own id. */
  | { readonly kind: 'routes-result'; readonly requestId: Uint8Array; readonly outcome: RoutesOutcome }
  | { readonly kind: 'invoice-event'; readonly invoiceId: Uint8Array; readonly event: InvoiceEvent }
  /** Keyed by the query-history request's own id; sent before its ack. */
  | { readonly kind: 'history-result'; readonly requestId: Uint8Array; readonly page: HistoryPage }
  /** Keyed by the query-friend-token request's own id; `token` is absent before the friend sent one. */
  | { readonly kind: 'friend-token-result'; readonly requestId: Uint8Array; readonly token: SignedFriendToken | undefined };

export const nodeToApp: Codec<NodeToApp> = union({
  ack: [0, struct({ requestId: uid, result: ackResult })],
  report: [1, struct({ permissions: appPermissions, report: nodeReport })],
  'report-mutations': [2, struct({ mutations: reportMutationList })],
  'transaction-result': [3, struct({ transactionId: uid, outcome: transactionOutcome })],
  'payment-status': [4, struct({ paymentId, status: paymentStatus })],
  'routes-result': [5, struct({ requestId: uid, outcome: routesOutcome })],
  'invoice-event': [6, struct({ invoiceId, event: invoiceEvent })],
  'history-result': [7, struct({ requestId: uid, page: historyPage })],
  'friend-token-result': [8, struct({ requestId: uid, token: option(signedFriendToken) })],
});
