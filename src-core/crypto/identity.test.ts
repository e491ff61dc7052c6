/** Identities and Offset's key order, against the values in reference/funder.md (§0.1, §4.3). */
import { describe, expect, it } from 'vitest';
import { nodeBackend } from './backend.node.ts';
import { type CryptoBackend, bytesEqual, compareBytes, comparePublicKeys, identityFromSeed, nobleBackend } from './index.ts';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const seed1 = new Uint8Array(32).fill(1);
const seed2 = new Uint8Array(32).fill(2);

describe.each([['node', nodeBackend], ['noble', nobleBackend]] as [string, CryptoBackend][])('identity (%s)', (_name, backend) => {
  it('derives the reference public keys and hashes for seeds 01x32 and 02x32', () => {
    const pk1 = identityFromSeed(backend, seed1).publicKey;
    const pk2 = identityFromSeed(backend, seed2).publicKey;
    expect(toHex(pk1)).toBe('8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c');
    expect(toHex(pk2)).toBe('8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394');
    expect(toHex(backend.sha512_256(pk1)).slice(0, 8)).toBe('1291a82d');
    expect(toHex(backend.sha512_256(pk2)).slice(0, 8)).toBe('479919cf');
  });

  it('orders public keys by their hashes, not their bytes: pk1 < pk2 though pk1 > pk2 bytewise', () => {
    const pk1 = backend.ed25519PublicKey(seed1);
    const pk2 = backend.ed25519PublicKey(seed2);
    expect(compareBytes(pk1, pk2)).toBe(1);
    expect(comparePublicKeys(backend, pk1, pk2)).toBe(-1);
    expect(comparePublicKeys(backend, pk2, pk1)).toBe(1);
    expect(comparePublicKeys(backend, pk1, Uint8Array.from(pk1))).toBe(0);
  });

  it('signs with the seed it was given, even if the caller later overwrites that seed', () => {
    const seed = new Uint8Array(32).fill(3);
    const signer = identityFromSeed(backend, seed);
    const expected = backend.ed25519Sign(new Uint8Array(32).fill(3), Uint8Array.of(1));
    seed.fill(0);
    const sig = signer.sign(Uint8Array.of(1));
    expect(sig).toEqual(expected);
    expect(backend.ed25519Verify(signer.publicKey, Uint8Array.of(1), sig)).toBe(true);
    expect(Object.isFrozen(signer)).toBe(true);
  });

  it('throws RangeError for a seed that is not 32 bytes', () => {
    expect(() => identityFromSeed(backend, new Uint8Array(31))).toThrow(RangeError);
  });
});

describe('compareBytes and bytesEqual', () => {
  it.each([
    [[], [], 0], [[1], [1], 0], [[1], [2], -1], [[2], [1], 1], [[1], [1, 0], -1], [[1, 0], [1], 1],
    [[0xff], [0x00, 0xff], 1], [[0x7f], [0x80], -1],
  ])('compares %j with %j as %i (unsigned, lexicographic)', (a, b, expected) => {
    expect(compareBytes(Uint8Array.from(a), Uint8Array.from(b))).toBe(expected);
    expect(bytesEqual(Uint8Array.from(a), Uint8Array.from(b))).toBe(expected === 0);
  });
});
