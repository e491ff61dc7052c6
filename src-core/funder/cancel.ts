/** Cancelling requests backwards: to the friend a request came from (explicit back-pointer, fix
 *  of §7.5 #5) or, for our own payments, as a failed transaction. A back-pointer to a friend that
 *  is gone or whose channel was reset is dropped, never unwrapped (§7.2 #3). */
import type { Draft } from './draft.ts';
import { type Hex, fromHex, toHex } from './hex.ts';
import { partEnded } from './payment-stage.ts';
import type { QueuedRequest } from './state.ts';

/** Our own transaction failed: tell the app and end the payment's part. */
export function buyerTransactionFailed(d: Draft, requestId: Hex): void {
  const tx = d.state.openTransactions.get(requestId);
  if (tx === undefined) return;
  d.setTransaction(requestId, undefined);
  d.result({ kind: 'transaction-result', requestId: fromHex(requestId), result: { kind: 'failure' } });
  partEnded(d, tx.paymentId, { kind: 'canceled' });
}

/** Queue a Cancel to `origin` for a request it sent us, if that request is still pending there. */
export function cancelBack(d: Draft, origin: Hex | undefined, currency: string, requestId: Uint8Array): void {
  const id = toHex(requestId);
  if (origin === undefined) {
    buyerTransactionFailed(d, id);
    return;
  }
  if (d.mutualCredit(origin, currency)?.remote.has(id) !== true) return;
  const c = d.consistent(origin);
  // Already ending (a Cancel or Collect queued): never queue a second one for one request.
  if (c?.pendingBackwardsOps.some((b) => b.op.kind !== 'response' && b.currency === currency && toHex(b.op.requestId) === id) === true) return;
  d.pushBackwards(origin, { currency, op: { kind: 'cancel', requestId } });
}

/** Cancel the queued (not yet sent) requests to `friend` that match. */
export function cancelQueuedRequests(d: Draft, friend: Hex, match: (r: QueuedRequest) => boolean): void {
  const c = d.consistent(friend);
  if (c === undefined) return;
  const dropped = [...c.pendingRequests, ...c.pendingUserRequests].filter(match);
  if (dropped.length === 0) return;
  d.setChannel(friend, {
    ...c,
    pendingRequests: c.pendingRequests.filter((r) => !match(r)),
    pendingUserRequests: c.pendingUserRequests.filter((r) => !match(r)),
  });
  for (const r of dropped) cancelBack(d, r.origin, r.currency, r.op.requestId);
}

/** Before a channel breaks (inconsistency, removal): every request we sent over it is over, so
 *  release the credits frozen upstream and fail our own transactions (fix of §7.5 #3). */
export function cancelLocalPending(d: Draft, friend: Hex): void {
  const c = d.consistent(friend);
  if (c === undefined) return;
  cancelQueuedRequests(d, friend, () => true);
  for (const [currency, mc] of c.tc.mutualCredits) {
    for (const pt of mc.local.values()) cancelBack(d, pt.origin, currency, pt.requestId);
  }
}


/** `origin`'s channel broke or it was removed: the requests it sent us count as cancelled, so
 *  those still queued for forwarding must not go out (we could be made to pay downstream for
 *  them with nobody paying us upstream). */
export function forgetQueuedFrom(d: Draft, origin: Hex): void {
  for (const k of [...d.state.friends.keys()]) {
    const c = d.consistent(k);
    if (c === undefined || !c.pendingRequests.some((q) => q.origin === origin)) continue;
    d.setChannel(k, { ...c, pendingRequests: c.pendingRequests.filter((q) => q.origin !== origin) });
  }
}
