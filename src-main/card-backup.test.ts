import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../src-core/codec/index.ts';
import { seededRandom } from '../src-core/crypto/index.ts';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { type CardBackup, openCardBackup, sealCardBackup } from './card-backup.ts';
import { nodeScryptKdf } from './kdf.node.ts';
import type { KeyVaultDeps } from './key-vault.ts';

const deps = (seed = 1): KeyVaultDeps => ({ crypto: nodeBackend, kdf: nodeScryptKdf, random: seededRandom(seed), cost: { logN: 4, r: 8, p: 1 } });

function sample(): CardBackup {
  const seed = seededRandom(7)(32);
  return { publicKey: nodeBackend.ed25519PublicKey(seed), seed, name: 'Savings ☂', database: Uint8Array.from({ length: 5000 }, (_, i) => i % 251) };
}

async function sealed(password = 'backup password'): Promise<string> {
  const r = await sealCardBackup(deps(), password, sample());
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('card backup files', () => {
  it('open with the password they were sealed under, giving back the card', async () => {
    const opened = await openCardBackup(deps(2), await sealed(), 'backup password');
    expect(opened).toEqual({ ok: true, value: sample() });
  });

  it('refuse a wrong password', async () => {
    expect(await openCardBackup(deps(2), await sealed(), 'backup passwore')).toMatchObject({ ok: false, error: { kind: 'wrong-password' } });
  });

  it('do not carry the seed or the database in the clear', async () => {
    const text = await sealed();
    expect(text).not.toContain(toBase64Url(sample().seed));
    expect(text).not.toContain(toBase64Url(sample().database.subarray(0, 30)));
  });

  it.each([
    ['a sealed byte', (j: Record<string, unknown>) => { const b = fromBase64Url(j.sealed as string) as Uint8Array; b[10] = (b[10] as number) ^ 1; j.sealed = toBase64Url(b); }],
    ['the nonce', (j: Record<string, unknown>) => { const b = fromBase64Url(j.nonce as string) as Uint8Array; b[0] = (b[0] as number) ^ 1; j.nonce = toBase64Url(b); }],
    ['the scrypt cost', (j: Record<string, unknown>) => { (j.kdf as Record<string, unknown>).logN = 5; }],
    ['the salt', (j: Record<string, unknown>) => { (j.kdf as Record<string, unknown>).salt = toBase64Url(new Uint8Array(16)); }],
  ])('refuse a file whose %s was changed', async (_label, change) => {
    const json = JSON.parse(await sealed()) as Record<string, unknown>;
    change(json);
    expect(await openCardBackup(deps(2), JSON.stringify(json), 'backup password')).toMatchObject({ ok: false, error: { kind: 'wrong-password' } });
  });

  it.each([
    ['text that is not JSON', () => 'hello'],
    ['another format', (t: string) => t.replace('offset-card-backup', 'offset-card-backuq')],
    ['a missing field', (t: string) => JSON.stringify({ ...(JSON.parse(t) as object), nonce: undefined })],
    ['an extra field', (t: string) => JSON.stringify({ ...(JSON.parse(t) as object), extra: 1 })],
    ['a huge scrypt cost', (t: string) => t.replace(/"logN":4/, '"logN":30')],
    ['a truncated file', (t: string) => t.slice(0, t.length / 2)],
  ])('call %s not a backup', async (_label, change) => {
    expect(await openCardBackup(deps(2), change(await sealed()), 'backup password')).toMatchObject({ ok: false, error: { kind: 'not-a-backup' } });
  });

  it('refuse a sealed seed that does not match the stated public key', async () => {
    const bad = { ...sample(), publicKey: new Uint8Array(32).fill(9) };
    const r = await sealCardBackup(deps(), 'backup password', bad);
    if (!r.ok) throw new Error(r.error.message);
    expect(await openCardBackup(deps(2), r.value, 'backup password')).toMatchObject({ ok: false, error: { kind: 'not-a-backup' } });
  });
});
