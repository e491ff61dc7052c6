/** `.commit`: the buyer's proof, handed to the seller, that a complete payment is waiting to be
 *  collected (seed 001 "Commit", reference/funder.md §2.1, §2.3). */
import type { Result } from '../codec/index.ts';
import { SIGNATURE_LEN } from '../crypto/index.ts';
import { type Commit, INVOICE_ID_LEN, LOCK_LEN } from '../proto/index.ts';
import { formatU128Decimal } from './decimal.ts';
import { parseDocument } from './document.ts';
import { FieldReader } from './fields.ts';
import { type FileError, catching, fail } from './file-error.ts';
import { checkCurrency } from './invoice.ts';
import { b64, jsonText } from './json-text.ts';

const HASH_LEN = 32;

export function formatCommit(c: Commit): string {
  checkCurrency(c.currency);
  return jsonText({
    kind: 'commit',
    responseHash: b64(c.responseHash, HASH_LEN, 'responseHash'),
    srcPlainLock: b64(c.srcPlainLock, LOCK_LEN, 'srcPlainLock'),
    destHashedLock: b64(c.destHashedLock, HASH_LEN, 'destHashedLock'),
    destPayment: formatU128Decimal(c.destPayment),
    totalDestPayment: formatU128Decimal(c.totalDestPayment),
    invoiceId: b64(c.invoiceId, INVOICE_ID_LEN, 'invoiceId'),
    currency: c.currency,
    signature: b64(c.signature, SIGNATURE_LEN, 'signature'),
  });
}

export function parseCommit(text: string): Result<Commit, FileError> {
  return catching(() => {
    const f = new FieldReader('commit', parseDocument('commit', text));
    f.kind('commit');
    const commit: Commit = {
      responseHash: f.bytes('responseHash', HASH_LEN),
      srcPlainLock: f.bytes('srcPlainLock', LOCK_LEN),
      destHashedLock: f.bytes('destHashedLock', HASH_LEN),
      destPayment: f.amount('destPayment'),
      totalDestPayment: f.amount('totalDestPayment'),
      invoiceId: f.bytes('invoiceId', INVOICE_ID_LEN),
      currency: f.currency('currency'),
      signature: f.bytes('signature', SIGNATURE_LEN),
    };
    f.end();
    if (commit.destPayment > commit.totalDestPayment) {
      fail('bad-value', 'commit', 'destPayment', 'is larger than totalDestPayment');
    }
    return commit;
  });
}
