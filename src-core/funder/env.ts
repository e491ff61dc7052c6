/** Builds the funder's Env from a node's identity: the signer and the sealed-lock opener keep the
 *  seed in closures; the funder state never sees it. */
import { type CryptoBackend, identityFromSeed } from '../crypto/index.ts';
import { sealedLockOpener } from './auto-collect.ts';
import type { Env } from './events.ts';

export interface FunderIdentity {
  readonly signer: Env['signer'];
  readonly unseal: Env['unseal'];
}

export function funderIdentity(crypto: CryptoBackend, identitySeed: Uint8Array): FunderIdentity {
  return { signer: identityFromSeed(crypto, identitySeed), unseal: sealedLockOpener(crypto, identitySeed) };
}

/** One event's environment: `now` in milliseconds, `random` from the OS (or seeded in tests). */
export function funderEnv(crypto: CryptoBackend, id: FunderIdentity, now: number, random: (n: number) => Uint8Array = (n) => crypto.randomBytes(n)): Env {
  return { now, random, signer: id.signer, crypto, unseal: id.unseal };
}
