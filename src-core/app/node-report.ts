/** NodeReport: everything an app may see of its node (docs/app-protocol.md "Report"), and the
 *  mutations that keep an app's copy current. The node sends a full report when an app connects,
 *  then only mutations; apps fold them with `applyReportMutation` (report.ts). Browser-safe. */
import { type Codec, bool, i128, list, map, option, struct, u128, u32, union } from '../codec/index.ts';
import {
  MAX_ACTIVE_CURRENCIES, type Rate, type RelayAddress, currency, invoiceId, publicKey, rate, signature,
} from '../proto/index.ts';
import {
  MAX_FRIENDS, MAX_MUTATIONS_PER_MESSAGE, MAX_OPEN_INVOICES, MAX_OPEN_PAYMENTS, MAX_RELAYS, type NamedIndexServerAddress,
  type NamedRelayAddress, friendRelayList, hexOf, literals, name, namedIndexServerAddress, namedIndexServerList,
  namedRelayAddress, namedRelayList, paymentId, uniqueList,
} from './wire-common.ts';

/** One currency of one friend, from our side. The letters are the `info friends` table's. */
export interface FriendCurrencyReport {
  readonly currency: string;
  /** B: what the friend owes us (negative: what we owe the friend). */
  readonly balance: bigint;
  /** LMD: how far the friend lets us owe it, as the friend last told us (0 until it has). */
  readonly localMaxDebt: bigint;
  /** RMD: how far we let the friend owe us (set with set-friend-max-debt). */
  readonly remoteMaxDebt: bigint;
  /** LPD: credits frozen in requests we sent the friend. */
  readonly localPendingDebt: bigint;
  /** RPD: credits frozen in requests the friend sent us. */
  readonly remotePendingDebt: bigint;
  /** Our fee for forwarding this friend's requests to others. */
  readonly rate: Rate;
  /** LR: we accept requests from the friend to be forwarded through us (open-friend). */
  readonly localRequestsOpen: boolean;
  /** RR: the friend accepts our requests through it (the friend's open-friend). */
  readonly remoteRequestsOpen: boolean;
}

export interface CurrencyBalance {
  readonly currency: string;
  readonly balance: bigint;
}

export type ChannelReport =
  | { readonly kind: 'consistent' }
  | {
    readonly kind: 'inconsistent';
    /** What we proposed: our view of every currency's balance. */
    readonly localResetTerms: readonly CurrencyBalance[];
    /** What the friend proposed, when it has; reset-friend-channel accepts these. */
    readonly remoteResetTerms: { readonly resetToken: Uint8Array; readonly balanceForReset: readonly CurrencyBalance[] } | undefined;
  };

export interface FriendReport {
  readonly publicKey: Uint8Array;
  readonly name: string;
  /** The relays the friend is reached through. */
  readonly relays: readonly RelayAddress[];
  readonly enabled: boolean;
  readonly online: boolean;
  readonly channel: ChannelReport;
  /** Sorted by currency (UTF-8 byte order), one entry per currency. */
  readonly currencies: readonly FriendCurrencyReport[];
}

export interface OpenInvoiceReport {
  readonly invoiceId: Uint8Array;
  readonly currency: string;
  readonly totalDestPayment: bigint;
  /** Sum of the requests held for this invoice; equal to the total once fully paid. */
  readonly paidDestPayment: bigint;
}

/** The original's PaymentStage (reference/funder.md §6.1), kebab-case. */
export const PAYMENT_STAGES = ['new-transactions', 'in-progress', 'success', 'canceled', 'after-success-ack'] as const;
export type PaymentStage = typeof PAYMENT_STAGES[number];

export interface OpenPaymentReport {
  readonly paymentId: Uint8Array;
  readonly invoiceId: Uint8Array;
  readonly currency: string;
  readonly totalDestPayment: bigint;
  readonly destPublicKey: Uint8Array;
  readonly stage: PaymentStage;
  /** Transactions still open. */
  readonly numTransactions: number;
}

export interface NodeReport {
  readonly localPublicKey: Uint8Array;
  readonly relays: readonly NamedRelayAddress[];
  readonly indexServers: readonly NamedIndexServerAddress[];
  /** The index server the node is connected to now (marked `(*)` by `info index`). */
  readonly connectedIndexServer: Uint8Array | undefined;
  /** In the order the friends were added. */
  readonly friends: readonly FriendReport[];
  readonly openInvoices: readonly OpenInvoiceReport[];
  readonly openPayments: readonly OpenPaymentReport[];
  /** The relays the node listens on now, i.e. friends can reach it through them (public keys,
   *  in the order of `relays`). Absent or empty: none. Optional so reports built before the
   *  field existed still type-check; on the wire an empty list, decoded as absent. */
  readonly connectedRelays?: readonly Uint8Array[];
}

export const currencyBalance: Codec<CurrencyBalance> = struct({ currency, balance: i128 });
const currencyBalanceList = uniqueList(currencyBalance, MAX_ACTIVE_CURRENCIES, (c) => c.currency, 'currency');

export const friendCurrencyReport: Codec<FriendCurrencyReport> = struct({
  currency,
  balance: i128,
  localMaxDebt: u128,
  remoteMaxDebt: u128,
  localPendingDebt: u128,
  remotePendingDebt: u128,
  rate,
  localRequestsOpen: bool,
  remoteRequestsOpen: bool,
});

export const channelReport: Codec<ChannelReport> = union({
  consistent: [0, struct({})],
  inconsistent: [1, struct({
    localResetTerms: currencyBalanceList,
    remoteResetTerms: option(struct({ resetToken: signature, balanceForReset: currencyBalanceList })),
  })],
});

const utf8Bytes = new TextEncoder();
/** Byte-wise order of UTF-8, the order the original sorts currencies in. */
export function compareCurrencies(a: string, b: string): number {
  const x = utf8Bytes.encode(a);
  const y = utf8Bytes.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

const sortedCurrencies: Codec<readonly FriendCurrencyReport[]> = (() => {
  const inner = uniqueList(friendCurrencyReport, MAX_ACTIVE_CURRENCIES, (c) => c.currency, 'currency');
  return {
    encode: inner.encode,
    decode(r) {
      const start = r.offset;
      const v = inner.decode(r);
      for (let i = 1; i < v.length; i++) {
        if (compareCurrencies((v[i - 1] as FriendCurrencyReport).currency, (v[i] as FriendCurrencyReport).currency) > 0) {
          r.fail('non-canonical', `currencies not sorted at ${start}`);
        }
      }
      return v;
    },
  };
})();

export const friendReport: Codec<FriendReport> = struct({
  publicKey,
  name,
  relays: friendRelayList,
  enabled: bool,
  online: bool,
  channel: channelReport,
  currencies: sortedCurrencies,
});

export const openInvoiceReport: Codec<OpenInvoiceReport> = struct({
  invoiceId,
  currency,
  totalDestPayment: u128,
  paidDestPayment: u128,
});

export const paymentStage: Codec<PaymentStage> = literals(PAYMENT_STAGES);

export const openPaymentReport: Codec<OpenPaymentReport> = struct({
  paymentId,
  invoiceId,
  currency,
  totalDestPayment: u128,
  destPublicKey: publicKey,
  stage: paymentStage,
  numTransactions: u32,
});

/** Empty on the wire means none; decoded as absent, so the one encoding has one meaning. */
const connectedRelayList: Codec<readonly Uint8Array[] | undefined> = map(
  uniqueList(publicKey, MAX_RELAYS, hexOf, 'connected relay'),
  (l) => (l.length === 0 ? undefined : l),
  (v) => v ?? [],
);

export const nodeReport: Codec<NodeReport> = struct({
  localPublicKey: publicKey,
  relays: namedRelayList,
  indexServers: namedIndexServerList,
  connectedIndexServer: option(publicKey),
  friends: uniqueList(friendReport, MAX_FRIENDS, (f) => hexOf(f.publicKey), 'friend public key'),
  openInvoices: uniqueList(openInvoiceReport, MAX_OPEN_INVOICES, (i) => hexOf(i.invoiceId), 'invoice id'),
  openPayments: uniqueList(openPaymentReport, MAX_OPEN_PAYMENTS, (p) => hexOf(p.paymentId), 'payment id'),
  connectedRelays: connectedRelayList,
});

/** A change to a NodeReport. Each is an upsert or a removal keyed by a public key or id, so
 *  applying one is total (report.ts): a mutation naming an unknown friend changes nothing. */
export type ReportMutation =
  | { readonly kind: 'add-relay'; readonly relay: NamedRelayAddress }
  | { readonly kind: 'remove-relay'; readonly publicKey: Uint8Array }
  | { readonly kind: 'add-index-server'; readonly server: NamedIndexServerAddress }
  | { readonly kind: 'remove-index-server'; readonly publicKey: Uint8Array }
  | { readonly kind: 'set-connected-index-server'; readonly publicKey: Uint8Array | undefined }
  | { readonly kind: 'add-friend'; readonly friend: FriendReport }
  | { readonly kind: 'remove-friend'; readonly publicKey: Uint8Array }
  | { readonly kind: 'set-friend-name'; readonly publicKey: Uint8Array; readonly name: string }
  | { readonly kind: 'set-friend-relays'; readonly publicKey: Uint8Array; readonly relays: readonly RelayAddress[] }
  | { readonly kind: 'set-friend-enabled'; readonly publicKey: Uint8Array; readonly enabled: boolean }
  | { readonly kind: 'set-friend-online'; readonly publicKey: Uint8Array; readonly online: boolean }
  | { readonly kind: 'set-friend-channel'; readonly publicKey: Uint8Array; readonly channel: ChannelReport }
  | { readonly kind: 'set-friend-currency'; readonly publicKey: Uint8Array; readonly currency: FriendCurrencyReport }
  | { readonly kind: 'remove-friend-currency'; readonly publicKey: Uint8Array; readonly currency: string }
  | { readonly kind: 'set-open-invoice'; readonly invoice: OpenInvoiceReport }
  | { readonly kind: 'remove-open-invoice'; readonly invoiceId: Uint8Array }
  | { readonly kind: 'set-open-payment'; readonly payment: OpenPaymentReport }
  | { readonly kind: 'remove-open-payment'; readonly paymentId: Uint8Array }
  | { readonly kind: 'set-connected-relays'; readonly publicKeys: readonly Uint8Array[] | undefined };

export const reportMutation: Codec<ReportMutation> = union({
  'add-relay': [0, struct({ relay: namedRelayAddress })],
  'remove-relay': [1, struct({ publicKey })],
  'add-index-server': [2, struct({ server: namedIndexServerAddress })],
  'remove-index-server': [3, struct({ publicKey })],
  'set-connected-index-server': [4, struct({ publicKey: option(publicKey) })],
  'add-friend': [5, struct({ friend: friendReport })],
  'remove-friend': [6, struct({ publicKey })],
  'set-friend-name': [7, struct({ publicKey, name })],
  'set-friend-relays': [8, struct({ publicKey, relays: friendRelayList })],
  'set-friend-enabled': [9, struct({ publicKey, enabled: bool })],
  'set-friend-online': [10, struct({ publicKey, online: bool })],
  'set-friend-channel': [11, struct({ publicKey, channel: channelReport })],
  'set-friend-currency': [12, struct({ publicKey, currency: friendCurrencyReport })],
  'remove-friend-currency': [13, struct({ publicKey, currency })],
  'set-open-invoice': [14, struct({ invoice: openInvoiceReport })],
  'remove-open-invoice': [15, struct({ invoiceId })],
  'set-open-payment': [16, struct({ payment: openPaymentReport })],
  'remove-open-payment': [17, struct({ paymentId })],
  'set-connected-relays': [18, struct({ publicKeys: connectedRelayList })],
});

export const reportMutationList: Codec<readonly ReportMutation[]> = list(reportMutation, { max: MAX_MUTATIONS_PER_MESSAGE });
