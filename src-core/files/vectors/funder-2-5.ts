/** reference/funder.md §2.5: a genuinely signed Commit and Receipt (seller seed 01×32), used by the
 *  file, QR and stregister/stverify tests. Pure data; the signature is the reference's. */
import type { Commit, Invoice, Receipt } from '../../proto/index.ts';

const hex = (h: string): Uint8Array => Uint8Array.from(h.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const fill = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);

export const SELLER_SEED = fill(32, 1);
export const SELLER_PUBLIC_KEY = hex('8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c');
export const RESPONSE_HASH = hex('47b2d2a9a04e90204c4000bf96be16c0e544efbb2039de292570adae07dda9b2');
export const DEST_HASHED_LOCK = hex('4709e74096df2b177cd47b58cc6b4f022c5b539299b0554d245f7891cbbed66c');
export const SIGNATURE = hex(`86671ff37f285ea5f631cbb987a4553917c0aee356fec9c6d4c2ac93d61e9190
  dbd0dd5ee0faba7404ac87ae292d612fbdeb6101af199793aa1d4015b5892b0a`);

export const INVOICE: Invoice = {
  invoiceId: fill(32, 0),
  currency: 'OFFSET',
  destPublicKey: SELLER_PUBLIC_KEY,
  totalDestPayment: 10n,
};

export const COMMIT: Commit = {
  responseHash: RESPONSE_HASH,
  srcPlainLock: fill(32, 1),
  destHashedLock: DEST_HASHED_LOCK,
  destPayment: 10n,
  totalDestPayment: 10n,
  invoiceId: fill(32, 0),
  currency: 'OFFSET',
  signature: SIGNATURE,
};

export const RECEIPT: Receipt = {
  responseHash: RESPONSE_HASH,
  invoiceId: fill(32, 0),
  currency: 'OFFSET',
  srcPlainLock: fill(32, 1),
  destPlainLock: fill(32, 2),
  isComplete: true,
  destPayment: 10n,
  totalDestPayment: 10n,
  signature: SIGNATURE,
};
