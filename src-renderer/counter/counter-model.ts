/** Counter mode (issue 11 item 3), pure: the stages of one sale, the keys that move between
 *  them, and what the seller hands the customer as a receipt (docs/wallet.md "Counter mode").
 *
 *  **Decision: the seller's receipt is the invoice and the buyer's commit.** The commit carries
 *  the seller node's own signature (made when the last payment part arrived) over the invoice id,
 *  currency and amount, and the buyer's revealed lock: `stverify verify-commit -i INVOICE -c
 *  COMMIT` checks it offline. The seller's node cannot sign anything else for the buyer: the
 *  Receipt proper goes to the buyer's node through the route (the buyer's Pay tab keeps it). */
import { toBase64Url } from '../../src-core/codec/index.ts';
import { formatCommit, formatInvoice, formatQrPayload } from '../../src-core/files/index.ts';
import type { Commit, Invoice } from '../../src-core/proto/index.ts';
import type { InvoiceRecord } from '../invoice/invoice-model.ts';

export type CounterStage =
  /** The seller types the amount. */
  | { readonly kind: 'amount' }
  /** The invoice's QR code is on screen; the camera waits for the buyer's commit. */
  | { readonly kind: 'invoice'; readonly invoiceId: Uint8Array }
  /** Collected: the receipt is on screen. */
  | { readonly kind: 'paid'; readonly invoiceId: Uint8Array; readonly commit: Commit; readonly paidAt: number };

export type CounterKeyAction = 'leave' | 'next' | 'none';

/** Escape always leaves; Enter or N starts the next customer once a sale is paid. */
export function counterKey(key: string, stage: CounterStage['kind']): CounterKeyAction {
  if (key === 'Escape') return 'leave';
  if (stage === 'paid' && (key === 'Enter' || key === 'n' || key === 'N')) return 'next';
  return 'none';
}

/** What the screen says about the sale's invoice. */
export function counterStatus(r: InvoiceRecord | undefined): { readonly text: string; readonly scan: boolean } {
  if (r === undefined) return { text: 'Making the invoice…', scan: false };
  switch (r.state) {
    case 'open': return { text: r.paid === 0n ? 'Waiting for the customer to pay…' : 'Part of the payment arrived; waiting for the rest…', scan: false };
    case 'paid': return { text: "Paid by the customer: show me their commit QR code to collect.", scan: true };
    case 'committed': return { text: 'Commit accepted: collecting…', scan: false };
    case 'collected': return { text: 'Paid', scan: false };
    case 'cancelled': return { text: 'This invoice was cancelled: nothing was paid.', scan: false };
    case 'closed': return { text: 'This invoice is no longer open on the card.', scan: false };
  }
}

export interface SaleReceipt {
  readonly invoiceFileName: string;
  readonly invoiceText: string;
  readonly commitFileName: string;
  readonly commitText: string;
  /** The commit as a QR code's text, printed on the receipt. */
  readonly commitQr: string;
}

export function saleReceipt(invoice: Invoice, commit: Commit): SaleReceipt {
  const base = `sale-${toBase64Url(invoice.invoiceId).slice(0, 8)}`;
  return {
    invoiceFileName: `${base}.invoice`, invoiceText: formatInvoice(invoice),
    commitFileName: `${base}.commit`, commitText: formatCommit(commit),
    commitQr: formatQrPayload({ kind: 'commit', commit }),
  };
}
