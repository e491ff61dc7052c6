/** One node's memory of Ed25519 signatures already known valid: a node that forwards a response
 *  checks its signature when it arrives (receiveResponse) and again when it passes it on
 *  (sendResponse), and the destination checks the response it has just signed itself. The checks
 *  stay exactly as they are (reference/funder.md §3.3, §3.4); the second one is answered from
 *  here. Only valid triples (public key, message, signature) are remembered (the message by key
 *  and signature, compared byte for byte), so the answers are those of the backend. One memo per
 *  node (docs/funder.md "Verify memo"), bounded, oldest out first. */
import type { CryptoBackend } from '../crypto/index.ts';

const latin1 = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
};

/** `crypto` whose ed25519Verify remembers the last `max` valid signatures (and those made
 *  through its ed25519Sign). */
export function withVerifyMemo(crypto: CryptoBackend, max = 2048): CryptoBackend {
  /** by public key and signature: the message they were found valid for */
  const valid = new Map<string, Uint8Array>();
  const ownKeys = new Map<string, Uint8Array>();
  const key = (publicKey: Uint8Array, signature: Uint8Array): string => `${latin1(publicKey)}${latin1(signature)}`;
  const remember = (k: string, message: Uint8Array): void => {
    valid.delete(k);
    if (valid.size >= max) valid.delete(valid.keys().next().value as string);
    valid.set(k, message.slice());
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
      const k = key(publicKey, signature);
      const seen = valid.get(k);
      if (seen !== undefined && sameBytes(seen, message)) return true;
      const ok = crypto.ed25519Verify(publicKey, message, signature);
      if (ok) remember(k, message);
      return ok;
    },
    ed25519Sign(seed, message) {
      const signature = crypto.ed25519Sign(seed, message);
      remember(key(publicKeyOf(seed), signature), message);
      return signature;
    },
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
