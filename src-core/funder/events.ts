/** What goes into the funder (events, app requests) and what comes out (messages, results). */
import type { CryptoBackend, Signer } from '../crypto/index.ts';
import type { Commit, FriendMessage, Rate, Receipt, RelayAddress } from '../proto/index.ts';
import type { FunderMutation } from './mutations.ts';
import type { NamedRelayAddress } from './state.ts';

export interface Env {
  /** Milliseconds; only compared with payment deadlines. */
  readonly now: number;
  readonly random: (n: number) => Uint8Array;
  readonly signer: Signer;
  readonly crypto: CryptoBackend;
  /** Opens a lock sealed to our identity (auto-collect); made by `sealedLockOpener`. */
  readonly unseal: (sealed: Uint8Array) => Uint8Array | undefined;
}

export type AppRequest =
  | { readonly kind: 'add-relay'; readonly relay: NamedRelayAddress }
  | { readonly kind: 'remove-relay'; readonly publicKey: Uint8Array }
  | {
    readonly kind: 'add-friend'; readonly friendPublicKey: Uint8Array; readonly relays: readonly RelayAddress[]; readonly name: string;
    /** Agreed starting balances, our view (TokenChannel.initialBalances); each currency at most once. */
    readonly initialBalances?: readonly { readonly currency: string; readonly balance: bigint }[];
  }
  | { readonly kind: 'remove-friend'; readonly friendPublicKey: Uint8Array }
  | { readonly kind: 'enable-friend'; readonly friendPublicKey: Uint8Array }
  | { readonly kind: 'disable-friend'; readonly friendPublicKey: Uint8Array }
  | { readonly kind: 'set-friend-relays'; readonly friendPublicKey: Uint8Array; readonly relays: readonly RelayAddress[] }
  | { readonly kind: 'set-friend-name'; readonly friendPublicKey: Uint8Array; readonly name: string }
  | { readonly kind: 'set-friend-currency-rate'; readonly friendPublicKey: Uint8Array; readonly currency: string; readonly rate: Rate }
  | { readonly kind: 'set-friend-currency-max-debt'; readonly friendPublicKey: Uint8Array; readonly currency: string; readonly remoteMaxDebt: bigint }
  | { readonly kind: 'open-friend-currency'; readonly friendPublicKey: Uint8Array; readonly currency: string }
  | { readonly kind: 'close-friend-currency'; readonly friendPublicKey: Uint8Array; readonly currency: string }
  | { readonly kind: 'remove-friend-currency'; readonly friendPublicKey: Uint8Array; readonly currency: string }
  | { readonly kind: 'reset-friend-channel'; readonly friendPublicKey: Uint8Array; readonly resetToken: Uint8Array }
  | { readonly kind: 'set-accept-auto-collect'; readonly accept: boolean }
  | {
    readonly kind: 'create-payment'; readonly paymentId: Uint8Array; readonly invoiceId: Uint8Array; readonly currency: string;
    readonly totalDestPayment: bigint; readonly destPublicKey: Uint8Array;
    /** Seal the payment's src lock to the destination so it can collect by itself. */
    readonly autoCollect?: boolean;
    /** env.now after which the payment stops (see docs/funder.md "Timeouts"). */
    readonly deadline?: number;
  }
  | {
    readonly kind: 'create-transaction'; readonly paymentId: Uint8Array; readonly requestId: Uint8Array;
    /** [us, …, destination] */
    readonly route: readonly Uint8Array[]; readonly destPayment: bigint; readonly fees: bigint;
  }
  | { readonly kind: 'request-close-payment'; readonly paymentId: Uint8Array }
  | { readonly kind: 'ack-close-payment'; readonly paymentId: Uint8Array; readonly ackUid: Uint8Array }
  | { readonly kind: 'add-invoice'; readonly invoiceId: Uint8Array; readonly currency: string; readonly totalDestPayment: bigint }
  | { readonly kind: 'cancel-invoice'; readonly invoiceId: Uint8Array }
  | { readonly kind: 'commit-invoice'; readonly commit: Commit };

export type FunderEvent =
  | { readonly kind: 'init' }
  | { readonly kind: 'app-request'; readonly requestId: Uint8Array; readonly request: AppRequest }
  | { readonly kind: 'friend-online'; readonly friend: Uint8Array }
  | { readonly kind: 'friend-offline'; readonly friend: Uint8Array }
  | { readonly kind: 'friend-message'; readonly from: Uint8Array; readonly message: FriendMessage }
  /** Time passed (env.now): deadlines, retransmission of unanswered tokens. */
  | { readonly kind: 'tick' };

export type Outgoing =
  | { readonly kind: 'friend-message'; readonly to: Uint8Array; readonly message: FriendMessage }
  /** To the channeler: the relays we listen on. */
  | { readonly kind: 'set-relays'; readonly relays: readonly RelayAddress[] }
  /** To the channeler: connect to this friend (its relays), listening on `localRelays` for it. */
  | { readonly kind: 'update-friend'; readonly friend: Uint8Array; readonly remoteRelays: readonly RelayAddress[]; readonly localRelays: readonly RelayAddress[] }
  | { readonly kind: 'remove-friend'; readonly friend: Uint8Array };

export type AppErrorCode =
  | 'friend-does-not-exist' | 'friend-is-self' | 'friend-offline' | 'max-node-relays-reached' | 'invalid-currency'
  | 'too-many-currencies' | 'currency-not-configured' | 'can-not-remove-active-currency' | 'not-invited-to-reset'
  | 'reset-token-mismatch' | 'invalid-reset-terms' | 'payment-already-open' | 'payment-does-not-exist'
  | 'new-transactions-not-allowed' | 'not-first-in-route' | 'dest-not-last-in-route' | 'invalid-route'
  | 'friend-not-ready' | 'request-already-in-progress' | 'pending-user-requests-full' | 'dest-payment-exceeds-total'
  | 'credits-calc-overflow' | 'ack-state-invalid' | 'ack-mismatch' | 'invoice-already-exists'
  | 'invoice-does-not-exist' | 'invalid-commit' | 'invalid-amount' | 'invalid-request';

export type TransactionResult =
  | { readonly kind: 'success' }
  | { readonly kind: 'failure' }
  | { readonly kind: 'complete'; readonly commit: Commit };

export type PaymentStatus =
  | { readonly kind: 'success'; readonly receipt: Receipt; readonly ackUid: Uint8Array }
  | { readonly kind: 'canceled'; readonly ackUid: Uint8Array }
  | { readonly kind: 'not-found' };

export type InvoiceEvent =
  | { readonly kind: 'request-arrived'; readonly destPayment: bigint; readonly paid: bigint }
  | { readonly kind: 'complete' }
  | { readonly kind: 'collected' }
  | { readonly kind: 'canceled' };

export type AppResult =
  | { readonly kind: 'ack'; readonly requestId: Uint8Array; readonly error: AppErrorCode | undefined }
  | { readonly kind: 'transaction-result'; readonly requestId: Uint8Array; readonly result: TransactionResult }
  | { readonly kind: 'payment-status'; readonly paymentId: Uint8Array; readonly status: PaymentStatus }
  | { readonly kind: 'invoice-event'; readonly invoiceId: Uint8Array; readonly event: InvoiceEvent };

export interface StepOutput {
  /** Persist these atomically before sending `messages` (write-ahead). */
  readonly mutations: readonly FunderMutation[];
  readonly messages: readonly Outgoing[];
  readonly results: readonly AppResult[];
}
