import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src-core/crypto/index.ts';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { nodeScryptKdf } from './kdf.node.ts';
import { createPasswordLock, lockWalletKey, openCardSeed, openPasswordLock, sealCardSeed, type KeyVaultDeps } from './key-vault.ts';

const deps = (seed = 1): KeyVaultDeps => ({ crypto: nodeBackend, kdf: nodeScryptKdf, random: seededRandom(seed), cost: { logN: 4, r: 8, p: 1 } });

describe('key vault', () => {
  it('opens the wallet key with the right password only', async () => {
    const d = deps();
    const { lock, walletKey } = await createPasswordLock(d, 'correct horse');
    expect(await openPasswordLock(d, lock, 'correct horse')).toEqual(walletKey);
    expect(await openPasswordLock(d, lock, 'correct hors')).toBeUndefined();
    expect(await openPasswordLock(d, lock, '')).toBeUndefined();
  });

  it('rejects a lock whose salt or sealed key was altered', async () => {
    const d = deps();
    const { lock } = await createPasswordLock(d, 'pw-pw-pw-pw');
    const salt = Uint8Array.from(lock.kdf.salt);
    salt[0] = (salt[0] as number) ^ 1;
    expect(await openPasswordLock(d, { ...lock, kdf: { ...lock.kdf, salt } }, 'pw-pw-pw-pw')).toBeUndefined();
    const sealed = Uint8Array.from(lock.walletKey.sealed);
    sealed[3] = (sealed[3] as number) ^ 0x80;
    expect(await openPasswordLock(d, { ...lock, walletKey: { ...lock.walletKey, sealed } }, 'pw-pw-pw-pw')).toBeUndefined();
  });

  it('changes the password without touching the wallet key', async () => {
    const d = deps();
    const { lock, walletKey } = await createPasswordLock(d, 'old password');
    const next = await lockWalletKey(d, 'new password', walletKey);
    expect(next.kdf.salt).not.toEqual(lock.kdf.salt);
    expect(await openPasswordLock(d, next, 'new password')).toEqual(walletKey);
    expect(await openPasswordLock(d, next, 'old password')).toBeUndefined();
  });

  it('binds a sealed card seed to its card', async () => {
    const d = deps();
    const { walletKey } = await createPasswordLock(d, 'password!');
    const seed = d.random(32);
    const sealed = sealCardSeed(d, walletKey, 'card-a', seed);
    expect(sealed.sealed).toHaveLength(32 + 16);
    expect(openCardSeed(d, walletKey, 'card-a', sealed)).toEqual(seed);
    expect(openCardSeed(d, walletKey, 'card-b', sealed)).toBeUndefined();
    expect(openCardSeed(d, d.random(32), 'card-a', sealed)).toBeUndefined();
  });
});
