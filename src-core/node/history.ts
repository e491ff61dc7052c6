/** The wallet's history (store history rows, docs/store.md), derived from one job's funder
 *  state change and results: a payment when it starts, when its commit is made (kept for the
 *  seller) and when it ends (success with its receipt, or canceled), an invoice when opened,
 *  collected or canceled. Appended in the same unit as the job's mutations. Amounts: negative
 *  for what we pay, positive for what we get. */
import { encode, toBase64Url } from '../codec/index.ts';
import { commit as commitCodec, receipt as receiptCodec } from '../app/index.ts';
import type { CryptoBackend } from '../crypto/index.ts';
import { type AppResult, type FunderEvent, type FunderState, type Hex, type PendingTransaction, fromHex, toHex } from '../funder/index.ts';
import { type BackwardsOp, type Receipt, type RequestOp, responseHash } from '../proto/index.ts';
import type { HistoryRow, HistoryVia } from '../store/index.ts';

const none = new Uint8Array(0);

/** The row last written under an id, durable or not yet: a payment's row carries what earlier
 *  steps counted of its parts. */
export type PreviousRow = (id: string) => HistoryRow | undefined;

export function historyRows(
  before: FunderState, after: FunderState, results: readonly AppResult[], now: number, events: readonly FunderEvent[] = [],
  crypto?: CryptoBackend, previous: PreviousRow = () => undefined,
): HistoryRow[] {
  const rows = new Map<string, HistoryRow>();
  const put = (r: HistoryRow): void => { rows.set(r.id, r); };
  // unchanged maps (most jobs: a token moved) have no new entries to look for
  for (const [k, p] of before.payments === after.payments ? [] : after.payments) {
    if (before.payments.has(k)) continue;
    put({
      id: `payment:${k}`, kind: 'payment', time: now, currency: p.currency, amount: -p.totalDestPayment,
      counterpart: toBase64Url(p.destPublicKey), state: 'in-progress', data: none,
    });
  }
  for (const [k, inv] of before.openInvoices === after.openInvoices ? [] : after.openInvoices) {
    if (before.openInvoices.has(k) || inv.implicit) continue;
    put({ id: `invoice:${k}`, kind: 'invoice', time: now, currency: inv.currency, amount: inv.totalDestPayment, state: 'open', data: none });
  }
  for (const r of results) {
    if (r.kind === 'payment-status' && r.status.kind !== 'not-found') {
      const k = toHex(r.paymentId);
      const p = after.payments.get(k) ?? before.payments.get(k);
      if (p === undefined) continue;
      // the same status again (request-close-payment of a closed payment): its row was written in
      // the step that closed it (payment-stage.ts reports every close), and keeps that time
      if (before.payments.get(k)?.stage.kind === r.status.kind) continue;
      put({
        id: `payment:${k}`, kind: 'payment', time: now, currency: p.currency, amount: -p.totalDestPayment,
        counterpart: toBase64Url(p.destPublicKey), state: r.status.kind,
        data: r.status.kind === 'success' ? encode(receiptCodec, r.status.receipt) : none,
      });
    } else if (r.kind === 'transaction-result' && r.result.kind === 'complete') {
      // The commit exists only in this result: kept durably so a buyer whose window closed (or
      // whose app crashed) can still hand it to the seller; until then the credits stay frozen.
      const tx = after.openTransactions.get(toHex(r.requestId)) ?? before.openTransactions.get(toHex(r.requestId));
      const p = tx === undefined ? undefined : after.payments.get(tx.paymentId) ?? before.payments.get(tx.paymentId);
      if (tx === undefined || p === undefined) continue;
      put({
        id: `payment:${tx.paymentId}`, kind: 'payment', time: now, currency: p.currency, amount: -p.totalDestPayment,
        counterpart: toBase64Url(p.destPublicKey), state: 'committed', data: encode(commitCodec, r.result.commit),
      });
    } else if (r.kind === 'invoice-event' && (r.event.kind === 'collected' || r.event.kind === 'canceled')) {
      const k = toHex(r.invoiceId);
      const inv = before.openInvoices.get(k) ?? after.openInvoices.get(k) ?? arrivedWith(events, k);
      if (inv === undefined) continue;
      const collected = r.event.kind === 'collected';
      const via = collected ? collectedVia(before, after, events, k, inv.currency) : [];
      put({
        id: `invoice:${k}`, kind: inv.implicit ? 'received' : 'invoice', time: now, currency: inv.currency,
        amount: inv.totalDestPayment, state: r.event.kind, data: collected ? collectedArtifact(after, events, k, crypto) : none,
        ...(via.length > 0 ? { via } : {}),
      });
    }
  }
  for (const r of feeRows(before, after, events, now)) put(r);
  addPaymentVia(before, after, events, rows, previous);
  return [...rows.values()];
}

/** Which friends' channels carried a payment's parts, and how much through each (a statement
 *  lists the payment for those friends): a part counts when its Collect comes back, which can be
 *  after the payment's success. Every rewrite of the row keeps what earlier steps counted; a step
 *  that only collects parts rewrites the row as it was, with the new shares. */
function addPaymentVia(before: FunderState, after: FunderState, events: readonly FunderEvent[], rows: Map<string, HistoryRow>, previous: PreviousRow): void {
  const collected = new Map<string, HistoryVia[]>();
  for (const e of events) {
    if (e.kind !== 'friend-message' || e.message.kind !== 'move-token-request') continue;
    const from = toHex(e.from);
    for (const { operations } of e.message.moveToken.currenciesOperations) {
      for (const op of operations) {
        if (op.kind !== 'collect') continue;
        const k = toHex(op.requestId);
        const tx = before.openTransactions.get(k);
        if (tx === undefined || tx.friend !== from || after.openTransactions.has(k)) continue;
        const id = `payment:${tx.paymentId}`;
        collected.set(id, [...(collected.get(id) ?? []), { friend: toBase64Url(e.from), amount: tx.destPayment }]);
      }
    }
  }
  const ids = new Set([...[...rows.keys()].filter((id) => id.startsWith('payment:')), ...collected.keys()]);
  for (const id of ids) {
    const prior = previous(id);
    const row = rows.get(id) ?? prior;
    if (row === undefined) continue;
    const via = sumByFriend([...(prior?.via ?? []), ...(collected.get(id) ?? [])]);
    const { via: _, ...plain } = row;
    rows.set(id, via.length > 0 ? { ...plain, via } : plain);
  }
}

function sumByFriend(shares: readonly HistoryVia[]): HistoryVia[] {
  const sums = new Map<string, bigint>();
  for (const s of shares) sums.set(s.friend, (sums.get(s.friend) ?? 0n) + s.amount);
  return [...sums]
    .filter(([, amount]) => amount > 0n)
    .map(([friend, amount]) => ({ friend, amount }))
    .sort((a, b) => (a.friend < b.friend ? -1 : a.friend > b.friend ? 1 : 0));
}

type Friendly = Pick<FunderState, 'friends'>;
function pendingOf(s: Friendly, friendHex: string, currency: string, side: 'local' | 'remote', requestHex: string): PendingTransaction | undefined {
  const ch = s.friends.get(friendHex)?.channel;
  if (ch?.kind !== 'consistent') return undefined;
  return ch.tc.mutualCredits.get(currency)?.[side].get(requestHex);
}

/** Fees, when a collect for one of our requests comes back and settles it: what our own payment
 *  part paid in fees (`fee-paid`, negative, the friend we paid through), or what we earned as a
 *  mediator (`fee-earned`, positive: what the previous hop pays us minus what we pay the next,
 *  the friend it came from). Free parts leave no row. */
function feeRows(before: Friendly, after: Friendly, events: readonly FunderEvent[], now: number): HistoryRow[] {
  const out: HistoryRow[] = [];
  for (const e of events) {
    if (e.kind !== 'friend-message' || e.message.kind !== 'move-token-request') continue;
    const from = toHex(e.from);
    for (const { currency, operations } of e.message.moveToken.currenciesOperations) {
      for (const op of operations) {
        if (op.kind !== 'collect') continue;
        const k = toHex(op.requestId);
        const tx = pendingOf(before, from, currency, 'local', k);
        if (tx === undefined || pendingOf(after, from, currency, 'local', k) !== undefined) continue;
        if (tx.origin === undefined) {
          if (tx.leftFees > 0n) {
            out.push({ id: `fee:${k}`, kind: 'fee-paid', time: now, currency, amount: -tx.leftFees, counterpart: toBase64Url(e.from), state: 'paid', data: none });
          }
          continue;
        }
        const inc = pendingOf(before, tx.origin, currency, 'remote', k);
        if (inc === undefined) continue;
        const earned = inc.destPayment + inc.leftFees - (tx.destPayment + tx.leftFees);
        const originKey = before.friends.get(tx.origin)?.remotePublicKey;
        if (earned > 0n && originKey !== undefined) {
          out.push({ id: `fee:${k}`, kind: 'fee-earned', time: now, currency, amount: earned, counterpart: toBase64Url(originKey), state: 'earned', data: none });
        }
      }
    }
  }
  return out;
}

/** An auto-collected payment opens and collects its implicit invoice within the one step that
 *  received its last request: currency and total come from that request. */
function arrivedWith(events: readonly FunderEvent[], invoiceHex: string): { implicit: boolean; currency: string; totalDestPayment: bigint; op: RequestOp } | undefined {
  for (const e of events) {
    if (e.kind !== 'friend-message' || e.message.kind !== 'move-token-request') continue;
    for (const { currency, operations } of e.message.moveToken.currenciesOperations) {
      for (const op of operations) {
        if (op.kind === 'request' && toHex(op.invoiceId) === invoiceHex) return { implicit: true, currency, totalDestPayment: op.totalDestPayment, op };
      }
    }
  }
  return undefined;
}

/** The signed artifact behind a collected invoice (docs/files.md "Statements"): the commit the
 *  buyer handed us (commit-invoice), or, for an auto-collected payment, the receipt of the part
 *  that completed it — our own response signature with the locks of our collect, exactly what
 *  the buyer's receipt holds. Empty when neither can be found in this step. */
function collectedArtifact(after: FunderState, events: readonly FunderEvent[], invoiceHex: string, crypto: CryptoBackend | undefined): Uint8Array {
  for (const e of events) {
    if (e.kind === 'app-request' && e.request.kind === 'commit-invoice' && toHex(e.request.commit.invoiceId) === invoiceHex) {
      return encode(commitCodec, e.request.commit);
    }
  }
  const arrived = arrivedWith(events, invoiceHex);
  if (arrived === undefined || crypto === undefined) return none;
  const req = arrived.op;
  const rk = toHex(req.requestId);
  let response: Extract<BackwardsOp, { kind: 'response' }> | undefined;
  let collect: Extract<BackwardsOp, { kind: 'collect' }> | undefined;
  for (const { op } of backwardsOps(after, arrived.currency)) {
    if (op.kind === 'response' && toHex(op.requestId) === rk) response = op;
    if (op.kind === 'collect' && toHex(op.requestId) === rk) collect = op;
  }
  if (response === undefined || collect === undefined) return none;
  const receipt: Receipt = {
    responseHash: responseHash(crypto, req.requestId, response.randNonce), invoiceId: req.invoiceId, currency: arrived.currency,
    srcPlainLock: collect.srcPlainLock, destPlainLock: collect.destPlainLock, isComplete: response.isComplete,
    destPayment: req.destPayment, totalDestPayment: req.totalDestPayment, signature: response.signature,
  };
  return encode(receiptCodec, receipt);
}

/** The backwards operations (responses, collects, cancels) in `currency` the node holds for each
 *  friend after a step: queued for the friend's token, or in the move token just sent. */
function* backwardsOps(s: Pick<FunderState, 'friends'>, currency: string): Generator<{ friend: Hex; op: BackwardsOp }> {
  for (const [friend, f] of s.friends) {
    if (f.channel.kind !== 'consistent') continue;
    for (const q of f.channel.pendingBackwardsOps) if (q.currency === currency) yield { friend, op: q.op };
    const dir = f.channel.tc.direction;
    if (dir.kind !== 'outgoing') continue;
    for (const c of dir.moveTokenOut.currenciesOperations) {
      if (c.currency !== currency) continue;
      for (const op of c.operations) if (op.kind === 'response' || op.kind === 'collect' || op.kind === 'cancel') yield { friend, op };
    }
  }
}

/** Which friends' channels delivered a collected invoice, and how much through each (a statement
 *  lists the invoice for those friends only): the parts the invoice held or that arrived in this
 *  step, counted when this step's Collect for them is queued or sent. Sorted by key. */
function collectedVia(before: FunderState, after: FunderState, events: readonly FunderEvent[], invoiceHex: string, currency: string): HistoryVia[] {
  const parts = new Map<string, { friend: Hex; destPayment: bigint }>();
  for (const t of before.openInvoices.get(invoiceHex)?.incoming ?? []) parts.set(t.requestId, t);
  for (const e of events) {
    if (e.kind !== 'friend-message' || e.message.kind !== 'move-token-request') continue;
    for (const c of e.message.moveToken.currenciesOperations) {
      if (c.currency !== currency) continue;
      for (const op of c.operations) {
        if (op.kind === 'request' && toHex(op.invoiceId) === invoiceHex) parts.set(toHex(op.requestId), { friend: toHex(e.from), destPayment: op.destPayment });
      }
    }
  }
  const shares: HistoryVia[] = [];
  for (const { friend, op } of backwardsOps(after, currency)) {
    const part = op.kind === 'collect' ? parts.get(toHex(op.requestId)) : undefined;
    if (part === undefined || part.friend !== friend) continue;
    parts.delete(toHex(op.requestId)); // a collect is counted once, even if queued and sent
    shares.push({ friend: toBase64Url(fromHex(friend)), amount: part.destPayment }); // friends are keyed by their public key
  }
  return sumByFriend(shares);
}
