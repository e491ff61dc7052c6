/** The funder's state: one node's friends, channels, invoices and payments (reference/funder.md §1),
 *  as immutable data. Maps are keyed by lower-case hex of the identifying bytes. */
import type { CryptoBackend } from '../crypto/index.ts';
import type { Rate, RelayAddress, RequestOp, BackwardsOp, ResetTerms } from '../proto/index.ts';
import type { Receipt } from '../proto/index.ts';
import { type Hex, toHex } from './hex.ts';
import { type MoveTokenHashed, type TokenChannel, genesisTokenChannel } from './token-channel.ts';

export interface NamedRelayAddress extends RelayAddress {
  readonly name: string;
}

export interface CurrencyConfig {
  readonly rate: Rate;
  /** How far into debt we let the friend go; u128::MAX means unlimited (§7.4). */
  readonly remoteMaxDebt: bigint;
  /** Whether we forward and accept requests from this friend in this currency. */
  readonly isOpen: boolean;
}
export const defaultCurrencyConfig: CurrencyConfig = { rate: { mul: 0, add: 0 }, remoteMaxDebt: 0n, isOpen: false };

export type SentLocalRelays =
  | { readonly kind: 'never-sent' }
  | { readonly kind: 'last-sent'; readonly relays: readonly RelayAddress[] }
  /** Announced `last`, still listening on `beforeLast` until the friend answers (§4.8). */
  | { readonly kind: 'transition'; readonly last: readonly RelayAddress[]; readonly beforeLast: readonly RelayAddress[] };

/** A request waiting for the token. `origin` = the friend it came from (undefined: our own payment). */
export interface QueuedRequest {
  readonly currency: string;
  readonly op: RequestOp;
  readonly origin: Hex | undefined;
}
export interface QueuedBackwardsOp {
  readonly currency: string;
  readonly op: BackwardsOp;
}

export type ChannelStatus =
  | {
    readonly kind: 'consistent';
    readonly tc: TokenChannel;
    /** The reset tokens of both sides' terms in the episode that started this chain (empty after
     *  genesis): a late copy of those InconsistencyErrors is recognised and dropped. */
    readonly settledResetTokens: readonly Uint8Array[];
    readonly pendingBackwardsOps: readonly QueuedBackwardsOp[];
    readonly pendingRequests: readonly QueuedRequest[];
    readonly pendingUserRequests: readonly QueuedRequest[];
  }
  | {
    readonly kind: 'inconsistent';
    readonly lastIncoming: MoveTokenHashed | undefined;
    readonly localTerms: ResetTerms;
    readonly remoteTerms: ResetTerms | undefined;
    /** The broken channel's agreed starting balances of currencies not active yet
     *  (TokenChannel.initialBalances), our view, for the report while the channel is broken; they
     *  are also in `localTerms` (generateResetTerms), which is what a reset settles. Absent: none;
     *  never empty, so snapshots stay canonical. */
    readonly initialBalances?: ReadonlyMap<string, bigint>;
  };

export interface FriendState {
  readonly remotePublicKey: Uint8Array;
  readonly name: string;
  readonly remoteRelays: readonly RelayAddress[];
  readonly sentLocalRelays: SentLocalRelays;
  readonly currencyConfigs: ReadonlyMap<string, CurrencyConfig>;
  readonly enabled: boolean;
  readonly channel: ChannelStatus;
}

/** An incoming transaction paying one of our invoices, with its channel as a back-pointer. */
export interface InvoiceTransaction {
  readonly friend: Hex;
  readonly requestId: Hex;
  readonly destPayment: bigint;
}

export interface OpenInvoice {
  readonly currency: string;
  readonly totalDestPayment: bigint;
  readonly destPlainLock: Uint8Array;
  readonly srcHashedLock: Uint8Array | undefined;
  readonly incoming: readonly InvoiceTransaction[];
  /** Created by an auto-collect request for an invoice id we never registered (docs/funder.md). */
  readonly implicit: boolean;
  /** Implicit invoices: the opened src_plain_lock, known once a request carried it. */
  readonly srcPlainLock: Uint8Array | undefined;
  /** Implicit invoices: env.now after which a still incomplete payment is cancelled (its parts
   *  would otherwise stay frozen: only the destination can cancel them). */
  readonly expiresAt: number | undefined;
}

export interface StoredResponse {
  readonly destHashedLock: Uint8Array;
  readonly isComplete: boolean;
  readonly randNonce: Uint8Array;
  readonly signature: Uint8Array;
}

/** A request we sent as buyer (§1 OpenTransaction). */
export interface OpenTransaction {
  readonly paymentId: Hex;
  readonly friend: Hex;
  readonly currency: string;
  readonly destPayment: bigint;
  readonly response: StoredResponse | undefined;
}

export type PaymentStage =
  | { readonly kind: 'new-transactions'; readonly numTransactions: number }
  | { readonly kind: 'in-progress'; readonly numTransactions: number }
  | { readonly kind: 'success'; readonly numTransactions: number; readonly receipt: Receipt; readonly ackUid: Uint8Array }
  | { readonly kind: 'canceled'; readonly ackUid: Uint8Array }
  | { readonly kind: 'after-success-ack'; readonly numTransactions: number };

export interface Payment {
  readonly srcPlainLock: Uint8Array;
  readonly invoiceId: Uint8Array;
  readonly currency: string;
  readonly totalDestPayment: bigint;
  readonly destPublicKey: Uint8Array;
  readonly autoCollect: boolean;
  /** env.now after which queued parts are cancelled and no new ones start (undefined: none). */
  readonly deadline: number | undefined;
  /** A receipt from a Collect of a part that was not the complete one, kept as a fallback. */
  readonly partialReceipt: Receipt | undefined;
  readonly stage: PaymentStage;
}

export interface FunderSettings {
  /** Accept payments without a registered invoice that the destination collects by itself. */
  readonly acceptAutoCollect: boolean;
  readonly maxPendingUserRequests: number;
}
export const defaultSettings: FunderSettings = { acceptAutoCollect: true, maxPendingUserRequests: 32 };

/** How long an implicit (auto-collect) invoice waits for its remaining parts, from its first part.
 *  The buyer cannot cancel a part that reached us, and when another part failed upstream, nothing
 *  tells us: the parts we hold keep credits frozen at every hop of their routes until this runs
 *  out. Parts travel together (one create-payment, all transactions at once), so they arrive
 *  within seconds; 90 s leaves room for a mediator that restarts mid-route (the storm's p99
 *  payment latency is ~30 s) while a failed split payment frees its credits in minutes, not ten. A
 *  part later than this starts a new implicit invoice that expires the same way: never collected
 *  alone. */
export const IMPLICIT_INVOICE_TTL_MS = 90 * 1000;

export interface FunderState {
  readonly localPublicKey: Uint8Array;
  readonly relays: readonly NamedRelayAddress[];
  readonly friends: ReadonlyMap<Hex, FriendState>;
  readonly openInvoices: ReadonlyMap<Hex, OpenInvoice>;
  readonly openTransactions: ReadonlyMap<Hex, OpenTransaction>;
  readonly payments: ReadonlyMap<Hex, Payment>;
  readonly settings: FunderSettings;
  /** Friends the channeler reports online. Not meaningful after a restart: see `afterRestart`. */
  readonly online: ReadonlySet<Hex>;
}

export function initialFunderState(localPublicKey: Uint8Array, settings: FunderSettings = defaultSettings): FunderState {
  return {
    localPublicKey, relays: [], friends: new Map(), openInvoices: new Map(), openTransactions: new Map(),
    payments: new Map(), settings, online: new Set(),
  };
}

/** After loading from the store every friend is offline until the channeler says otherwise (§5.2). */
export function afterRestart(state: FunderState): FunderState {
  return state.online.size === 0 ? state : { ...state, online: new Set() };
}

export function newFriend(
  crypto: CryptoBackend, localPublicKey: Uint8Array, remotePublicKey: Uint8Array, relays: readonly RelayAddress[], name: string,
): FriendState {
  return {
    remotePublicKey, name, remoteRelays: relays, sentLocalRelays: { kind: 'never-sent' }, currencyConfigs: new Map(),
    enabled: false,
    channel: {
      kind: 'consistent', tc: genesisTokenChannel(crypto, localPublicKey, remotePublicKey), settledResetTokens: [],
      pendingBackwardsOps: [], pendingRequests: [], pendingUserRequests: [],
    },
  };
}

export const friendKey = (f: FriendState): Hex => toHex(f.remotePublicKey);

/** Relays the channeler must listen on for this friend: the union during a transition (§4.8). */
export function localRelaysFor(f: FriendState): readonly RelayAddress[] {
  const s = f.sentLocalRelays;
  if (s.kind === 'never-sent') return [];
  if (s.kind === 'last-sent') return s.relays;
  const seen = new Set(s.last.map((r) => toHex(r.publicKey)));
  return [...s.last, ...s.beforeLast.filter((r) => !seen.has(toHex(r.publicKey)))];
}
