/** Forwarding (reference/funder.md §6.3): requests on to the next hop taking our fee, backwards ops
 *  (Response/Cancel/Collect) back to the friend the request came from, found through the explicit
 *  back-pointer kept on the forwarded request (fix of §7.5 #5). */
import type { BackwardsOp, RequestOp } from '../proto/index.ts';
import { cancelBack } from './cancel.ts';
import type { Draft } from './draft.ts';
import { type Hex, toHex } from './hex.ts';
import { calcFee } from './rate.ts';

export const MAX_QUEUED_FORWARDS = 1024;

export function mediateRequest(d: Draft, from: Hex, currency: string, op: RequestOp): void {
  const cancel = (): void => cancelBack(d, from, currency, op.requestId);
  const fromCfg = d.friend(from)?.currencyConfigs.get(currency);
  if (fromCfg?.isOpen !== true) return cancel();
  const next = toHex(op.route[0] as Uint8Array);
  if (next === from) return cancel();
  const nextFriend = d.friend(next);
  const c = d.consistent(next);
  const mc = c?.tc.mutualCredits.get(currency);
  if (nextFriend === undefined || !nextFriend.enabled || nextFriend.currencyConfigs.get(currency)?.isOpen !== true
    || !d.isOnline(next) || c === undefined || mc === undefined) return cancel();
  const fee = calcFee(fromCfg.rate, op.destPayment);
  if (fee === undefined || fee > op.leftFees) return cancel();
  // Request ids are the buyer's choice: two requests with one id towards one next hop would collide
  // there (the original panics, §7.2 #1). The second one is cancelled.
  const id = toHex(op.requestId);
  const queued = [...c.pendingRequests, ...c.pendingUserRequests].some((q) => q.currency === currency && toHex(q.op.requestId) === id);
  if (mc.local.has(id) || queued) return cancel();
  // The original's queue is unbounded (§7.2): a next hop that never hands us the token cannot make it grow forever.
  if (c.pendingRequests.length >= MAX_QUEUED_FORWARDS) return cancel();
  d.pushRequest(next, { currency, origin: from, op: { ...op, route: op.route.slice(1), leftFees: op.leftFees - fee } });
}

/** A Response, Cancel or Collect for a request we forwarded: pass it to its origin, if the
 *  origin's request is still pending (else the origin's channel was reset or removed: drop). */
export function forwardBackwards(d: Draft, origin: Hex, currency: string, op: BackwardsOp): void {
  if (op.kind === 'cancel') return cancelBack(d, origin, currency, op.requestId);
  if (d.mutualCredit(origin, currency)?.remote.has(toHex(op.requestId)) !== true) return;
  d.pushBackwards(origin, { currency, op });
}
