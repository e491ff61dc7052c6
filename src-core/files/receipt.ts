/** `.receipt`: the buyer's lasting proof that an invoice was paid (seed 001 "Receipt",
 *  reference/funder.md §2.1, §2.4). */
import type { Result } from '../codec/index.ts';
import { SIGNATURE_LEN } from '../crypto/index.ts';
import { INVOICE_ID_LEN, LOCK_LEN, type Receipt } from '../proto/index.ts';
import { formatU128Decimal } from './decimal.ts';
import { parseDocument } from './document.ts';
import { FieldReader } from './fields.ts';
import { type FileError, catching, fail } from './file-error.ts';
import { checkCurrency } from './invoice.ts';
import { b64, jsonText } from './json-text.ts';

const HASH_LEN = 32;

export function formatReceipt(r: Receipt): string {
  checkCurrency(r.currency);
  return jsonText({
    kind: 'receipt',
    responseHash: b64(r.responseHash, HASH_LEN, 'responseHash'),
    invoiceId: b64(r.invoiceId, INVOICE_ID_LEN, 'invoiceId'),
    currency: r.currency,
    srcPlainLock: b64(r.srcPlainLock, LOCK_LEN, 'srcPlainLock'),
    destPlainLock: b64(r.destPlainLock, LOCK_LEN, 'destPlainLock'),
    isComplete: r.isComplete === true,
    destPayment: formatU128Decimal(r.destPayment),
    totalDestPayment: formatU128Decimal(r.totalDestPayment),
    signature: b64(r.signature, SIGNATURE_LEN, 'signature'),
  });
}

export function parseReceipt(text: string): Result<Receipt, FileError> {
  return catching(() => {
    const f = new FieldReader('receipt', parseDocument('receipt', text));
    f.kind('receipt');
    const receipt: Receipt = {
      responseHash: f.bytes('responseHash', HASH_LEN),
      invoiceId: f.bytes('invoiceId', INVOICE_ID_LEN),
      currency: f.currency('currency'),
      srcPlainLock: f.bytes('srcPlainLock', LOCK_LEN),
      destPlainLock: f.bytes('destPlainLock', LOCK_LEN),
      isComplete: f.bool('isComplete'),
      destPayment: f.amount('destPayment'),
      totalDestPayment: f.amount('totalDestPayment'),
      signature: f.bytes('signature', SIGNATURE_LEN),
    };
    f.end();
    if (receipt.destPayment > receipt.totalDestPayment) {
      fail('bad-value', 'receipt', 'destPayment', 'is larger than totalDestPayment');
    }
    return receipt;
  });
}
