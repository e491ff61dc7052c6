/** The crypto primitives Offset needs, as one interface with two implementations:
 *  `backend.node.ts` (node:crypto, ~10x faster, reference/performance.md) and
 *  `noble.ts` (@noble/*, pure JS, browser-safe). Both pass the same RFC vectors. */

export const SEED_LEN = 32;
export const PUBLIC_KEY_LEN = 32;
export const SIGNATURE_LEN = 64;
export const HASH_LEN = 32;
export const X25519_KEY_LEN = 32;
export const AEAD_KEY_LEN = 32;
export const AEAD_NONCE_LEN = 12;
export const AEAD_TAG_LEN = 16;

export interface CryptoBackend {
  readonly name: string;
  /** Ed25519 public key of a 32-byte seed (Offset's PrivateKey is the seed). */
  ed25519PublicKey(seed: Uint8Array): Uint8Array;
  ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  /** Returns false (never throws) for malformed keys or signatures. */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  x25519PublicKey(privateKey: Uint8Array): Uint8Array;
  /** Throws RangeError when the result is all zeros (a low-order peer key). */
  x25519(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** SHA-512/256 with the FIPS 180-4 initial values (not a truncated SHA-512). */
  sha512_256(data: Uint8Array): Uint8Array;
  hmacSha512_256(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** Returns ciphertext ‖ 16-byte tag. */
  aeadSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  /** Returns the plaintext, or undefined when authentication fails. */
  aeadOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | undefined;
  randomBytes(n: number): Uint8Array;
}

export function assertLength(value: Uint8Array, length: number, what: string): void {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what}: expected Uint8Array`);
  if (value.length !== length) throw new RangeError(`${what}: expected ${length} bytes, got ${value.length}`);
}
