/** scrypt for the key vault: node:crypto's native one, and @noble/hashes' for runtimes without it.
 *  Both give the same bytes (kdf.node.test.ts checks RFC 7914's vector on each). */
import * as nodeCrypto from 'node:crypto';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import type { Kdf, ScryptParams } from './key-vault.ts';

const limits = (p: ScryptParams): { N: number; r: number; p: number; maxmem: number } => {
  const N = 2 ** p.logN;
  return { N, r: p.r, p: p.p, maxmem: 256 * N * p.r * p.p }; // twice what scrypt needs
};

const passwordBytes = (password: string): Uint8Array => new TextEncoder().encode(password.normalize('NFC'));

export const nodeScryptKdf: Kdf = (password, params) => {
  const { N, r, p, maxmem } = limits(params);
  return new Promise((resolve, reject) => {
    nodeCrypto.scrypt(passwordBytes(password), params.salt, 32, { N, r, p, maxmem }, (e, key) => (e ? reject(e) : resolve(new Uint8Array(key))));
  });
};

export const nobleScryptKdf: Kdf = (password, params) => {
  const { N, r, p, maxmem } = limits(params);
  return scryptAsync(passwordBytes(password), params.salt, { N, r, p, dkLen: 32, maxmem });
};

export const scryptKdf: Kdf = typeof nodeCrypto.scrypt === 'function' ? nodeScryptKdf : nobleScryptKdf;
