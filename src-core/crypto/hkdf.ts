/** HKDF (RFC 5869) over HMAC-SHA-512/256, as the original derives the secure channel's keys
 *  (reference/funder.md §0.1: salt from each side, empty info, 32-byte output). */
import { type CryptoBackend, HASH_LEN } from './backend.ts';

export function hkdfSha512_256(
  backend: CryptoBackend, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number,
): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 1 || length > 255 * HASH_LEN) throw new RangeError(`hkdf: bad length ${length}`);
  const prk = backend.hmacSha512_256(salt.length > 0 ? salt : new Uint8Array(HASH_LEN), ikm);
  const out = new Uint8Array(length);
  let block: Uint8Array = new Uint8Array(0);
  for (let i = 0, off = 0; off < length; i++) {
    const input = new Uint8Array(block.length + info.length + 1);
    input.set(block, 0);
    input.set(info, block.length);
    input[input.length - 1] = i + 1;
    block = backend.hmacSha512_256(prk, input);
    out.set(block.subarray(0, Math.min(HASH_LEN, length - off)), off);
    off += HASH_LEN;
  }
  return out;
}
