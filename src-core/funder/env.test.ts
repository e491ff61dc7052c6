import { describe, expect, it } from 'vitest';
import { nobleBackend } from '../crypto/index.ts';
import { sealLock } from './auto-collect.ts';
import { funderEnv, funderIdentity } from './env.ts';

describe('funderEnv', () => {
  it('signs as the identity and opens locks sealed to it, and only those', () => {
    const seed = new Uint8Array(32).fill(4);
    const id = funderIdentity(nobleBackend, seed);
    const env = funderEnv(nobleBackend, id, 123);
    expect(env.now).toBe(123);
    expect(env.random(8)).toHaveLength(8);
    const lock = new Uint8Array(32).fill(9);
    const sealed = sealLock(nobleBackend, id.signer.publicKey, lock, (n) => new Uint8Array(n).fill(1))!;
    expect(env.unseal(sealed)).toEqual(lock);
    const other = funderIdentity(nobleBackend, new Uint8Array(32).fill(5));
    expect(other.unseal(sealed)).toBeUndefined();
    const tampered = Uint8Array.from(sealed);
    tampered[40] = (tampered[40] as number) ^ 1;
    expect(env.unseal(tampered)).toBeUndefined();
    expect(nobleBackend.ed25519Verify(id.signer.publicKey, lock, env.signer.sign(lock))).toBe(true);
  });
});
