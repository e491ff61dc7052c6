/** The seller's side (reference/funder.md §6.4): requests reaching their destination, invoices,
 *  commits. Fixes: the invoice currency is enforced (§7.5 #1); the amount already paid counts only
 *  transactions still alive through their explicit channel back-pointer (no unwrap, §7.2 #4); an
 *  unknown invoice id with a sealed lock becomes an implicit invoice the node collects by itself. */
import {
  type Commit, type RequestOp, hashLock, responseHash, responseSignatureBuffer, verifyCommit,
} from '../proto/index.ts';
import { bytesEqual } from '../crypto/index.ts';
import { cancelBack } from './cancel.ts';
import type { Draft } from './draft.ts';
import type { AppErrorCode } from './events.ts';
import { type Hex, fromHex, toHex } from './hex.ts';
import { IMPLICIT_INVOICE_TTL_MS, type InvoiceTransaction, type OpenInvoice } from './state.ts';

/** The invoice's transactions whose request is still pending in its channel. */
export function liveTransactions(d: Draft, inv: OpenInvoice): InvoiceTransaction[] {
  return inv.incoming.filter((t) => d.mutualCredit(t.friend, inv.currency)?.remote.has(t.requestId) === true);
}

function implicitInvoice(d: Draft, currency: string, op: RequestOp): OpenInvoice | undefined {
  if (op.autoCollect === undefined || !d.state.settings.acceptAutoCollect) return undefined;
  const lock = d.env.unseal(op.autoCollect);
  if (lock === undefined || !bytesEqual(hashLock(d.env.crypto, lock), op.srcHashedLock)) return undefined;
  return {
    currency, totalDestPayment: op.totalDestPayment, destPlainLock: d.env.random(32), srcHashedLock: undefined,
    incoming: [], implicit: true, srcPlainLock: lock, expiresAt: d.env.now + IMPLICIT_INVOICE_TTL_MS,
  };
}

export function sellerRequest(d: Draft, from: Hex, currency: string, op: RequestOp): void {
  const invKey = toHex(op.invoiceId);
  const inv = d.state.openInvoices.get(invKey) ?? implicitInvoice(d, currency, op);
  const cancel = (): void => cancelBack(d, from, currency, op.requestId);
  if (inv === undefined) return cancel();
  if (inv.srcHashedLock !== undefined && !bytesEqual(inv.srcHashedLock, op.srcHashedLock)) return cancel();
  if (currency !== inv.currency || op.totalDestPayment !== inv.totalDestPayment || op.destPayment > op.totalDestPayment) return cancel();
  const live = liveTransactions(d, inv);
  const paid = live.reduce((s, t) => s + t.destPayment, 0n) + op.destPayment;
  if (paid > inv.totalDestPayment) return cancel();
  const isComplete = paid === inv.totalDestPayment;

  const { crypto } = d.env;
  const randNonce = d.env.random(16);
  const destHashedLock = hashLock(crypto, inv.destPlainLock);
  const signature = d.env.signer.sign(responseSignatureBuffer(crypto, {
    responseHash: responseHash(crypto, op.requestId, randNonce), srcHashedLock: op.srcHashedLock, destHashedLock, isComplete,
    destPayment: op.destPayment, totalDestPayment: op.totalDestPayment, invoiceId: op.invoiceId, currency,
  }));
  d.pushBackwards(from, { currency, op: { kind: 'response', requestId: op.requestId, destHashedLock, isComplete, randNonce, signature } });
  const updated: OpenInvoice = {
    ...inv, srcHashedLock: op.srcHashedLock,
    incoming: [...live, { friend: from, requestId: toHex(op.requestId), destPayment: op.destPayment }],
  };
  d.setInvoice(invKey, updated);
  d.result({ kind: 'invoice-event', invoiceId: op.invoiceId, event: { kind: 'request-arrived', destPayment: op.destPayment, paid } });
  if (!isComplete) return;
  d.result({ kind: 'invoice-event', invoiceId: op.invoiceId, event: { kind: 'complete' } });
  if (updated.implicit && updated.srcPlainLock !== undefined) collectInvoice(d, invKey, updated, updated.srcPlainLock);
}

/** Queue a Collect for every live transaction of the invoice, then forget it. */
function collectInvoice(d: Draft, invKey: Hex, inv: OpenInvoice, srcPlainLock: Uint8Array): void {
  for (const t of liveTransactions(d, inv)) {
    d.pushBackwards(t.friend, {
      currency: inv.currency,
      op: { kind: 'collect', requestId: fromHex(t.requestId), srcPlainLock, destPlainLock: inv.destPlainLock },
    });
  }
  d.setInvoice(invKey, undefined);
  d.result({ kind: 'invoice-event', invoiceId: fromHex(invKey), event: { kind: 'collected' } });
}

export function addInvoice(d: Draft, invoiceId: Uint8Array, currency: string, totalDestPayment: bigint): AppErrorCode | undefined {
  const k = toHex(invoiceId);
  if (d.state.openInvoices.has(k)) return 'invoice-already-exists';
  d.setInvoice(k, {
    currency, totalDestPayment, destPlainLock: d.env.random(32), srcHashedLock: undefined, incoming: [], implicit: false,
    srcPlainLock: undefined, expiresAt: undefined,
  });
  return undefined;
}

export function cancelInvoice(d: Draft, invoiceId: Uint8Array): AppErrorCode | undefined {
  const k = toHex(invoiceId);
  const inv = d.state.openInvoices.get(k);
  if (inv === undefined) return 'invoice-does-not-exist';
  for (const t of liveTransactions(d, inv)) cancelBack(d, t.friend, inv.currency, fromHex(t.requestId));
  d.setInvoice(k, undefined);
  d.result({ kind: 'invoice-event', invoiceId, event: { kind: 'canceled' } });
  return undefined;
}

/** Implicit invoices whose payment did not complete in time: cancel their parts (tick). */
export function expireImplicitInvoices(d: Draft): void {
  for (const [k, inv] of d.state.openInvoices) {
    if (inv.expiresAt !== undefined && d.env.now >= inv.expiresAt) cancelInvoice(d, fromHex(k));
  }
}

/** The buyer's Commit arrived out of band: verify it and collect (§6.4 CommitInvoice). */
export function commitInvoice(d: Draft, commit: Commit): AppErrorCode | undefined {
  const k = toHex(commit.invoiceId);
  const inv = d.state.openInvoices.get(k);
  if (inv === undefined) return 'invoice-does-not-exist';
  if (!verifyCommit(d.env.crypto, commit, d.localPublicKey)) return 'invalid-commit';
  if (inv.srcHashedLock === undefined || !bytesEqual(hashLock(d.env.crypto, commit.srcPlainLock), inv.srcHashedLock)) return 'invalid-commit';
  if (commit.currency !== inv.currency || commit.totalDestPayment !== inv.totalDestPayment) return 'invalid-commit';
  collectInvoice(d, k, inv, commit.srcPlainLock);
  return undefined;
}
