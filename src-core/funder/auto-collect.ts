/** Payments the destination collects by itself (ARCHITECTURE §4 "Payments without an invoice").
 *  The buyer seals its src_plain_lock to the destination's identity: X25519 between a fresh
 *  ephemeral key and the destination's Ed25519 key mapped to X25519, HKDF-SHA-512/256 over the
 *  shared secret, ChaCha20-Poly1305 (zero nonce: each key is used once). Only the destination can
 *  open it; a mediator that could would still lack dest_plain_lock, which only the destination knows.
 *  Sealed form: ephemeral public key (32) ‖ ciphertext (32) ‖ tag (16). */
import { ed25519 } from '@noble/curves/ed25519.js';
import { type CryptoBackend, hkdfSha512_256 } from '../crypto/index.ts';
import { LOCK_BYTES, SEALED_LOCK_BYTES } from '../proto/index.ts';

const INFO = new TextEncoder().encode('offset-desktop auto-collect lock v1');
const NONCE = new Uint8Array(12);

function key(crypto: CryptoBackend, shared: Uint8Array, ephemeralPublic: Uint8Array, destX: Uint8Array): Uint8Array {
  const salt = new Uint8Array(64);
  salt.set(ephemeralPublic, 0);
  salt.set(destX, 32);
  return hkdfSha512_256(crypto, shared, salt, INFO, 32);
}

/** Ed25519 → X25519 of destination keys: the point decompression costs ~110 µs and a buyer pays
 *  the same few destinations again and again. Bounded; the oldest entry goes first. */
const montgomeryCache = new Map<string, Uint8Array>();
const MONTGOMERY_CACHE_MAX = 256;

/** Throws as toMontgomery does for a key that is not a point; the caller must not modify the result. */
function toMontgomeryCached(destPublicKey: Uint8Array): Uint8Array {
  const id = Array.from(destPublicKey, (b) => b.toString(16).padStart(2, '0')).join('');
  let x = montgomeryCache.get(id);
  if (x === undefined) {
    x = ed25519.utils.toMontgomery(destPublicKey);
    if (montgomeryCache.size >= MONTGOMERY_CACHE_MAX) montgomeryCache.delete(montgomeryCache.keys().next().value as string);
    montgomeryCache.set(id, x);
  }
  return x;
}

/** undefined when the destination key is not a valid Ed25519 point. */
export function sealLock(
  crypto: CryptoBackend, destPublicKey: Uint8Array, plainLock: Uint8Array, random: (n: number) => Uint8Array,
): Uint8Array | undefined {
  let destX: Uint8Array;
  let shared: Uint8Array;
  const ephemeral = random(32);
  try {
    destX = toMontgomeryCached(destPublicKey);
    shared = crypto.x25519(ephemeral, destX);
  } catch {
    return undefined;
  }
  const ephemeralPublic = crypto.x25519PublicKey(ephemeral);
  const sealed = crypto.aeadSeal(key(crypto, shared, ephemeralPublic, destX), NONCE, plainLock);
  const out = new Uint8Array(SEALED_LOCK_BYTES);
  out.set(ephemeralPublic, 0);
  out.set(sealed, 32);
  return out;
}

/** The opener the node puts into Env.unseal; the identity seed never enters the funder state. */
export function sealedLockOpener(crypto: CryptoBackend, identitySeed: Uint8Array): (sealed: Uint8Array) => Uint8Array | undefined {
  const secretX = ed25519.utils.toMontgomerySecret(identitySeed);
  const destX = ed25519.utils.toMontgomery(crypto.ed25519PublicKey(identitySeed));
  return (sealed) => {
    if (sealed.length !== SEALED_LOCK_BYTES) return undefined;
    const ephemeralPublic = sealed.subarray(0, 32);
    let shared: Uint8Array;
    try {
      shared = crypto.x25519(secretX, ephemeralPublic);
    } catch {
      return undefined;
    }
    const lock = crypto.aeadOpen(key(crypto, shared, ephemeralPublic, destX), NONCE, sealed.subarray(32));
    return lock?.length === LOCK_BYTES ? lock : undefined;
  };
}
