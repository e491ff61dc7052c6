/** The node's history rows (query-history) as the Get paid and Pay lists' records: invoices and
 *  payments that ended before this window opened, so a reload keeps their state and receipts. */
import { type HistoryEntry, commit as commitCodec, receipt as receiptCodec } from '../../src-core/app/index.ts';
import { decodeExact, fromBase64Url, toBase64Url } from '../../src-core/codec/index.ts';
import type { Commit, Receipt } from '../../src-core/proto/index.ts';
import { type InvoiceRecord, type InvoiceState, invoiceRecord } from './invoice-model.ts';

function fromHex(hex: string, length: number): Uint8Array | undefined {
  if (hex.length !== length * 2 || !/^[0-9a-f]+$/.test(hex)) return undefined;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const ENDED: Readonly<Record<string, InvoiceState>> = { collected: 'collected', canceled: 'cancelled' };

/** Ended invoices of the history that the list does not have, added after it (rebuilt: no
 *  description); one the list only knows as `closed` (gone while the window was away) takes the
 *  history's state. Open ones come from the report (reconcile). */
export function invoicesFromHistory(list: readonly InvoiceRecord[], rows: readonly HistoryEntry[], localPublicKey: Uint8Array): readonly InvoiceRecord[] {
  const known = new Map(list.map((r) => [toBase64Url(r.invoice.invoiceId), r]));
  const added: InvoiceRecord[] = [];
  const settled = new Map<InvoiceRecord, InvoiceState>();
  for (const row of rows) {
    const state = ENDED[row.state];
    const id = row.kind === 'invoice' && row.id.startsWith('invoice:') ? fromHex(row.id.slice(8), 32) : undefined;
    if (state === undefined || id === undefined || row.amount <= 0n) continue;
    const mine = known.get(toBase64Url(id));
    if (mine !== undefined) {
      if (mine.state === 'closed') settled.set(mine, state);
      continue;
    }
    const rec = invoiceRecord({ invoiceId: id, currency: row.currency, destPublicKey: localPublicKey, totalDestPayment: row.amount }, true);
    const full = { ...rec, state, paid: state === 'collected' ? row.amount : 0n };
    known.set(toBase64Url(id), full);
    added.push(full);
  }
  if (added.length === 0 && settled.size === 0) return list;
  const next = list.map((r) => {
    const state = settled.get(r);
    return state === undefined ? r : { ...r, state, paid: state === 'collected' ? r.invoice.totalDestPayment : 0n };
  });
  return [...next, ...added];
}

/** A finished payment from the history: its id (base64url), what it paid and to whom, and the
 *  receipt of a successful one. */
export interface PaymentFromHistory {
  readonly id: string;
  readonly invoiceId: Uint8Array;
  readonly currency: string;
  readonly destPublicKey: Uint8Array;
  readonly totalDestPayment: bigint;
  readonly outcome: { readonly kind: 'success'; readonly receipt: Receipt } | { readonly kind: 'canceled' };
}

export function paymentsFromHistory(rows: readonly HistoryEntry[]): PaymentFromHistory[] {
  const out: PaymentFromHistory[] = [];
  for (const row of rows) {
    const id = row.kind === 'payment' && row.id.startsWith('payment:') ? fromHex(row.id.slice(8), 16) : undefined;
    const dest = row.counterpart === undefined ? undefined : fromBase64Url(row.counterpart);
    if (id === undefined || dest === undefined || dest.length !== 32 || row.amount >= 0n) continue;
    const base = { id: toBase64Url(id), currency: row.currency, destPublicKey: dest, totalDestPayment: -row.amount };
    if (row.state === 'success') {
      const r = decodeExact(receiptCodec, row.data);
      if (r.ok) out.push({ ...base, invoiceId: r.value.invoiceId, outcome: { kind: 'success', receipt: r.value } });
    } else if (row.state === 'canceled') {
      out.push({ ...base, invoiceId: new Uint8Array(32), outcome: { kind: 'canceled' } });
    }
  }
  return out;
}

/** The commits the node kept for payments still waiting for their seller (state `committed`),
 *  by payment id (base64url): what a buyer hands over again after a reload. */
export function commitsFromHistory(rows: readonly HistoryEntry[]): ReadonlyMap<string, Commit> {
  const out = new Map<string, Commit>();
  for (const row of rows) {
    const id = row.kind === 'payment' && row.state === 'committed' && row.id.startsWith('payment:') ? fromHex(row.id.slice(8), 16) : undefined;
    const c = id === undefined ? undefined : decodeExact(commitCodec, row.data);
    if (id !== undefined && c?.ok === true) out.set(toBase64Url(id), c.value);
  }
  return out;
}
