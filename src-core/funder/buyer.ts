/** The buyer's side (reference/funder.md §6.1): payments, their transactions (one per route), and
 *  what comes back: Response → Commit, Cancel → failure, Collect → Receipt. CreateTransaction
 *  checks what the original forgot (dest ≤ total, dest + fees in range, §7.3) so nothing it
 *  queues can fail later. */
import { type ResponseOp, type CollectOp, hashLock, responseHash, verifyReceipt } from '../proto/index.ts';
import { bytesEqual } from '../crypto/index.ts';
import { addU128 } from './amounts.ts';
import { sealLock } from './auto-collect.ts';
import type { Draft } from './draft.ts';
import type { AppErrorCode, AppRequest } from './events.ts';
import { toHex } from './hex.ts';
import type { PendingTransaction } from './mutual-credit.ts';
import { partEnded } from './payment-stage.ts';
import { isRouteValid } from './route.ts';

type CreatePayment = Extract<AppRequest, { kind: 'create-payment' }>;
type CreateTransaction = Extract<AppRequest, { kind: 'create-transaction' }>;

export function createPayment(d: Draft, r: CreatePayment): AppErrorCode | undefined {
  const k = toHex(r.paymentId);
  if (d.state.payments.has(k)) return 'payment-already-open';
  d.setPayment(k, {
    srcPlainLock: d.env.random(32), invoiceId: r.invoiceId, currency: r.currency, totalDestPayment: r.totalDestPayment,
    destPublicKey: r.destPublicKey, autoCollect: r.autoCollect === true, deadline: r.deadline, partialReceipt: undefined,
    stage: { kind: 'new-transactions', numTransactions: 0 },
  });
  return undefined;
}

function validateTransaction(d: Draft, r: CreateTransaction): AppErrorCode | undefined {
  const p = d.state.payments.get(toHex(r.paymentId));
  if (p === undefined) return 'payment-does-not-exist';
  if (p.stage.kind !== 'new-transactions') return 'new-transactions-not-allowed';
  if (p.deadline !== undefined && d.env.now >= p.deadline) return 'new-transactions-not-allowed';
  const first = r.route[0];
  const last = r.route[r.route.length - 1];
  if (first === undefined || !bytesEqual(first, d.localPublicKey)) return 'not-first-in-route';
  if (last === undefined || !bytesEqual(last, p.destPublicKey)) return 'dest-not-last-in-route';
  if (!isRouteValid(r.route)) return 'invalid-route';
  if (r.destPayment > p.totalDestPayment) return 'dest-payment-exceeds-total';
  if (r.destPayment < 0n || r.fees < 0n || addU128(r.destPayment, r.fees) === undefined) return 'credits-calc-overflow';
  const next = toHex(r.route[1] as Uint8Array);
  const f = d.friend(next);
  if (f === undefined) return 'friend-does-not-exist';
  const c = d.consistent(next);
  const mc = c?.tc.mutualCredits.get(p.currency);
  if (!f.enabled || !d.isOnline(next) || c === undefined || mc === undefined) return 'friend-not-ready';
  const id = toHex(r.requestId);
  if (mc.local.has(id) || c.pendingUserRequests.some((q) => q.currency === p.currency && toHex(q.op.requestId) === id)) return 'request-already-in-progress';
  if (c.pendingUserRequests.length >= d.state.settings.maxPendingUserRequests) return 'pending-user-requests-full';
  const lpd = addU128(mc.localPendingDebt, r.destPayment + r.fees);
  if (lpd === undefined || mc.balance - lpd < -((1n << 127n) - 1n)) return 'credits-calc-overflow';
  return undefined;
}

/** Queue one transaction of a payment as a user request to route[1]. */
export function createTransaction(d: Draft, r: CreateTransaction): AppErrorCode | undefined {
  const id = toHex(r.requestId);
  const known = d.state.openTransactions.get(id);
  if (known !== undefined) { // idempotent retry: re-emit what we know
    if (known.response !== undefined) reportResponse(d, r.requestId);
    return undefined;
  }
  const error = validateTransaction(d, r);
  if (error !== undefined) return error; // handleAppRequest reports the failed transaction
  const pk = toHex(r.paymentId);
  const p = d.state.payments.get(pk)!;
  const next = toHex(r.route[1] as Uint8Array);
  const autoCollect = p.autoCollect ? sealLock(d.env.crypto, p.destPublicKey, p.srcPlainLock, d.env.random) : undefined;
  d.setTransaction(id, { paymentId: pk, friend: next, currency: p.currency, destPayment: r.destPayment, response: undefined });
  if (p.stage.kind === 'new-transactions') d.setPayment(pk, { ...p, stage: { kind: 'new-transactions', numTransactions: p.stage.numTransactions + 1 } });
  d.pushRequest(next, {
    currency: p.currency, origin: undefined,
    op: {
      kind: 'request', requestId: r.requestId, srcHashedLock: hashLock(d.env.crypto, p.srcPlainLock), route: r.route.slice(2),
      destPayment: r.destPayment, totalDestPayment: p.totalDestPayment, invoiceId: p.invoiceId, leftFees: r.fees, autoCollect,
    },
  });
  return undefined;
}

function reportResponse(d: Draft, requestId: Uint8Array): void {
  const tx = d.state.openTransactions.get(toHex(requestId));
  const p = tx === undefined ? undefined : d.state.payments.get(tx.paymentId);
  if (tx?.response === undefined || p === undefined) return;
  if (!tx.response.isComplete) {
    d.result({ kind: 'transaction-result', requestId, result: { kind: 'success' } });
    return;
  }
  d.result({
    kind: 'transaction-result', requestId,
    result: {
      kind: 'complete',
      commit: {
        responseHash: responseHash(d.env.crypto, requestId, tx.response.randNonce), srcPlainLock: p.srcPlainLock,
        destHashedLock: tx.response.destHashedLock, destPayment: tx.destPayment, totalDestPayment: p.totalDestPayment,
        invoiceId: p.invoiceId, currency: tx.currency, signature: tx.response.signature,
      },
    },
  });
}

export function buyerResponse(d: Draft, op: ResponseOp): void {
  const id = toHex(op.requestId);
  const tx = d.state.openTransactions.get(id);
  if (tx === undefined || tx.response !== undefined) return;
  d.setTransaction(id, { ...tx, response: { destHashedLock: op.destHashedLock, isComplete: op.isComplete, randNonce: op.randNonce, signature: op.signature } });
  reportResponse(d, op.requestId);
}

export function buyerCollect(d: Draft, op: CollectOp, pending: PendingTransaction): void {
  const id = toHex(op.requestId);
  const tx = d.state.openTransactions.get(id);
  const p = tx === undefined ? undefined : d.state.payments.get(tx.paymentId);
  if (tx === undefined) return;
  d.setTransaction(id, undefined);
  if (p === undefined || tx.response === undefined) return;
  const receipt = {
    responseHash: responseHash(d.env.crypto, op.requestId, tx.response.randNonce), invoiceId: p.invoiceId, currency: tx.currency,
    srcPlainLock: op.srcPlainLock, destPlainLock: op.destPlainLock, isComplete: tx.response.isComplete,
    destPayment: pending.destPayment, totalDestPayment: pending.totalDestPayment, signature: tx.response.signature,
  };
  // The channel already checked both locks and the response signature; this is a cheap final guard.
  if (!verifyReceipt(d.env.crypto, receipt, p.destPublicKey)) {
    partEnded(d, tx.paymentId, { kind: 'canceled' });
    return;
  }
  partEnded(d, tx.paymentId, { kind: 'collected', receipt });
}
