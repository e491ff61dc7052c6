/** HKDF-SHA-512/256: RFC 5869's construction checked against `openssl kdf HKDF` (OpenSSL 3.0,
 *  digest SHA2-512/256), and the original's symmetric key derivation (dh.rs test_derive_symmetric_key). */
import { describe, expect, it } from 'vitest';
import { nodeBackend } from './backend.node.ts';
import { type CryptoBackend, hkdfSha512_256, nobleBackend } from './index.ts';

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const ikm = hex('0b'.repeat(22));

const OPENSSL = [
  {
    name: 'RFC 5869 case 1 inputs, 42 bytes', salt: hex('000102030405060708090a0b0c'), info: hex('f0f1f2f3f4f5f6f7f8f9'), length: 42,
    okm: '789a93e567a1861de449342b2d674c0df737fd8adce2a8e1843237c1938ac413044b496ce267a198ebe3',
  },
  {
    name: '32-byte salt, empty info, 32 bytes (the secure channel\'s shape)', salt: hex('11'.repeat(32)), info: new Uint8Array(0), length: 32,
    okm: '75f57cb6f21defd0abd08c9e5293b2da040b2802be749bbc29a9c9ad8a74c21f',
  },
  {
    name: 'four blocks, 100 bytes', salt: hex('22'.repeat(32)), info: hex('0102'), length: 100,
    okm: '0cd8d43fa90b31d4946f3bceaa840b995a0bd80f89b029743bdf15ca98e2892de92653e126dc7c778f710c603afff672ca74cbeeb2f81709bb53571162c5bcf24b314b02bb6b11a32266861491f624d336adaf80333954f0bebb31a2f95a6aebc3a2d9f8',
  },
  {
    name: 'no salt (HashLen zeros)', salt: new Uint8Array(0), info: new Uint8Array(0), length: 32,
    okm: 'fa6ff45b2fc4f0f49883d9c4c9f9edfb53cebb3f9faac571319c7bd17d371a0a',
  },
] as const;

describe.each([['node', nodeBackend], ['noble', nobleBackend]] as [string, CryptoBackend][])('hkdfSha512_256 (%s)', (_name, backend) => {
  it.each(OPENSSL)('matches openssl for $name', (v) => {
    expect(toHex(hkdfSha512_256(backend, ikm, v.salt, v.info, v.length))).toBe(v.okm);
  });

  it('gives a prefix of the longer output for a shorter length', () => {
    const long = hkdfSha512_256(backend, ikm, hex('33'.repeat(32)), new Uint8Array(0), 96);
    for (const n of [1, 31, 32, 33, 64]) {
      expect(hkdfSha512_256(backend, ikm, hex('33'.repeat(32)), new Uint8Array(0), n)).toEqual(long.subarray(0, n));
    }
  });

  it.each([0, -1, 1.5, 255 * 32 + 1, Number.NaN])('throws RangeError for output length %s', (length) => {
    expect(() => hkdfSha512_256(backend, ikm, new Uint8Array(32), new Uint8Array(0), length)).toThrow(RangeError);
  });

  it('derives matching send/receive keys on both ends of a DH exchange, distinct per direction', () => {
    const aPriv = new Uint8Array(32).fill(0xa1);
    const bPriv = new Uint8Array(32).fill(0xb2);
    const aSalt = new Uint8Array(32).fill(1); // salt A chose: keys for A → B
    const bSalt = new Uint8Array(32).fill(2);
    const aShared = backend.x25519(aPriv, backend.x25519PublicKey(bPriv));
    const bShared = backend.x25519(bPriv, backend.x25519PublicKey(aPriv));
    const none = new Uint8Array(0);
    const aSend = hkdfSha512_256(backend, aShared, aSalt, none, 32);
    const aRecv = hkdfSha512_256(backend, aShared, bSalt, none, 32);
    expect(hkdfSha512_256(backend, bShared, aSalt, none, 32)).toEqual(aSend);
    expect(hkdfSha512_256(backend, bShared, bSalt, none, 32)).toEqual(aRecv);
    expect(aSend).not.toEqual(aRecv);
  });
});
