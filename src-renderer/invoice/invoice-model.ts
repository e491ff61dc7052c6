/** The seller's side, pure: making an invoice from what a person typed, the states an invoice
 *  goes through, and checking that a buyer's commit belongs to an invoice. */
import type { InvoiceEvent, NodeReport, OpenInvoiceReport } from '../../src-core/app/index.ts';
import { bytesEqual } from '../../src-core/crypto/index.ts';
import { MAX_DESCRIPTION_BYTES, formatInvoice, formatQrPayload } from '../../src-core/files/index.ts';
import type { Commit, Invoice } from '../../src-core/proto/index.ts';
import type { Result } from '../../src-main/bridge.ts';
import { currencyDecimals, formatMoney } from '../format-amount.ts';
import { describeAmountError, parseAmount } from '../parse-amount.ts';

/** open: waiting for payment; paid: the parts are held, waiting for the buyer's commit;
 *  committed: the commit was accepted, collecting; collected: the credits are ours;
 *  cancelled: nothing was or will be paid; closed: gone from the node while this window was away
 *  (collected or cancelled elsewhere). */
export type InvoiceState = 'open' | 'paid' | 'committed' | 'collected' | 'cancelled' | 'closed';

export interface InvoiceRecord {
  readonly invoice: Invoice;
  readonly state: InvoiceState;
  /** What the held payment parts add up to. */
  readonly paid: bigint;
  /** The invoice file's text and the QR payload (the same invoice). */
  readonly fileText: string;
  readonly qrText: string;
  /** Rebuilt from the node's report: the description is not known. */
  readonly rebuilt: boolean;
}

export interface InvoiceInput {
  readonly amount: string;
  readonly currency: string;
  readonly description: string;
  /** The invoice expires this many seconds after it is made (absent: never); the seller's wallet
   *  cancels it then (docs/wallet.md "Invoice expiry"). */
  readonly expiresInSeconds?: number;
  /** Or at this time (seconds since the epoch), which must be later than now. */
  readonly expiresAtSeconds?: number;
}

/** The expiry choices the Get paid form offers, in seconds (0: never). */
export const EXPIRY_CHOICES: readonly { readonly label: string; readonly seconds: number }[] = [
  { label: 'never', seconds: 0 },
  { label: 'in 15 minutes', seconds: 15 * 60 },
  { label: 'in 1 hour', seconds: 3600 },
  { label: 'in 1 day', seconds: 24 * 3600 },
  { label: 'at a chosen time', seconds: -1 },
];

const nowSecondsOfSystem = (): number => Math.floor(Date.now() / 1000);

/** The currencies this card has with any friend, sorted: the only ones it can be paid in. */
export function cardCurrencies(report: NodeReport): string[] {
  return [...new Set(report.friends.flatMap((f) => f.currencies.map((c) => c.currency)))].sort();
}

export function invoiceFromInput(input: InvoiceInput, report: NodeReport, invoiceId: Uint8Array, nowSeconds: number = nowSecondsOfSystem()): Result<Invoice, string> {
  const currencies = cardCurrencies(report);
  if (currencies.length === 0) return { ok: false, error: 'This card has no friends yet: add a friend first, then it can be paid through them.' };
  if (!currencies.includes(input.currency)) return { ok: false, error: `Choose one of this card's currencies: ${currencies.join(', ')}.` };
  const a = parseAmount(input.amount, currencyDecimals(input.currency));
  if (!a.ok) return { ok: false, error: `The amount: ${describeAmountError(a.error)}` };
  if (a.value === 0n) return { ok: false, error: 'The amount: enter more than 0.' };
  const description = input.description.trim();
  if (new TextEncoder().encode(description).length > MAX_DESCRIPTION_BYTES) return { ok: false, error: `The description has at most ${MAX_DESCRIPTION_BYTES} bytes.` };
  const base = { invoiceId, currency: input.currency, destPublicKey: report.localPublicKey, totalDestPayment: a.value };
  const described = description === '' ? base : { ...base, description };
  if (input.expiresAtSeconds !== undefined) {
    if (!Number.isSafeInteger(input.expiresAtSeconds) || input.expiresAtSeconds > 253_402_300_799) return { ok: false, error: 'The expiry time cannot be read: choose a date and time.' };
    if (input.expiresAtSeconds <= nowSeconds) return { ok: false, error: 'The expiry time has passed: choose a later time.' };
    return { ok: true, value: { ...described, expiresAt: input.expiresAtSeconds } };
  }
  const seconds = input.expiresInSeconds ?? 0;
  return { ok: true, value: seconds > 0 ? { ...described, expiresAt: nowSeconds + seconds } : described };
}

export function invoiceRecord(invoice: Invoice, rebuilt = false): InvoiceRecord {
  return {
    invoice, state: 'open', paid: 0n, rebuilt,
    fileText: formatInvoice(invoice), qrText: formatQrPayload({ kind: 'invoice', invoice }),
  };
}

const RANK: Record<InvoiceState, number> = { open: 0, paid: 1, committed: 2, collected: 3, cancelled: 3, closed: 3 };

/** Moves an invoice forward only: a late event never takes a collected invoice back to open. */
export function advance(r: InvoiceRecord, state: InvoiceState, paid = r.paid): InvoiceRecord {
  if (RANK[r.state] >= 3 || RANK[state] < RANK[r.state]) return r;
  if (state === r.state && paid === r.paid) return r;
  return { ...r, state, paid };
}

export function applyInvoiceEvent(r: InvoiceRecord, e: InvoiceEvent): InvoiceRecord {
  switch (e.kind) {
    case 'request-arrived': return advance(r, e.paid >= r.invoice.totalDestPayment ? 'paid' : r.state, e.paid);
    case 'complete': return advance(r, 'paid', r.invoice.totalDestPayment);
    case 'collected': return advance(r, 'collected', r.invoice.totalDestPayment);
    case 'canceled': return advance(r, 'cancelled', 0n);
  }
}

/** The list brought in line with the node's open invoices: unknown ones are added (rebuilt,
 *  without description), known ones take the paid sum. With `fresh` (a new session, so every
 *  open invoice is in the report), open ones the node no longer has become `closed`. */
export function reconcile(list: readonly InvoiceRecord[], report: NodeReport, fresh: boolean): readonly InvoiceRecord[] {
  const open = report.openInvoices;
  const find = (id: Uint8Array): OpenInvoiceReport | undefined => open.find((o) => bytesEqual(o.invoiceId, id));
  let changed = false;
  const next = list.map((r) => {
    const o = find(r.invoice.invoiceId);
    let n = r;
    if (o !== undefined) n = advance(r, o.paidDestPayment >= o.totalDestPayment ? 'paid' : r.state, o.paidDestPayment);
    else if (fresh && (r.state === 'open' || r.state === 'paid')) n = advance(r, 'closed');
    if (n !== r) changed = true;
    return n;
  });
  const added = open.filter((o) => !list.some((r) => bytesEqual(r.invoice.invoiceId, o.invoiceId))).map((o) => {
    const rec = invoiceRecord({ invoiceId: o.invoiceId, currency: o.currency, destPublicKey: report.localPublicKey, totalDestPayment: o.totalDestPayment }, true);
    return advance(rec, o.paidDestPayment >= o.totalDestPayment ? 'paid' : 'open', o.paidDestPayment);
  });
  if (added.length === 0 && !changed) return list;
  return [...added, ...next];
}

/** A commit belongs to an invoice when it names it, in its currency, for its total. */
export function checkCommit(commit: Commit, invoice: Invoice): Result<Commit, string> {
  if (!bytesEqual(commit.invoiceId, invoice.invoiceId)) return { ok: false, error: 'This commit is for another invoice, not this one. Ask the buyer for the commit of this invoice.' };
  if (commit.currency !== invoice.currency || commit.totalDestPayment !== invoice.totalDestPayment) {
    return { ok: false, error: `This commit pays ${formatMoney(commit.totalDestPayment, commit.currency)}, but the invoice asks for ${formatMoney(invoice.totalDestPayment, invoice.currency)}.` };
  }
  return { ok: true, value: commit };
}

export function describeInvoiceState(r: InvoiceRecord): string {
  switch (r.state) {
    case 'open': return r.paid === 0n ? 'open: waiting for payment' : `open: ${formatMoney(r.paid, r.invoice.currency)} paid so far`;
    case 'paid': return "paid: waiting for the buyer's commit";
    case 'committed': return 'committed: collecting';
    case 'collected': return 'collected';
    case 'cancelled': return 'cancelled';
    case 'closed': return 'no longer open (collected or cancelled elsewhere)';
  }
}
