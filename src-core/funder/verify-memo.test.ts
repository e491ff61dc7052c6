import { describe, expect, it } from 'vitest';
import { type CryptoBackend, nobleBackend } from '../crypto/index.ts';
import { withVerifyMemo } from './verify-memo.ts';

/** The real backend, counting the verifications that reach it. */
function counting(): { crypto: CryptoBackend; verifies: () => number } {
  let n = 0;
  return {
    crypto: { ...nobleBackend, ed25519Verify: (k, m, s) => { n++; return nobleBackend.ed25519Verify(k, m, s); } },
    verifies: () => n,
  };
}

const seed = new Uint8Array(32).fill(3);
const other = new Uint8Array(32).fill(4);
const msg = (k: number): Uint8Array => new Uint8Array(40).fill(k);

describe('the verify memo', () => {
  it('answers a signature it has seen valid without verifying it again, with the same answer', () => {
    const { crypto, verifies } = counting();
    const memo = withVerifyMemo(crypto);
    const pk = nobleBackend.ed25519PublicKey(other);
    const sig = nobleBackend.ed25519Sign(other, msg(1));
    expect(memo.ed25519Verify(pk, msg(1), sig)).toBe(true);
    expect(memo.ed25519Verify(pk, msg(1), sig)).toBe(true);
    expect(verifies()).toBe(1);
  });

  it('never remembers an invalid signature, and a remembered one proves nothing for another message or key', () => {
    const { crypto, verifies } = counting();
    const memo = withVerifyMemo(crypto);
    const pk = nobleBackend.ed25519PublicKey(other);
    const sig = nobleBackend.ed25519Sign(other, msg(1));
    const bad = Uint8Array.from(sig, (b, i) => (i === 0 ? b ^ 1 : b));
    expect(memo.ed25519Verify(pk, msg(1), bad)).toBe(false);
    expect(memo.ed25519Verify(pk, msg(1), bad)).toBe(false);
    expect(verifies()).toBe(2);
    expect(memo.ed25519Verify(pk, msg(1), sig)).toBe(true);
    expect(memo.ed25519Verify(pk, msg(2), sig)).toBe(false);
    expect(memo.ed25519Verify(nobleBackend.ed25519PublicKey(seed), msg(1), sig)).toBe(false);
    expect(memo.ed25519Verify(pk, msg(1), sig.subarray(0, 63))).toBe(false);
  });

  it('knows its own signatures valid', () => {
    const { crypto, verifies } = counting();
    const memo = withVerifyMemo(crypto);
    const sig = memo.ed25519Sign(seed, msg(7));
    expect(sig).toEqual(nobleBackend.ed25519Sign(seed, msg(7)));
    expect(memo.ed25519Verify(nobleBackend.ed25519PublicKey(seed), msg(7), sig)).toBe(true);
    expect(verifies()).toBe(0);
  });

  it('forgets the oldest signature past its bound', () => {
    const { crypto, verifies } = counting();
    const memo = withVerifyMemo(crypto, 2);
    const pk = nobleBackend.ed25519PublicKey(other);
    const sigs = [1, 2, 3].map((k) => nobleBackend.ed25519Sign(other, msg(k)));
    sigs.forEach((s, i) => expect(memo.ed25519Verify(pk, msg(i + 1), s)).toBe(true));
    expect(verifies()).toBe(3);
    expect(memo.ed25519Verify(pk, msg(3), sigs[2]!)).toBe(true);
    expect(verifies()).toBe(3);
    expect(memo.ed25519Verify(pk, msg(1), sigs[0]!)).toBe(true);
    expect(verifies()).toBe(4);
  });
});
