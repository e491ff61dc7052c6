/** Signed artifacts that leave the network — Response, Commit, Receipt — byte for byte as the
 *  original (reference/funder.md §2.2–§2.5), so a receipt made here verifies there and back. */
import type { CryptoBackend } from '../crypto/index.ts';
import { CanonicalWriter } from './canonical.ts';

export const UID_LEN = 16;
export const RAND_VALUE_LEN = 16;
export const INVOICE_ID_LEN = 32;
export const LOCK_LEN = 32;
export const MAX_CURRENCY_BYTES = 16;

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** H("FUND_RESPONSE"): 13 ASCII bytes, no S (§0.5). */
export function fundResponsePrefix(crypto: CryptoBackend): Uint8Array {
  return crypto.sha512_256(ascii('FUND_RESPONSE'));
}

/** HashedLock = H(PlainLock) (§0.1). */
export function hashLock(crypto: CryptoBackend, plainLock: Uint8Array): Uint8Array {
  return crypto.sha512_256(plainLock);
}

/** response_hash = H(request_id ‖ rand_nonce) (§2.1). */
export function responseHash(crypto: CryptoBackend, requestId: Uint8Array, randNonce: Uint8Array): Uint8Array {
  const b = new Uint8Array(requestId.length + randNonce.length);
  b.set(requestId, 0);
  b.set(randNonce, requestId.length);
  return crypto.sha512_256(b);
}

export interface ResponseSignatureFields {
  readonly responseHash: Uint8Array;
  readonly srcHashedLock: Uint8Array;
  readonly destHashedLock: Uint8Array;
  readonly isComplete: boolean;
  readonly destPayment: bigint;
  readonly totalDestPayment: bigint;
  readonly invoiceId: Uint8Array;
  readonly currency: string;
}

/** The §2.2 buffer: 193 bytes + the currency's raw UTF-8 (safe unprefixed: it is the last field). */
export function responseSignatureBuffer(crypto: CryptoBackend, f: ResponseSignatureFields): Uint8Array {
  return new CanonicalWriter('raw')
    .bytes(fundResponsePrefix(crypto))
    .bytes(f.responseHash)
    .bytes(f.srcHashedLock)
    .bytes(f.destHashedLock)
    .bool(f.isComplete)
    .u128(f.destPayment)
    .u128(f.totalDestPayment)
    .bytes(f.invoiceId)
    .str(f.currency)
    .finish();
}

/** What the buyer hands the seller once a complete Response arrived (§2.1, §2.3). */
export interface Commit {
  readonly responseHash: Uint8Array;
  readonly srcPlainLock: Uint8Array;
  readonly destHashedLock: Uint8Array;
  readonly destPayment: bigint;
  readonly totalDestPayment: bigint;
  readonly invoiceId: Uint8Array;
  readonly currency: string;
  readonly signature: Uint8Array;
}

/** The buyer's proof of payment (§2.1, §2.4). */
export interface Receipt {
  readonly responseHash: Uint8Array;
  readonly invoiceId: Uint8Array;
  readonly currency: string;
  readonly srcPlainLock: Uint8Array;
  readonly destPlainLock: Uint8Array;
  readonly isComplete: boolean;
  readonly destPayment: bigint;
  readonly totalDestPayment: bigint;
  readonly signature: Uint8Array;
}

/** What a seller asks to be paid. `totalDestPayment` is the invoice amount. */
export interface Invoice {
  readonly invoiceId: Uint8Array;
  readonly currency: string;
  readonly destPublicKey: Uint8Array;
  readonly totalDestPayment: bigint;
  readonly description?: string;
  /** Seconds since the Unix epoch after which the seller cancels it (docs/files.md "Invoice expiry");
   *  not signed by anything: the buyer's check is a courtesy, the seller's cancel is what counts. */
  readonly expiresAt?: number;
}

function sizesOk(fields: Record<string, Uint8Array>, sizes: Record<string, number>): boolean {
  return Object.entries(sizes).every(([k, n]) => fields[k]?.length === n);
}

/** verify_commit (§2.3): is_complete is always true in the buffer; dest ≤ total. */
export function verifyCommit(crypto: CryptoBackend, commit: Commit, sellerPublicKey: Uint8Array): boolean {
  if (commit.destPayment > commit.totalDestPayment) return false;
  if (!sizesOk(commit as unknown as Record<string, Uint8Array>,
    { responseHash: 32, srcPlainLock: LOCK_LEN, destHashedLock: 32, invoiceId: INVOICE_ID_LEN, signature: 64 })) return false;
  const buffer = responseSignatureBuffer(crypto, {
    responseHash: commit.responseHash,
    srcHashedLock: hashLock(crypto, commit.srcPlainLock),
    destHashedLock: commit.destHashedLock,
    isComplete: true,
    destPayment: commit.destPayment,
    totalDestPayment: commit.totalDestPayment,
    invoiceId: commit.invoiceId,
    currency: commit.currency,
  });
  return crypto.ed25519Verify(sellerPublicKey, buffer, commit.signature);
}

/** verify_receipt (§2.4) as the original, plus dest ≤ total. Whether a partial (is_complete =
 *  false) receipt proves payment of an invoice is the caller's check (see verifyReceiptForInvoice). */
export function verifyReceipt(crypto: CryptoBackend, receipt: Receipt, sellerPublicKey: Uint8Array): boolean {
  if (receipt.destPayment > receipt.totalDestPayment) return false;
  if (!sizesOk(receipt as unknown as Record<string, Uint8Array>,
    { responseHash: 32, invoiceId: INVOICE_ID_LEN, srcPlainLock: LOCK_LEN, destPlainLock: LOCK_LEN, signature: 64 })) return false;
  const buffer = responseSignatureBuffer(crypto, {
    responseHash: receipt.responseHash,
    srcHashedLock: hashLock(crypto, receipt.srcPlainLock),
    destHashedLock: hashLock(crypto, receipt.destPlainLock),
    isComplete: receipt.isComplete,
    destPayment: receipt.destPayment,
    totalDestPayment: receipt.totalDestPayment,
    invoiceId: receipt.invoiceId,
    currency: receipt.currency,
  });
  return crypto.ed25519Verify(sellerPublicKey, buffer, receipt.signature);
}

export type ReceiptProblem =
  | 'invoice-id-mismatch' | 'currency-mismatch' | 'amount-mismatch' | 'not-complete' | 'bad-signature';

/** Does this receipt prove the invoice was paid in full? (stregister/stverify verify-receipt).
 *  Stricter than the original's stverify (§6.5, §7.5 #2): currency and is_complete are checked. */
export function checkReceiptForInvoice(crypto: CryptoBackend, invoice: Invoice, receipt: Receipt): ReceiptProblem | undefined {
  if (!bytesEq(invoice.invoiceId, receipt.invoiceId)) return 'invoice-id-mismatch';
  if (invoice.currency !== receipt.currency) return 'currency-mismatch';
  if (invoice.totalDestPayment !== receipt.totalDestPayment) return 'amount-mismatch';
  if (!receipt.isComplete) return 'not-complete';
  if (!verifyReceipt(crypto, receipt, invoice.destPublicKey)) return 'bad-signature';
  return undefined;
}

export type CommitProblem = 'invoice-id-mismatch' | 'currency-mismatch' | 'amount-mismatch' | 'bad-signature';

/** Does this commit pay this invoice? (the seller's check before collecting, §6.5). */
export function checkCommitForInvoice(crypto: CryptoBackend, invoice: Invoice, commit: Commit): CommitProblem | undefined {
  if (!bytesEq(invoice.invoiceId, commit.invoiceId)) return 'invoice-id-mismatch';
  if (invoice.currency !== commit.currency) return 'currency-mismatch';
  if (invoice.totalDestPayment !== commit.totalDestPayment) return 'amount-mismatch';
  if (!verifyCommit(crypto, commit, invoice.destPublicKey)) return 'bad-signature';
  return undefined;
}

function bytesEq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
