import { describe, expect, it } from 'vitest';
import { nobleScryptKdf, nodeScryptKdf } from './kdf.node.ts';

// RFC 7914 §12: scrypt("password", "NaCl", N=1024, r=8, p=16), first 32 bytes of the 64-byte output
const RFC_7914 = 'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162';
const params = { kind: 'scrypt', logN: 10, r: 8, p: 16, salt: new TextEncoder().encode('NaCl') } as const;

describe('scrypt KDF', () => {
  it.each([['node:crypto', nodeScryptKdf], ['@noble/hashes', nobleScryptKdf]])('%s matches RFC 7914', async (_name, kdf) => {
    expect(Buffer.from(await kdf('password', params)).toString('hex')).toBe(RFC_7914);
  });

  it('treats composed and decomposed spellings of a password alike', async () => {
    const small = { ...params, logN: 4, p: 1 };
    expect(await nodeScryptKdf('caf\u00e9', small)).toEqual(await nodeScryptKdf('cafe\u0301', small));
  });
});
