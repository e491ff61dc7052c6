import { describe, expect, it } from 'vitest';
import { nobleBackend } from '../crypto/index.ts';
import { nodeBackend } from '../crypto/backend.node.ts';
import {
  type Commit, type Invoice, type Receipt, checkCommitForInvoice, checkReceiptForInvoice, fundResponsePrefix,
  hashLock, responseHash, responseSignatureBuffer, verifyCommit, verifyReceipt,
} from './index.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const fill = (n: number, b: number): Uint8Array => new Uint8Array(n).fill(b);

// reference/funder.md §2.5
const V = {
  sellerSeed: fill(32, 1),
  sellerPk: hex('8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c'),
  requestId: fill(16, 3),
  randNonce: fill(16, 5),
  srcPlain: fill(32, 1),
  srcHashed: hex('0b45089921c8786db081ba42aa6748a3f713d61fa13af4cab4530d0cd8887762'),
  destPlain: fill(32, 2),
  destHashed: hex('4709e74096df2b177cd47b58cc6b4f022c5b539299b0554d245f7891cbbed66c'),
  responseHash: hex('47b2d2a9a04e90204c4000bf96be16c0e544efbb2039de292570adae07dda9b2'),
  buffer: hex(`2481e5faa9184124b665360ba256abb4fb052c1a2f56ba69f87ec4bef4fde223
    47b2d2a9a04e90204c4000bf96be16c0e544efbb2039de292570adae07dda9b2
    0b45089921c8786db081ba42aa6748a3f713d61fa13af4cab4530d0cd8887762
    4709e74096df2b177cd47b58cc6b4f022c5b539299b0554d245f7891cbbed66c
    01 0000000000000000000000000000000a 0000000000000000000000000000000a
    0000000000000000000000000000000000000000000000000000000000000000 4f4646534554`),
  signature: hex(`86671ff37f285ea5f631cbb987a4553917c0aee356fec9c6d4c2ac93d61e9190
    dbd0dd5ee0faba7404ac87ae292d612fbdeb6101af199793aa1d4015b5892b0a`),
};

const commit: Commit = {
  responseHash: V.responseHash, srcPlainLock: V.srcPlain, destHashedLock: V.destHashed,
  destPayment: 10n, totalDestPayment: 10n, invoiceId: fill(32, 0), currency: 'OFFSET', signature: V.signature,
};
const receipt: Receipt = {
  responseHash: V.responseHash, invoiceId: fill(32, 0), currency: 'OFFSET', srcPlainLock: V.srcPlain,
  destPlainLock: V.destPlain, isComplete: true, destPayment: 10n, totalDestPayment: 10n, signature: V.signature,
};
const invoice: Invoice = { invoiceId: fill(32, 0), currency: 'OFFSET', destPublicKey: V.sellerPk, totalDestPayment: 10n };

describe.each([nodeBackend, nobleBackend])('signed buffers ($name backend)', (crypto) => {
  it('hashes FUND_RESPONSE (no S) to the reference prefix', () => {
    expect(Buffer.from(fundResponsePrefix(crypto)).toString('hex'))
      .toBe('2481e5faa9184124b665360ba256abb4fb052c1a2f56ba69f87ec4bef4fde223');
  });

  it('reproduces the §2.5 hash locks, response hash, buffer and signature byte for byte', () => {
    expect(hashLock(crypto, V.srcPlain)).toEqual(V.srcHashed);
    expect(hashLock(crypto, V.destPlain)).toEqual(V.destHashed);
    expect(responseHash(crypto, V.requestId, V.randNonce)).toEqual(V.responseHash);
    const buffer = responseSignatureBuffer(crypto, {
      responseHash: V.responseHash, srcHashedLock: V.srcHashed, destHashedLock: V.destHashed, isComplete: true,
      destPayment: 10n, totalDestPayment: 10n, invoiceId: fill(32, 0), currency: 'OFFSET',
    });
    expect(buffer.length).toBe(199);
    expect(buffer).toEqual(V.buffer);
    expect(crypto.ed25519PublicKey(V.sellerSeed)).toEqual(V.sellerPk);
    expect(crypto.ed25519Sign(V.sellerSeed, buffer)).toEqual(V.signature);
  });

  it('accepts the §2.5 commit and receipt under the seller key', () => {
    expect(verifyCommit(crypto, commit, V.sellerPk)).toBe(true);
    expect(verifyReceipt(crypto, receipt, V.sellerPk)).toBe(true);
    expect(checkCommitForInvoice(crypto, invoice, commit)).toBeUndefined();
    expect(checkReceiptForInvoice(crypto, invoice, receipt)).toBeUndefined();
  });

  it.each([
    ['another seller key', { key: crypto.ed25519PublicKey(fill(32, 9)) }],
    ['a changed amount', { receipt: { destPayment: 9n } }],
    ['dest above total', { receipt: { destPayment: 11n } }],
    ['another currency', { receipt: { currency: 'OFFSEU' } }],
    ['a wrong dest plain lock', { receipt: { destPlainLock: fill(32, 3) } }],
    ['a wrong src plain lock', { receipt: { srcPlainLock: fill(32, 4) } }],
    ['is_complete flipped', { receipt: { isComplete: false } }],
    ['a short signature', { receipt: { signature: V.signature.subarray(0, 63) } }],
    ['a short invoice id', { receipt: { invoiceId: fill(31, 0) } }],
  ])('rejects a receipt with %s', (_name, change: { key?: Uint8Array; receipt?: Partial<Receipt> }) => {
    expect(verifyReceipt(crypto, { ...receipt, ...change.receipt }, change.key ?? V.sellerPk)).toBe(false);
  });

  it('rejects a commit whose src plain lock does not hash to the signed lock', () => {
    expect(verifyCommit(crypto, { ...commit, srcPlainLock: fill(32, 7) }, V.sellerPk)).toBe(false);
    expect(verifyCommit(crypto, { ...commit, destPayment: 11n }, V.sellerPk)).toBe(false);
  });

  it('names what is wrong when a receipt or commit is for another invoice', () => {
    expect(checkReceiptForInvoice(crypto, { ...invoice, invoiceId: fill(32, 1) }, receipt)).toBe('invoice-id-mismatch');
    expect(checkReceiptForInvoice(crypto, { ...invoice, currency: 'USD' }, receipt)).toBe('currency-mismatch');
    expect(checkReceiptForInvoice(crypto, { ...invoice, totalDestPayment: 11n }, receipt)).toBe('amount-mismatch');
    expect(checkReceiptForInvoice(crypto, invoice, { ...receipt, isComplete: false })).toBe('not-complete');
    expect(checkReceiptForInvoice(crypto, invoice, { ...receipt, destPayment: 9n })).toBe('bad-signature');
    expect(checkCommitForInvoice(crypto, { ...invoice, currency: 'USD' }, commit)).toBe('currency-mismatch');
    expect(checkCommitForInvoice(crypto, { ...invoice, destPublicKey: crypto.ed25519PublicKey(fill(32, 9)) }, commit))
      .toBe('bad-signature');
  });
});
