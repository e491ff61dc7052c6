/** Mutual credit: one friend, one currency (reference/funder.md §3). Pure functions that check an
 *  operation exactly as the original lists (§3.3 outgoing, §3.4 incoming) and return the new
 *  mutual credit, or an error code — never a throw. All arithmetic is unbounded bigint, each
 *  result range-checked, so balances stay inside i128 by construction (§7.2 #5–#11, §7.4). */
import { type CryptoBackend, bytesEqual } from '../crypto/index.ts';
import {
  type CancelOp, type CollectOp, type RequestOp, type ResponseOp, hashLock, responseHash, responseSignatureBuffer,
} from '../proto/index.ts';
import { I128_MAX, U128_MAX, addU128 } from './amounts.ts';

/** Balances stay within ±(2^127 − 1) so that negating one (the friend's view) never overflows (§7.2 #6). */
export const MIN_BALANCE = -I128_MAX;
import { type Hex, toHex } from './hex.ts';
import { isRoutePartValid } from './route.ts';

export type PendingStage =
  | { readonly kind: 'request' }
  | { readonly kind: 'response'; readonly destHashedLock: Uint8Array; readonly isComplete: boolean };

export interface PendingTransaction {
  readonly requestId: Uint8Array;
  /** The route after the receiving node (empty: the receiver is the destination), §2.1. */
  readonly route: readonly Uint8Array[];
  readonly destPayment: bigint;
  readonly totalDestPayment: bigint;
  readonly invoiceId: Uint8Array;
  readonly leftFees: bigint;
  readonly srcHashedLock: Uint8Array;
  readonly autoCollect: Uint8Array | undefined;
  readonly stage: PendingStage;
  /** Only on requests we sent: the friend we forwarded it for (undefined = our own payment).
   *  Replaces the original's global search (§7.5 #5). */
  readonly origin: Hex | undefined;
}

export interface MutualCredit {
  readonly balance: bigint;
  readonly localPendingDebt: bigint;
  readonly remotePendingDebt: bigint;
  /** Requests we sent to the friend. */
  readonly local: ReadonlyMap<Hex, PendingTransaction>;
  /** Requests the friend sent to us. */
  readonly remote: ReadonlyMap<Hex, PendingTransaction>;
}

export const emptyMutualCredit = (balance = 0n): MutualCredit => ({
  balance, localPendingDebt: 0n, remotePendingDebt: 0n, local: new Map(), remote: new Map(),
});

export type McError =
  | 'invalid-route' | 'dest-payment-exceeds-total' | 'request-already-exists' | 'credits-calc-overflow'
  | 'request-does-not-exist' | 'invalid-response-signature' | 'not-expecting-response'
  | 'not-expecting-collect' | 'invalid-src-plain-lock' | 'invalid-dest-plain-lock';

export type McResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: McError };
const fail = (error: McError): { ok: false; error: McError } => ({ ok: false, error });

export interface McContext {
  readonly crypto: CryptoBackend;
  readonly currency: string;
  readonly localPublicKey: Uint8Array;
  readonly remotePublicKey: Uint8Array;
}

export function frozenAmount(t: { destPayment: bigint; leftFees: bigint }): bigint {
  return t.destPayment + t.leftFees;
}

function withMap(m: ReadonlyMap<Hex, PendingTransaction>, k: Hex, v: PendingTransaction | undefined): Map<Hex, PendingTransaction> {
  const out = new Map(m);
  if (v === undefined) out.delete(k); else out.set(k, v);
  return out;
}

function pendingFromRequest(op: RequestOp, origin: Hex | undefined): PendingTransaction {
  return {
    requestId: op.requestId, route: op.route, destPayment: op.destPayment, totalDestPayment: op.totalDestPayment,
    invoiceId: op.invoiceId, leftFees: op.leftFees, srcHashedLock: op.srcHashedLock, autoCollect: op.autoCollect,
    stage: { kind: 'request' }, origin,
  };
}

function responseSignatureOk(ctx: McContext, pt: PendingTransaction, op: ResponseOp, signer: Uint8Array): boolean {
  const buffer = responseSignatureBuffer(ctx.crypto, {
    responseHash: responseHash(ctx.crypto, pt.requestId, op.randNonce),
    srcHashedLock: pt.srcHashedLock, destHashedLock: op.destHashedLock, isComplete: op.isComplete,
    destPayment: pt.destPayment, totalDestPayment: pt.totalDestPayment, invoiceId: pt.invoiceId, currency: ctx.currency,
  });
  return ctx.crypto.ed25519Verify(signer, buffer, op.signature);
}

function checkRequestShape(op: RequestOp): McError | undefined {
  if (!isRoutePartValid(op.route)) return 'invalid-route';
  if (op.destPayment > op.totalDestPayment) return 'dest-payment-exceeds-total';
  return undefined;
}

// ---- outgoing: we put the op into a move token we send (§3.3) ----

/** We send a request. Unlike the original we also keep `balance − lpd` inside i128, so that a later
 *  Collect can never overflow (§7.2 #7). */
export function sendRequest(mc: MutualCredit, op: RequestOp, origin: Hex | undefined): McResult<MutualCredit> {
  const shape = checkRequestShape(op);
  if (shape !== undefined) return fail(shape);
  const id = toHex(op.requestId);
  const freeze = addU128(op.destPayment, op.leftFees);
  const lpd = freeze === undefined ? undefined : addU128(mc.localPendingDebt, freeze);
  if (lpd === undefined || mc.balance - lpd < MIN_BALANCE) return fail('credits-calc-overflow');
  if (mc.local.has(id)) return fail('request-already-exists');
  return { ok: true, value: { ...mc, localPendingDebt: lpd, local: withMap(mc.local, id, pendingFromRequest(op, origin)) } };
}

/** We send a response to a request the friend sent us; the signer is the destination (route.last()
 *  or us when the route is empty). */
export function sendResponse(mc: MutualCredit, op: ResponseOp, ctx: McContext): McResult<MutualCredit> {
  const id = toHex(op.requestId);
  const pt = mc.remote.get(id);
  if (pt === undefined) return fail('request-does-not-exist');
  const signer = pt.route.length > 0 ? pt.route[pt.route.length - 1] as Uint8Array : ctx.localPublicKey;
  if (!responseSignatureOk(ctx, pt, op, signer)) return fail('invalid-response-signature');
  if (pt.stage.kind !== 'request') return fail('not-expecting-response');
  const next: PendingTransaction = { ...pt, stage: { kind: 'response', destHashedLock: op.destHashedLock, isComplete: op.isComplete } };
  return { ok: true, value: { ...mc, remote: withMap(mc.remote, id, next) } };
}

export function sendCancel(mc: MutualCredit, op: CancelOp): McResult<MutualCredit> {
  const id = toHex(op.requestId);
  const pt = mc.remote.get(id);
  if (pt === undefined) return fail('request-does-not-exist');
  return { ok: true, value: { ...mc, remotePendingDebt: mc.remotePendingDebt - frozenAmount(pt), remote: withMap(mc.remote, id, undefined) } };
}

export function sendCollect(mc: MutualCredit, op: CollectOp, ctx: McContext): McResult<MutualCredit> {
  const id = toHex(op.requestId);
  const pt = mc.remote.get(id);
  if (pt === undefined) return fail('request-does-not-exist');
  const lockError = collectLocksError(pt, op, ctx);
  if (lockError !== undefined) return fail(lockError);
  const freeze = frozenAmount(pt);
  const balance = mc.balance + freeze;
  if (balance > I128_MAX) return fail('credits-calc-overflow');
  return { ok: true, value: { ...mc, balance, remotePendingDebt: mc.remotePendingDebt - freeze, remote: withMap(mc.remote, id, undefined) } };
}

function collectLocksError(pt: PendingTransaction, op: CollectOp, ctx: McContext): McError | undefined {
  if (pt.stage.kind !== 'response') return 'not-expecting-collect';
  if (!bytesEqual(hashLock(ctx.crypto, op.srcPlainLock), pt.srcHashedLock)) return 'invalid-src-plain-lock';
  if (!bytesEqual(hashLock(ctx.crypto, op.destPlainLock), pt.stage.destHashedLock)) return 'invalid-dest-plain-lock';
  return undefined;
}

// ---- incoming: the friend's op arrives in a move token (§3.4) ----

export type IncomingMessage =
  | { readonly kind: 'request'; readonly op: RequestOp }
  /** Over our remote max debt: the request is recorded and must be cancelled right back. */
  | { readonly kind: 'request-cancel'; readonly op: RequestOp }
  | { readonly kind: 'response'; readonly op: ResponseOp; readonly pending: PendingTransaction }
  | { readonly kind: 'cancel'; readonly op: CancelOp; readonly pending: PendingTransaction }
  | { readonly kind: 'collect'; readonly op: CollectOp; readonly pending: PendingTransaction };

export type Incoming = { readonly mc: MutualCredit; readonly message: IncomingMessage };

/** The friend's request. The trust check is done in unbounded bigint, so `remoteMaxDebt` up to
 *  u128::MAX means "unlimited" without an inconsistency (§7.4). A request that could push
 *  `balance + rpd` past i128 is cancelled instead of breaking the channel. */
export function receiveRequest(mc: MutualCredit, op: RequestOp, remoteMaxDebt: bigint): McResult<Incoming> {
  const shape = checkRequestShape(op);
  if (shape !== undefined) return fail(shape);
  const id = toHex(op.requestId);
  if (mc.remote.has(id)) return fail('request-already-exists');
  const freeze = addU128(op.destPayment, op.leftFees);
  const rpd = freeze === undefined ? undefined : addU128(mc.remotePendingDebt, freeze);
  if (rpd === undefined) return fail('credits-calc-overflow');
  const exposure = mc.balance + rpd;
  const overTrust = exposure > remoteMaxDebt || exposure > I128_MAX;
  const next = { ...mc, remotePendingDebt: rpd, remote: withMap(mc.remote, id, pendingFromRequest(op, undefined)) };
  return { ok: true, value: { mc: next, message: { kind: overTrust ? 'request-cancel' : 'request', op } } };
}

export function receiveResponse(mc: MutualCredit, op: ResponseOp, ctx: McContext): McResult<Incoming> {
  const id = toHex(op.requestId);
  const pt = mc.local.get(id);
  if (pt === undefined) return fail('request-does-not-exist');
  const signer = pt.route.length > 0 ? pt.route[pt.route.length - 1] as Uint8Array : ctx.remotePublicKey;
  if (!responseSignatureOk(ctx, pt, op, signer)) return fail('invalid-response-signature');
  if (pt.stage.kind !== 'request') return fail('not-expecting-response');
  const next: PendingTransaction = { ...pt, stage: { kind: 'response', destHashedLock: op.destHashedLock, isComplete: op.isComplete } };
  return { ok: true, value: { mc: { ...mc, local: withMap(mc.local, id, next) }, message: { kind: 'response', op, pending: next } } };
}

/** Accepted in any stage: the destination may cancel after responding (§3.4). */
export function receiveCancel(mc: MutualCredit, op: CancelOp): McResult<Incoming> {
  const id = toHex(op.requestId);
  const pt = mc.local.get(id);
  if (pt === undefined) return fail('request-does-not-exist');
  const next = { ...mc, localPendingDebt: mc.localPendingDebt - frozenAmount(pt), local: withMap(mc.local, id, undefined) };
  return { ok: true, value: { mc: next, message: { kind: 'cancel', op, pending: pt } } };
}

export function receiveCollect(mc: MutualCredit, op: CollectOp, ctx: McContext): McResult<Incoming> {
  const id = toHex(op.requestId);
  const pt = mc.local.get(id);
  if (pt === undefined) return fail('request-does-not-exist');
  const lockError = collectLocksError(pt, op, ctx);
  if (lockError !== undefined) return fail(lockError);
  const freeze = frozenAmount(pt);
  const balance = mc.balance - freeze;
  if (balance < MIN_BALANCE) return fail('credits-calc-overflow');
  const next = { ...mc, balance, localPendingDebt: mc.localPendingDebt - freeze, local: withMap(mc.local, id, undefined) };
  return { ok: true, value: { mc: next, message: { kind: 'collect', op, pending: pt } } };
}

/** What we can still receive from the friend in this currency, for index servers (§3.6). */
export function receiveCapacity(mc: MutualCredit, remoteMaxDebt: bigint, isOpen: boolean): bigint {
  if (!isOpen) return 0n;
  const c = remoteMaxDebt - (mc.balance + mc.remotePendingDebt);
  return c < 0n ? 0n : c > U128_MAX ? U128_MAX : c;
}
