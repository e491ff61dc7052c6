/** `.invoice`: what a seller asks to be paid (seed 001 "Invoice"): a random 32-byte id, the
 *  currency, the seller's public key and the amount, plus an optional description for people. */
import type { Result } from '../codec/index.ts';
import { PUBLIC_KEY_LEN } from '../crypto/index.ts';
import { INVOICE_ID_LEN, type Invoice, MAX_CURRENCY_BYTES } from '../proto/index.ts';
import { parseDocument } from './document.ts';
import { FieldReader, formatUtcTimestamp } from './fields.ts';
import { type FileError, catching } from './file-error.ts';
import { formatU128Decimal } from './decimal.ts';
import { b64, jsonText } from './json-text.ts';

/** The currency `stregister gen-invoice` uses without `-c` (the original's test currency). */
export const DEFAULT_CURRENCY = 'FST';
export const MAX_DESCRIPTION_BYTES = 512;

const utf8 = new TextEncoder();

export function checkCurrency(currency: string): void {
  if (typeof currency !== 'string' || currency.length === 0 || utf8.encode(currency).length > MAX_CURRENCY_BYTES) {
    throw new RangeError(`currency: expected 1 to ${MAX_CURRENCY_BYTES} bytes of UTF-8`);
  }
}

export function formatInvoice(invoice: Invoice): string {
  checkCurrency(invoice.currency);
  const doc: Record<string, unknown> = {
    kind: 'invoice',
    invoiceId: b64(invoice.invoiceId, INVOICE_ID_LEN, 'invoiceId'),
    currency: invoice.currency,
    destPublicKey: b64(invoice.destPublicKey, PUBLIC_KEY_LEN, 'destPublicKey'),
    totalDestPayment: formatU128Decimal(invoice.totalDestPayment),
  };
  if (invoice.description !== undefined) {
    if (utf8.encode(invoice.description).length > MAX_DESCRIPTION_BYTES) throw new RangeError(`description: at most ${MAX_DESCRIPTION_BYTES} bytes`);
    doc.description = invoice.description;
  }
  if (invoice.expiresAt !== undefined) doc.expiresAt = formatUtcTimestamp(invoice.expiresAt);
  return jsonText(doc);
}

/** Accepts our JSON and the original's snake_case file, whose amount is `dest_payment`. */
export function parseInvoice(text: string): Result<Invoice, FileError> {
  return catching(() => {
    const f = new FieldReader('invoice', parseDocument('invoice', text));
    f.kind('invoice');
    const invoiceId = f.bytes('invoiceId', INVOICE_ID_LEN);
    const currency = f.currency('currency');
    const destPublicKey = f.bytes('destPublicKey', PUBLIC_KEY_LEN);
    const totalDestPayment = f.amount('totalDestPayment', ['destPayment']);
    const description = f.optionalString('description', { maxBytes: MAX_DESCRIPTION_BYTES });
    const expiresAt = f.optionalTimestamp('expiresAt');
    f.end();
    return {
      invoiceId, currency, destPublicKey, totalDestPayment,
      ...(description === undefined ? {} : { description }),
      ...(expiresAt === undefined ? {} : { expiresAt }),
    };
  });
}

/** Whether the seller's wallet has cancelled it by `nowSeconds` (an invoice without expiry never is). */
export function isInvoiceExpired(invoice: Pick<Invoice, 'expiresAt'>, nowSeconds: number): boolean {
  return invoice.expiresAt !== undefined && nowSeconds >= invoice.expiresAt;
}
