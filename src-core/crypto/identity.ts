/** An Ed25519 identity: the 32-byte seed Offset calls a PrivateKey, and the signer made from it. */
import { type CryptoBackend, SEED_LEN, assertLength } from './backend.ts';

export interface Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export function identityFromSeed(backend: CryptoBackend, seed: Uint8Array): Signer {
  assertLength(seed, SEED_LEN, 'identity seed');
  const kept = Uint8Array.from(seed);
  const publicKey = backend.ed25519PublicKey(kept);
  return Object.freeze({ publicKey, sign: (message: Uint8Array) => backend.ed25519Sign(kept, message) });
}

/** Offset's key order (reference/funder.md §0.1 compare_public_key): by H(pk), unsigned lexicographic. */
export function comparePublicKeys(backend: CryptoBackend, a: Uint8Array, b: Uint8Array): number {
  return compareBytes(backend.sha512_256(a), backend.sha512_256(b));
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
