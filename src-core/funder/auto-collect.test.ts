import { describe, expect, it } from 'vitest';
import { nodeBackend as crypto } from '../crypto/backend.node.ts';
import { seededRandom } from '../crypto/index.ts';
import { sealLock, sealedLockOpener } from './auto-collect.ts';

describe('sealLock', () => {
  it('seals to each of many destinations (past its key cache) a lock only that destination opens', () => {
    const random = seededRandom(77);
    const destinations = Array.from({ length: 260 }, (_, i) => Uint8Array.from({ length: 32 }, (_, j) => (i * 13 + j * 7) & 0xff));
    const openers = destinations.map((seed) => ({ publicKey: crypto.ed25519PublicKey(seed), open: sealedLockOpener(crypto, seed) }));
    // twice round: the second time every destination key comes from the cache or after its eviction
    for (const round of [0, 1]) {
      for (const [i, d] of openers.entries()) {
        const lock = random(32);
        const sealed = sealLock(crypto, d.publicKey, lock, random);
        expect(sealed).toBeDefined();
        expect(d.open(sealed!)).toEqual(lock);
        const other = openers[(i + 1 + round) % openers.length]!;
        expect(other.open(sealed!)).toBeUndefined();
      }
    }
  });

  it('refuses a destination key that is not a point, every time', () => {
    const notAPoint = new Uint8Array(32).fill(0xff).fill(0x02, 0, 1);
    for (let i = 0; i < 2; i++) expect(sealLock(crypto, notAPoint, new Uint8Array(32), seededRandom(i))).toBeUndefined();
  });
});
