/** The buyer's flow over the app protocol, for stctrl and the wallet (reference/funder.md §6.1,
 *  §6.2): ask for routes, plan the split and quote the fees (so the user can confirm), then pay:
 *  create-payment, one create-transaction per part, request-close-payment, and wait for the
 *  outcome. Fees use the funder's own arithmetic, the same the mediators charge. */
import { type Result, err, ok } from '../codec/index.ts';
import { calcFee, maxPayable } from '../funder/index.ts';
import type { Commit, Receipt } from '../proto/index.ts';
import { type AppClient, AppRequestError } from './client.ts';
import type { MultiRoute, PaymentStatus, RouteCapacityRate, TransactionOutcome } from './messages.ts';

export interface PaymentPart {
  /** Full route: us first, the destination last. */
  readonly route: readonly Uint8Array[];
  readonly destPayment: bigint;
  readonly fees: bigint;
}

export interface PaymentPlan {
  readonly parts: readonly PaymentPart[];
  /** What the buyer pays on top of the amount. */
  readonly totalFees: bigint;
}

/** The plan with the fewest parts that delivers `amount` (then the lowest fee, then the index's
 *  order): every single route the index offered, alone, and every multi-route split evenly
 *  (smallest route first, each part within what its route can deliver after fees, as the
 *  original's choose_multi_route). **Decision** (issue 9's storm): the original takes the first
 *  multi-route even when one of its routes could carry the whole amount; each extra part is one
 *  more chain that can fail, and a split auto-collect payment that loses a part holds the others'
 *  credits at the destination until its implicit invoice expires. undefined when nothing can
 *  deliver, or when a fee would not fit a u128. */
export function planPayment(multiRoutes: readonly MultiRoute[], amount: bigint): PaymentPlan | undefined {
  if (amount <= 0n) return undefined;
  let best: PaymentPlan | undefined;
  const consider = (routes: readonly RouteCapacityRate[]): void => {
    const plan = splitOver(routes, amount);
    if (plan === undefined) return;
    if (best === undefined || plan.parts.length < best.parts.length
      || (plan.parts.length === best.parts.length && plan.totalFees < best.totalFees)) best = plan;
  };
  for (const mr of multiRoutes) for (const r of mr.routes) consider([r]);
  for (const mr of multiRoutes) if (mr.routes.length > 1) consider(mr.routes);
  return best;
}

function splitOver(routes: readonly RouteCapacityRate[], amount: bigint): PaymentPlan | undefined {
  const payable = routes.map((r) => ({ r, max: maxPayable(r.rate, r.capacity) })).sort((a, b) => (a.max < b.max ? -1 : a.max > b.max ? 1 : 0));
  let total = 0n;
  for (const p of payable) total += p.max;
  if (total < amount) return undefined;
  const parts: PaymentPart[] = [];
  let remaining = amount;
  let totalFees = 0n;
  for (let k = 0; k < payable.length && remaining > 0n; k++) {
    const p = payable[k] as { r: RouteCapacityRate; max: bigint };
    const left = BigInt(payable.length - k);
    const share = (remaining + left - 1n) / left;
    const give = share < p.max ? share : p.max;
    if (give === 0n) continue;
    const fees = calcFee(p.r.rate, give);
    if (fees === undefined) return undefined;
    parts.push({ route: p.r.route, destPayment: give, fees });
    totalFees += fees;
    remaining -= give;
  }
  return remaining === 0n ? { parts, totalFees } : undefined;
}

export type QuoteError =
  | { readonly kind: 'no-route' }
  | { readonly kind: 'routes-failed' }
  | { readonly kind: 'refused'; readonly error: AppRequestError };

/** Routes from the node's index server, planned for `amount`. */
export async function quotePayment(
  client: AppClient, q: { readonly destination: Uint8Array; readonly currency: string; readonly amount: bigint },
): Promise<Result<PaymentPlan, QuoteError>> {
  let outcome;
  try {
    outcome = await client.requestRoutes(q);
  } catch (e) {
    if (e instanceof AppRequestError) return err({ kind: 'refused', error: e });
    throw e;
  }
  if (outcome.kind === 'failure') return err({ kind: 'routes-failed' });
  const plan = planPayment(outcome.multiRoutes, q.amount);
  return plan === undefined ? err({ kind: 'no-route' }) : ok(plan);
}

export interface PaymentOrder {
  readonly paymentId: Uint8Array;
  readonly invoiceId: Uint8Array;
  readonly currency: string;
  readonly totalDestPayment: bigint;
  readonly destPublicKey: Uint8Array;
  /** true: the destination collects by itself and we wait for the receipt (send-funds, offline
   *  invoices); false: we return the commit for the buyer to hand to the seller. */
  readonly autoCollect: boolean;
}

export type PaymentOutcome =
  /** Store the receipt, then `ackPayment(…, ackUid)` so the node may forget the payment. */
  | { readonly kind: 'receipt'; readonly receipt: Receipt; readonly fees: bigint; readonly ackUid: Uint8Array }
  | { readonly kind: 'commit'; readonly commit: Commit; readonly fees: bigint }
  | { readonly kind: 'canceled' }
  | { readonly kind: 'refused'; readonly error: AppRequestError };

/** Pays along a plan. `random(16)` makes the transaction ids. Only a receipt or a commit means
 *  the credits moved or will move; `canceled` means nothing moved. Rejects only if the
 *  connection closes, in which case the payment's fate is for `payment-status` to tell. */
export async function executePayment(
  client: AppClient, order: PaymentOrder, plan: PaymentPlan, random: (n: number) => Uint8Array,
): Promise<PaymentOutcome> {
  try {
    await client.request({ kind: 'create-payment', ...order });
  } catch (e) {
    if (e instanceof AppRequestError) return { kind: 'refused', error: e };
    throw e;
  }
  const transactions: Promise<TransactionOutcome>[] = plan.parts.map((part) => client.createTransaction({
    paymentId: order.paymentId, transactionId: random(16), route: part.route, destPayment: part.destPayment, fees: part.fees,
  }).catch((e: unknown) => {
    if (e instanceof AppRequestError) return { kind: 'failure' as const };
    throw e;
  }));
  // No more transactions: the node answers with the payment's final status once it has one
  const status = client.requestClosePayment(order.paymentId);
  status.catch(() => {});
  const outcomes = await Promise.all(transactions);
  const complete = outcomes.find((o): o is Extract<TransactionOutcome, { kind: 'complete' }> => o.kind === 'complete');
  if (complete !== undefined && !order.autoCollect) return { kind: 'commit', commit: complete.commit, fees: plan.totalFees };
  const final: PaymentStatus = await status;
  if (final.kind === 'success') return { kind: 'receipt', receipt: final.receipt, fees: plan.totalFees, ackUid: final.ackUid };
  if (final.kind === 'canceled') await ackPayment(client, order.paymentId, final.ackUid);
  return { kind: 'canceled' };
}

/** Lets the node forget a closed payment (after its receipt is stored). Best effort: an
 *  unacknowledged payment only stays listed until the next payment-status/ack. */
export async function ackPayment(client: AppClient, paymentId: Uint8Array, ackUid: Uint8Array): Promise<boolean> {
  try {
    await client.request({ kind: 'ack-close-payment', paymentId, ackUid });
    return true;
  } catch {
    return false;
  }
}
