/** Pure-JS backend on @noble/*: browser-safe, and the fallback for any primitive node:crypto lacks. */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha512, sha512_256 } from '@noble/hashes/sha2.js';
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

const Point = ed25519.Point;
const L = Point.Fn.ORDER;

function littleEndian(bytes: Uint8Array): bigint {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i] as number);
  return x;
}

/** RFC 8032 §5.1.7 with the rule node:crypto (OpenSSL) applies, so both backends give the same
 *  answer on every input (docs/crypto.md): strict decoding of A and R (y < p, no "-0"), S < L,
 *  small-order A rejected, and the cofactorless equation [S]B = R + [k]A, as OpenSSL and the
 *  original's ed25519-dalek 1.0 `verify` check it. noble's own `verify` is cofactored, which accepts
 *  signatures under keys with a torsion component that OpenSSL rejects. */
function verifyCofactorless(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const r = signature.subarray(0, 32);
  const A = Point.fromBytes(publicKey, false);
  if (A.isSmallOrder()) return false;
  const R = Point.fromBytes(r, false);
  const s = littleEndian(signature.subarray(32, 64));
  if (s >= L) return false;
  const hashed = new Uint8Array(64 + message.length);
  hashed.set(r, 0);
  hashed.set(publicKey, 32);
  hashed.set(message, 64);
  const k = littleEndian(sha512(hashed)) % L;
  return Point.BASE.multiplyUnsafe(s).equals(R.add(A.multiplyUnsafe(k)));
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
      return verifyCofactorless(publicKey, message, signature);
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
