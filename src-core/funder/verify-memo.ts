/** One node's memory of Ed25519 signatures already known valid: a node that forwards a response
 *  checks its signature when it arrives (receiveResponse) and again when it passes it on
 *  (sendResponse), and the destination checks the response it has just signed itself. The checks
 *  stay exactly as they are (reference/funder.md §3.3, §3.4); the second one is answered from
 *  here. Only valid triples (public key, message, signature) are remembered, so the answers are
 *  those of the backend. One memo per node (docs/funder.md "Bench"), bounded, oldest out first. */
import type { CryptoBackend } from '../crypto/index.ts';

const latin1 = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
};

/** `crypto` whose ed25519Verify remembers the last `max` valid signatures (and those made
 *  through its ed25519Sign). */
export function withVerifyMemo(crypto: CryptoBackend, max = 2048): CryptoBackend {
  const valid = new Set<string>();
  const ownKeys = new Map<string, Uint8Array>();
  const key = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): string =>
    `${latin1(publicKey)}${latin1(signature)}${latin1(message)}`;
  const remember = (k: string): void => {
    if (valid.size >= max) valid.delete(valid.values().next().value as string);
    valid.add(k);
  };
  const publicKeyOf = (seed: Uint8Array): Uint8Array => {
    const s = latin1(seed);
    let pk = ownKeys.get(s);
    if (pk === undefined) {
      pk = crypto.ed25519PublicKey(seed);
      if (ownKeys.size >= 16) ownKeys.clear();
      ownKeys.set(s, pk);
    }
    return pk;
  };
  return {
    ...crypto,
    ed25519Verify(publicKey, message, signature) {
      if (publicKey.length !== 32 || signature.length !== 64) return crypto.ed25519Verify(publicKey, message, signature);
      const k = key(publicKey, message, signature);
      if (valid.has(k)) return true;
      const ok = crypto.ed25519Verify(publicKey, message, signature);
      if (ok) remember(k);
      return ok;
    },
    ed25519Sign(seed, message) {
      const signature = crypto.ed25519Sign(seed, message);
      remember(key(publicKeyOf(seed), message, signature));
      return signature;
    },
  };
}
