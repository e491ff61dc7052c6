/** Pure-JS backend on @noble/*: browser-safe, and the fallback for any primitive node:crypto lacks. */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha512_256 } from '@noble/hashes/sha2.js';
import {
  AEAD_KEY_LEN, AEAD_NONCE_LEN, AEAD_TAG_LEN, type CryptoBackend, PUBLIC_KEY_LEN, SEED_LEN, SIGNATURE_LEN,
  X25519_KEY_LEN, assertLength,
} from './backend.ts';

function randomBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`randomBytes: bad length ${n}`);
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65536 bytes per call
  for (let i = 0; i < n; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

export const nobleBackend: CryptoBackend = Object.freeze({
  name: 'noble',
  ed25519PublicKey(seed: Uint8Array): Uint8Array {
    assertLength(seed, SEED_LEN, 'ed25519 seed');
    return ed25519.getPublicKey(seed);
  },
  ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
    assertLength(seed, SEED_LEN, 'ed25519 seed');
    return ed25519.sign(message, seed);
  },
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (publicKey.length !== PUBLIC_KEY_LEN || signature.length !== SIGNATURE_LEN) return false;
    try {
      // zip215 false: RFC 8032 strict decoding, the same rule OpenSSL applies, so both backends agree
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
  x25519PublicKey(privateKey: Uint8Array): Uint8Array {
    assertLength(privateKey, X25519_KEY_LEN, 'x25519 private key');
    return x25519.getPublicKey(privateKey);
  },
  x25519(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
    assertLength(privateKey, X25519_KEY_LEN, 'x25519 private key');
    assertLength(publicKey, X25519_KEY_LEN, 'x25519 public key');
    let shared: Uint8Array;
    try {
      shared = x25519.getSharedSecret(privateKey, publicKey);
    } catch {
      throw new RangeError('x25519: low-order public key');
    }
    if (isAllZero(shared)) throw new RangeError('x25519: low-order public key');
    return shared;
  },
  sha512_256(data: Uint8Array): Uint8Array {
    return sha512_256(data);
  },
  hmacSha512_256(key: Uint8Array, data: Uint8Array): Uint8Array {
    return hmac(sha512_256, key, data);
  },
  aeadSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
    assertLength(key, AEAD_KEY_LEN, 'aead key');
    assertLength(nonce, AEAD_NONCE_LEN, 'aead nonce');
    return chacha20poly1305(key, nonce, aad).encrypt(plaintext);
  },
  aeadOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | undefined {
    assertLength(key, AEAD_KEY_LEN, 'aead key');
    assertLength(nonce, AEAD_NONCE_LEN, 'aead nonce');
    if (sealed.length < AEAD_TAG_LEN) return undefined;
    try {
      return chacha20poly1305(key, nonce, aad).decrypt(sealed);
    } catch {
      return undefined;
    }
  },
  randomBytes,
});
