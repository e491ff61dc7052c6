/** Keys at rest (issue 7 §2): card private keys sealed under the user's password.
 *
 *  Two levels, so a password change rewrites one small blob and never the cards:
 *    password --scrypt(salt, N, r, p)--> key-encryption key (KEK)
 *    KEK --ChaCha20-Poly1305--> wallet key (32 random bytes)
 *    wallet key --ChaCha20-Poly1305, AAD "offset-card-key:<cardId>"--> each card's Ed25519 seed
 *  A wrong password fails the AEAD check on the wallet key: a clear error, no lock-out, nothing
 *  changed. The AAD binds a sealed seed to its card, so blobs cannot be swapped between cards.
 *  Pure: the KDF, the AEAD backend and randomness are parameters. */
import type { CryptoBackend } from '../src-core/crypto/index.ts';

export interface ScryptParams {
  readonly kind: 'scrypt';
  /** log2 of the CPU/memory cost N. */
  readonly logN: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Uint8Array;
}

/** Derives the 32-byte key-encryption key. */
export type Kdf = (password: string, params: ScryptParams) => Promise<Uint8Array>;

export interface Sealed {
  readonly nonce: Uint8Array;
  readonly sealed: Uint8Array;
}

/** What the vault file stores about the password: how to derive the KEK and the sealed wallet key. */
export interface PasswordLock {
  readonly kdf: ScryptParams;
  readonly walletKey: Sealed;
}

/** N = 2^15, r = 8: 32 MiB and about 0.1 s per unlock on a desktop; the cost is stored with the
 *  vault, so it can be raised later without breaking existing files. */
export const DEFAULT_SCRYPT = { logN: 15, r: 8, p: 1 } as const;
export { MIN_PASSWORD_LENGTH } from './bridge.ts';

const WALLET_KEY_AAD = new TextEncoder().encode('offset-wallet-key:v1');
const cardAad = (cardId: string): Uint8Array => new TextEncoder().encode(`offset-card-key:v1:${cardId}`);

export interface KeyVaultDeps {
  readonly crypto: CryptoBackend;
  readonly kdf: Kdf;
  readonly random: (n: number) => Uint8Array;
  /** Scrypt cost for new locks (tests pass a small one). */
  readonly cost?: { readonly logN: number; readonly r: number; readonly p: number };
}

function seal(deps: KeyVaultDeps, key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Sealed {
  const nonce = deps.random(12);
  return { nonce, sealed: deps.crypto.aeadSeal(key, nonce, plaintext, aad) };
}

/** Makes a new password lock around a fresh wallet key; returns both. */
export async function createPasswordLock(deps: KeyVaultDeps, password: string): Promise<{ lock: PasswordLock; walletKey: Uint8Array }> {
  const walletKey = deps.random(32);
  return { lock: await lockWalletKey(deps, password, walletKey), walletKey };
}

/** Seals an existing wallet key under a (new) password, with a fresh salt. */
export async function lockWalletKey(deps: KeyVaultDeps, password: string, walletKey: Uint8Array): Promise<PasswordLock> {
  const kdf: ScryptParams = { kind: 'scrypt', ...(deps.cost ?? DEFAULT_SCRYPT), salt: deps.random(16) };
  const kek = await deps.kdf(password, kdf);
  return { kdf, walletKey: seal(deps, kek, walletKey, WALLET_KEY_AAD) };
}

/** The wallet key, or undefined when the password is wrong (or the lock was tampered with). */
export async function openPasswordLock(deps: KeyVaultDeps, lock: PasswordLock, password: string): Promise<Uint8Array | undefined> {
  const kek = await deps.kdf(password, lock.kdf);
  return deps.crypto.aeadOpen(kek, lock.walletKey.nonce, lock.walletKey.sealed, WALLET_KEY_AAD);
}

export function sealCardSeed(deps: KeyVaultDeps, walletKey: Uint8Array, cardId: string, seed: Uint8Array): Sealed {
  return seal(deps, walletKey, seed, cardAad(cardId));
}

export function openCardSeed(deps: KeyVaultDeps, walletKey: Uint8Array, cardId: string, sealed: Sealed): Uint8Array | undefined {
  return deps.crypto.aeadOpen(walletKey, sealed.nonce, sealed.sealed, cardAad(cardId));
}
