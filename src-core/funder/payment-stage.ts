/** The buyer's payment life cycle (reference/funder.md §6.1 table). A part (transaction) ends by a
 *  Cancel or a Collect; the payment's receipt comes from the Collect of the part the seller marked
 *  complete (fix of §7.5 #2); a Collect of another part is kept only as a fallback receipt. */
import type { Receipt } from '../proto/index.ts';
import type { Draft } from './draft.ts';
import { type Hex, fromHex } from './hex.ts';
import type { Payment, PaymentStage } from './state.ts';

export type PartOutcome =
  | { readonly kind: 'canceled' }
  | { readonly kind: 'collected'; readonly receipt: Receipt };

function status(d: Draft, paymentId: Hex, stage: PaymentStage): void {
  const id = fromHex(paymentId);
  if (stage.kind === 'success') d.result({ kind: 'payment-status', paymentId: id, status: { kind: 'success', receipt: stage.receipt, ackUid: stage.ackUid } });
  else if (stage.kind === 'canceled') d.result({ kind: 'payment-status', paymentId: id, status: { kind: 'canceled', ackUid: stage.ackUid } });
}

/** One part of the payment ended. */
export function partEnded(d: Draft, paymentId: Hex, outcome: PartOutcome): void {
  const p = d.state.payments.get(paymentId);
  if (p === undefined) return;
  const s = p.stage;
  if (s.kind === 'canceled') return; // no parts left by construction; nothing to do
  const n = s.numTransactions - 1;
  const complete = outcome.kind === 'collected' && outcome.receipt.isComplete;
  const partial = outcome.kind === 'collected' && !complete ? outcome.receipt : p.partialReceipt;
  const set = (stage: PaymentStage, extra: Partial<Payment> = {}): void => d.setPayment(paymentId, { ...p, ...extra, stage });
  switch (s.kind) {
    case 'new-transactions':
    case 'in-progress':
      if (complete) {
        const stage: PaymentStage = { kind: 'success', numTransactions: n, receipt: outcome.receipt, ackUid: d.env.random(16) };
        set(stage);
        status(d, paymentId, stage);
      } else if (n === 0 && s.kind === 'in-progress') {
        const stage: PaymentStage = partial !== undefined
          ? { kind: 'success', numTransactions: 0, receipt: partial, ackUid: d.env.random(16) }
          : { kind: 'canceled', ackUid: d.env.random(16) };
        set(stage, { partialReceipt: partial });
        status(d, paymentId, stage);
      } else {
        set({ kind: s.kind, numTransactions: n }, { partialReceipt: partial });
      }
      return;
    case 'success': {
      const stage: PaymentStage = { ...s, numTransactions: n };
      set(stage);
      return;
    }
    case 'after-success-ack':
      if (n === 0) d.setPayment(paymentId, undefined);
      else set({ kind: 'after-success-ack', numTransactions: n });
      return;
  }
}

/** RequestClosePayment: no more parts; report the status if already known. */
export function requestClose(d: Draft, paymentId: Hex): void {
  const p = d.state.payments.get(paymentId);
  const id = fromHex(paymentId);
  if (p === undefined || p.stage.kind === 'after-success-ack') {
    d.result({ kind: 'payment-status', paymentId: id, status: { kind: 'not-found' } });
    return;
  }
  const s = p.stage;
  if (s.kind === 'new-transactions') {
    if (s.numTransactions > 0) {
      d.setPayment(paymentId, { ...p, stage: { kind: 'in-progress', numTransactions: s.numTransactions } });
    } else {
      const stage: PaymentStage = p.partialReceipt !== undefined
        ? { kind: 'success', numTransactions: 0, receipt: p.partialReceipt, ackUid: d.env.random(16) }
        : { kind: 'canceled', ackUid: d.env.random(16) };
      d.setPayment(paymentId, { ...p, stage });
      status(d, paymentId, stage);
    }
    return;
  }
  status(d, paymentId, s);
}

export type AckError = 'payment-does-not-exist' | 'ack-state-invalid' | 'ack-mismatch';

export function ackClose(d: Draft, paymentId: Hex, ackUid: Uint8Array): AckError | undefined {
  const p = d.state.payments.get(paymentId);
  if (p === undefined) return 'payment-does-not-exist';
  const s = p.stage;
  if (s.kind !== 'success' && s.kind !== 'canceled') return 'ack-state-invalid';
  if (s.ackUid.length !== ackUid.length || s.ackUid.some((x, i) => x !== ackUid[i])) return 'ack-mismatch';
  if (s.kind === 'success' && s.numTransactions > 0) d.setPayment(paymentId, { ...p, stage: { kind: 'after-success-ack', numTransactions: s.numTransactions } });
  else d.setPayment(paymentId, undefined);
  return undefined;
}
