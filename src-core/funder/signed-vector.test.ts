/** The seller's Response, the buyer's Commit and Receipt, produced by the funder itself, are the
 *  original's bytes: reference/funder.md §2.5 vector end to end. */
import { describe, expect, it } from 'vitest';
import { identityFromSeed, nobleBackend } from '../crypto/index.ts';
import { verifyCommit, verifyReceipt } from '../proto/index.ts';
import { sealedLockOpener } from './auto-collect.ts';
import { toHex } from './hex.ts';
import { initialFunderState } from './state.ts';
import { type TestNode, TestNet } from './testkit.ts';

const crypto = nobleBackend;
const fill = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);

/** Randomness scripted by size: which bytes a 32- or 16-byte draw returns. */
function node(seedByte: number, on32: number, on16: number): TestNode {
  const seed = fill(32, seedByte);
  const signer = identityFromSeed(crypto, seed);
  return {
    seed, signer, key: toHex(signer.publicKey), state: initialFunderState(signer.publicKey),
    random: (n) => fill(n, n === 32 ? on32 : n === 16 ? on16 : 0x77), unseal: sealedLockOpener(crypto, seed), results: [], channeler: [],
  };
}

describe('§2.5 vector through the funder', () => {
  it('the seller signs 8667…, the commit and the receipt verify with the seller key 8a88…', () => {
    const net = new TestNet(crypto);
    const seller = net.add(node(0x01, 0x02, 0x05)); // dest_plain_lock 02 x32, rand_nonce 05 x16
    const buyer = net.add(node(0x09, 0x01, 0x0b)); // src_plain_lock 01 x32
    expect(seller.key).toBe('8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c');
    net.befriend(buyer, seller, ['OFFSET'], 100n);
    net.request(seller, { kind: 'add-invoice', invoiceId: fill(32, 0), currency: 'OFFSET', totalDestPayment: 10n });
    net.request(buyer, { kind: 'create-payment', paymentId: fill(16, 1), invoiceId: fill(32, 0), currency: 'OFFSET', totalDestPayment: 10n, destPublicKey: seller.signer.publicKey });
    net.request(buyer, { kind: 'create-transaction', paymentId: fill(16, 1), requestId: fill(16, 3), route: [buyer.signer.publicKey, seller.signer.publicKey], destPayment: 10n, fees: 0n });
    net.deliverAll();
    const r = buyer.results.find((x) => x.kind === 'transaction-result');
    if (r?.kind !== 'transaction-result' || r.result.kind !== 'complete') throw new Error('no commit');
    const commit = r.result.commit;
    expect(toHex(commit.responseHash)).toBe('47b2d2a9a04e90204c4000bf96be16c0e544efbb2039de292570adae07dda9b2');
    expect(toHex(commit.destHashedLock)).toBe('4709e74096df2b177cd47b58cc6b4f022c5b539299b0554d245f7891cbbed66c');
    expect(toHex(commit.signature)).toBe(
      '86671ff37f285ea5f631cbb987a4553917c0aee356fec9c6d4c2ac93d61e9190dbd0dd5ee0faba7404ac87ae292d612fbdeb6101af199793aa1d4015b5892b0a');
    expect(verifyCommit(crypto, commit, seller.signer.publicKey)).toBe(true);
    net.request(buyer, { kind: 'request-close-payment', paymentId: fill(16, 1) });
    net.request(seller, { kind: 'commit-invoice', commit });
    net.deliverAll();
    const s = buyer.results.find((x) => x.kind === 'payment-status');
    if (s?.kind !== 'payment-status' || s.status.kind !== 'success') throw new Error('no receipt');
    const receipt = s.status.receipt;
    expect([toHex(receipt.srcPlainLock), toHex(receipt.destPlainLock)]).toEqual([toHex(fill(32, 1)), toHex(fill(32, 2))]);
    expect(toHex(receipt.signature)).toBe(toHex(commit.signature));
    expect(verifyReceipt(crypto, receipt, seller.signer.publicKey)).toBe(true);
  });
});
