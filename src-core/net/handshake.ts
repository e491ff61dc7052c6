/** Secure channel handshake messages, the signed transcript and key derivation (docs/net.md).
 *
 *  Both sides send at once, so neither needs a role:
 *    1. ExchangeRandNonce { publicKey, randNonce }                               (64 bytes)
 *    2. ExchangeDh { dhPublicKey, peerRandNonce, salt, signature }              (160 bytes)
 *       signature = Ed25519(DOMAIN_DH ‖ ownPk ‖ peerPk ‖ ownNonce ‖ peerNonce ‖ ownDh ‖ ownSalt)
 *  Keys (reference/funder.md §0.1, HKDF-SHA-512/256 with each side's salt; our `info` binds
 *  the whole transcript, so two sides that saw different messages get different keys):
 *    session = H(DOMAIN_SESSION ‖ half_lo ‖ half_hi),  half = pk ‖ nonce ‖ dh ‖ salt, ordered
 *    sendKey = HKDF(salt = ownSalt,  ikm = X25519(ownDh, peerDh), info = DOMAIN_KEY ‖ session)
 *    recvKey = HKDF(salt = peerSalt, ikm = same, info = same)
 *  The first encrypted frame each way confirms the keys before secureChannel() resolves. */
import { fixedBytes, struct } from '../codec/index.ts';
import { type CryptoBackend, compareBytes, hkdfSha512_256 } from '../crypto/index.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const DOMAIN_DH = utf8('offset/secure-channel/v1/exchange-dh');
export const DOMAIN_SESSION = utf8('offset/secure-channel/v1/session');
export const DOMAIN_KEY = utf8('offset/secure-channel/v1/key');
export const DOMAIN_REKEY = utf8('offset/secure-channel/v1/rekey');

export const RAND_NONCE_LEN = 32;
export const SALT_LEN = 32;

export const exchangeRandNonce = struct({ publicKey: fixedBytes(32), randNonce: fixedBytes(RAND_NONCE_LEN) });
export const exchangeDh = struct({
  dhPublicKey: fixedBytes(32),
  peerRandNonce: fixedBytes(RAND_NONCE_LEN),
  salt: fixedBytes(SALT_LEN),
  signature: fixedBytes(64),
});
export type ExchangeRandNonce = ReturnType<typeof exchangeRandNonce.decode>;
export type ExchangeDh = ReturnType<typeof exchangeDh.decode>;

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

export interface Half {
  readonly publicKey: Uint8Array;
  readonly randNonce: Uint8Array;
  readonly dhPublicKey: Uint8Array;
  readonly salt: Uint8Array;
}

/** The bytes a side signs in its ExchangeDh. */
export function dhSignedBuffer(own: Half, peer: { publicKey: Uint8Array; randNonce: Uint8Array }): Uint8Array {
  return concat(DOMAIN_DH, own.publicKey, peer.publicKey, own.randNonce, peer.randNonce, own.dhPublicKey, own.salt);
}

export function sessionHash(crypto: CryptoBackend, a: Half, b: Half): Uint8Array {
  const ha = concat(a.publicKey, a.randNonce, a.dhPublicKey, a.salt);
  const hb = concat(b.publicKey, b.randNonce, b.dhPublicKey, b.salt);
  const [lo, hi] = compareBytes(ha, hb) <= 0 ? [ha, hb] : [hb, ha];
  return crypto.sha512_256(concat(DOMAIN_SESSION, lo, hi));
}

export interface DirectionKeys { readonly sendKey: Uint8Array; readonly recvKey: Uint8Array }

export function deriveKeys(
  crypto: CryptoBackend, shared: Uint8Array, ownSalt: Uint8Array, peerSalt: Uint8Array, info: Uint8Array,
): DirectionKeys {
  return {
    sendKey: hkdfSha512_256(crypto, shared, ownSalt, info, 32),
    recvKey: hkdfSha512_256(crypto, shared, peerSalt, info, 32),
  };
}
