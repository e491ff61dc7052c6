/** The buyer's side, pure: checking an invoice this card is asked to pay, and the fee quote in
 *  words (routes, mediators, each route's share, rate and fee). */
import { type MultiRoute, type NodeReport, type PaymentPlan, planPayment } from '../../src-core/app/index.ts';
import { fromBase64Url, toBase64Url } from '../../src-core/codec/index.ts';
import { bytesEqual } from '../../src-core/crypto/index.ts';
import type { Invoice, Rate } from '../../src-core/proto/index.ts';
import type { Result } from '../../src-main/bridge.ts';
import { currencyDecimals, formatAmount } from '../format-amount.ts';
import { describeAmountError, parseAmount } from '../parse-amount.ts';
import { isInvoiceExpired } from '../../src-core/files/index.ts';
import { readExpected } from '../invoice/offset-text.ts';

/** An invoice from pasted/opened/scanned text that this card can pay. */
export function invoiceToPay(text: string, report: NodeReport, nowSeconds: number = Math.floor(Date.now() / 1000)): Result<Invoice, string> {
  const r = readExpected(text, 'invoice');
  if (!r.ok) return r;
  const inv = r.value;
  if (bytesEqual(inv.destPublicKey, report.localPublicKey)) return { ok: false, error: "This is this card's own invoice: give it to the buyer instead." };
  const friends = report.friends.filter((f) => f.currencies.some((c) => c.currency === inv.currency));
  if (friends.length === 0) {
    return { ok: false, error: `This invoice asks for ${inv.currency}, and this card has no friend in ${inv.currency}, so it cannot pay it. Pay it from a card that has, or add ${inv.currency} with a friend.` };
  }
  if (inv.totalDestPayment === 0n) return { ok: false, error: 'This invoice asks for 0: there is nothing to pay.' };
  if (isInvoiceExpired(inv, nowSeconds)) {
    return { ok: false, error: `This invoice expired on ${new Date((inv.expiresAt ?? 0) * 1000).toLocaleString()}: the seller no longer takes payment for it. Nothing was paid; ask the seller for a new invoice.` };
  }
  return { ok: true, value: inv };
}

/** A payment of the same invoice (its id, to the same seller) that paid it or still may: paying
 *  again would pay the seller twice (a destination that collects by itself takes a second
 *  payment of one invoice id). Cancelled ones do not count: nothing moved. */
export function earlierPaymentOf<T extends { readonly invoice: Invoice; readonly state: { readonly kind: string } }>(
  records: readonly T[], inv: Invoice,
): T | undefined {
  return records.find((r) => r.state.kind !== 'canceled'
    && bytesEqual(r.invoice.invoiceId, inv.invoiceId) && bytesEqual(r.invoice.destPublicKey, inv.destPublicKey));
}

export function describeEarlierPayment(kind: string): string {
  return kind === 'paid'
    ? 'This invoice is already paid: its receipt is under Payments below. Paying it again would pay the seller twice.'
    : 'A payment of this invoice is already under way (see Payments below). Paying it again would pay the seller twice.';
}

export interface KeyPaymentInput {
  /** The destination card's public key (base64url, as `stctrl info public-key` prints it). */
  readonly publicKey: string;
  readonly amount: string;
  readonly currency: string;
}

/** A payment to a public key without an invoice, as the invoice the payment carries inside (a
 *  random id, no description); the destination collects it by itself. */
export function keyPayment(input: KeyPaymentInput, report: NodeReport, invoiceId: Uint8Array): Result<Invoice, string> {
  const text = input.publicKey.trim();
  if (text === '') return { ok: false, error: 'Enter the public key of the card to pay.' };
  const key = /^[A-Za-z0-9_-]{43}$/.test(text) ? fromBase64Url(text) : undefined;
  if (key === undefined || key.length !== 32) return { ok: false, error: 'This is not a public key: it has 43 letters, digits, - and _ (stctrl info public-key).' };
  if (bytesEqual(key, report.localPublicKey)) return { ok: false, error: "This is this card's own key: a card cannot pay itself." };
  if (!report.friends.some((f) => f.currencies.some((c) => c.currency === input.currency))) {
    return { ok: false, error: `This card has no friend in ${input.currency === '' ? 'that currency' : input.currency}: choose one of its currencies.` };
  }
  const a = parseAmount(input.amount, currencyDecimals(input.currency));
  if (!a.ok) return { ok: false, error: `The amount: ${describeAmountError(a.error)}` };
  if (a.value === 0n) return { ok: false, error: 'The amount: enter more than 0.' };
  return { ok: true, value: { invoiceId, currency: input.currency, destPublicKey: key, totalDestPayment: a.value } };
}

/** A name for a node on a route: a friend's name, this card, or the start of its key. */
export function nodeName(key: Uint8Array, report: NodeReport, invoice?: Invoice): string {
  if (bytesEqual(key, report.localPublicKey)) return 'this card';
  const f = report.friends.find((x) => bytesEqual(x.publicKey, key));
  if (f !== undefined) return f.name;
  if (invoice !== undefined && bytesEqual(key, invoice.destPublicKey)) return `the seller ${toBase64Url(key).slice(0, 8)}…`;
  return `${toBase64Url(key).slice(0, 8)}…`;
}

export interface QuotedRoute {
  /** Full route: this card first, the seller last. */
  readonly route: readonly Uint8Array[];
  readonly share: bigint;
  readonly fees: bigint;
  /** The sum of the route's mediators' rates. */
  readonly rate: Rate;
}

export interface Quote {
  readonly plan: PaymentPlan;
  readonly routes: readonly QuotedRoute[];
  readonly amount: bigint;
  readonly totalFees: bigint;
}

/** planPayment, keeping each part's route rate for the explainer. undefined: no route carries it. */
export function quoteFrom(multiRoutes: readonly MultiRoute[], amount: bigint): Quote | undefined {
  const plan = planPayment(multiRoutes, amount);
  if (plan === undefined) return undefined;
  const all = multiRoutes.flatMap((m) => m.routes);
  const routes = plan.parts.map((p) => ({
    route: p.route, share: p.destPayment, fees: p.fees,
    rate: all.find((r) => r.route === p.route)?.rate ?? { mul: 0, add: 0 },
  }));
  return { plan, routes, amount, totalFees: plan.totalFees };
}

/** "0.5% + 1", "free", "2" — the rate in words: `mul` is a fraction of 2^32 (calcFee). */
export function describeRate(rate: Rate): string {
  const percentMicros = (BigInt(rate.mul) * 100_000_000n + (1n << 31n)) >> 32n; // percent × 10^6, rounded
  const parts: string[] = [];
  if (rate.mul !== 0) parts.push(`${percentMicros === 0n ? '<0.000001' : formatAmount(percentMicros, 6, { trimZeros: true })}%`);
  if (rate.add !== 0) parts.push(String(rate.add));
  return parts.length === 0 ? 'free' : parts.join(' + ');
}

/** Two quotes ask the same of the buyer (a stale quote re-checked before paying). */
export function sameQuote(a: Quote, b: Quote): boolean {
  return a.totalFees === b.totalFees && a.amount === b.amount && a.routes.length === b.routes.length;
}
