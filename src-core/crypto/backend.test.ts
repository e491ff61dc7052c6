/** The two backends agree with each other on random and hostile inputs, and reject bad input the way
 *  backend.ts documents: RangeError/TypeError for wrong arguments, false/undefined for bad data. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SMALL_ORDER_ED25519_KEYS, nodeBackend, nodeBackendCoverage, x25519SecretImport } from './backend.node.ts';
import { type CryptoBackend, nobleBackend } from './index.ts';

const backends: readonly [string, CryptoBackend][] = [['node', nodeBackend], ['noble', nobleBackend]];
const pairs: readonly [string, CryptoBackend, CryptoBackend][] = [
  ['node → noble', nodeBackend, nobleBackend],
  ['noble → node', nobleBackend, nodeBackend],
];
const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const bytes = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n });
const message = fc.uint8Array({ maxLength: 300 });
const RUNS = { numRuns: 40 };

describe.each(pairs)('backends agree (%s)', (_name, a, b) => {
  it('verifies with one backend what the other signed, and derives the same public key', () => {
    fc.assert(fc.property(bytes(32), message, (seed, msg) => {
      const pk = a.ed25519PublicKey(seed);
      expect(b.ed25519PublicKey(seed)).toEqual(pk);
      const sig = a.ed25519Sign(seed, msg);
      expect(b.ed25519Sign(seed, msg)).toEqual(sig); // Ed25519 signing is deterministic
      expect(b.ed25519Verify(pk, msg, sig)).toBe(true);
    }), RUNS);
  });

  it('opens with one backend what the other sealed, with and without associated data', () => {
    fc.assert(fc.property(bytes(32), bytes(12), fc.uint8Array({ maxLength: 2000 }), fc.option(message, { nil: undefined }),
      (key, nonce, plaintext, aad) => {
        const sealed = a.aeadSeal(key, nonce, plaintext, aad);
        expect(sealed.length).toBe(plaintext.length + 16);
        expect(b.aeadSeal(key, nonce, plaintext, aad)).toEqual(sealed);
        expect(b.aeadOpen(key, nonce, sealed, aad)).toEqual(plaintext);
      }), RUNS);
  });

  it('computes the same X25519 public keys and shared secrets on both sides', () => {
    fc.assert(fc.property(bytes(32), bytes(32), (x, y) => {
      const xPub = a.x25519PublicKey(x);
      const yPub = b.x25519PublicKey(y);
      expect(b.x25519PublicKey(x)).toEqual(xPub);
      const shared = a.x25519(x, yPub);
      expect(b.x25519(y, xPub)).toEqual(shared);
      expect(b.x25519(x, yPub)).toEqual(shared);
    }), RUNS);
  });

  it('hashes and MACs random inputs identically', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1000 }), fc.uint8Array({ maxLength: 200 }), (data, key) => {
      expect(b.sha512_256(data)).toEqual(a.sha512_256(data));
      expect(b.hmacSha512_256(key, data)).toEqual(a.hmacSha512_256(key, data));
    }), { numRuns: 100 });
  });
});

/** An honest-looking signature under A' = aB + T, T of order 8: a cofactored check ([8]SB = [8](R + kA'))
 *  accepts it, the cofactorless one (SB = R + kA', OpenSSL and ed25519-dalek's `verify`) does not
 *  unless 8 | k. Built by hand, with noble's point arithmetic. */
function torsionSignature(torsion: string): { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array } {
  const { Point } = ed25519;
  const L = Point.Fn.ORDER;
  const le = (b: Uint8Array): bigint => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
  const toLe = (x: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * i)) & 0xffn));
  const a = 0x1234567890abcdef1234567890abcdefn;
  const r = 0xfedcba0987654321fedcba0987654321n;
  const A = Point.BASE.multiply(a).add(Point.fromBytes(hex(torsion)));
  const publicKey = A.toBytes();
  const R = Point.BASE.multiply(r).toBytes();
  for (let i = 0; ; i++) {
    const message = Uint8Array.of(i);
    const k = le(sha512(Uint8Array.from([...R, ...publicKey, ...message]))) % L;
    if (torsion !== '0100000000000000000000000000000000000000000000000000000000000000' && k % 8n === 0n) continue;
    const s = (r + k * a) % L;
    return { publicKey, message, signature: Uint8Array.from([...R, ...toLe(s)]) };
  }
}

describe.each(backends)('%s backend on hostile input', (_name, backend) => {
  const seed = new Uint8Array(32).fill(5);
  const msg = Uint8Array.of(1, 2, 3);
  const pk = backend.ed25519PublicKey(seed);
  const sig = backend.ed25519Sign(seed, msg);

  it.each([0, 1, 31, 33, 64])('throws RangeError for a %i-byte seed or X25519 key', (n) => {
    const wrong = new Uint8Array(n);
    expect(() => backend.ed25519PublicKey(wrong)).toThrow(RangeError);
    expect(() => backend.ed25519Sign(wrong, msg)).toThrow(RangeError);
    expect(() => backend.x25519PublicKey(wrong)).toThrow(RangeError);
    expect(() => backend.x25519(wrong, backend.x25519PublicKey(seed))).toThrow(RangeError);
    expect(() => backend.x25519(seed, wrong)).toThrow(RangeError);
  });

  it('throws TypeError for a seed that is not a Uint8Array', () => {
    const notBytes = Array.from(seed) as unknown as Uint8Array;
    expect(() => backend.ed25519PublicKey(notBytes)).toThrow(TypeError);
    expect(() => backend.ed25519Sign(notBytes, msg)).toThrow(TypeError);
    expect(() => backend.x25519PublicKey(notBytes)).toThrow(TypeError);
  });

  it.each([
    ['key', 31, 12], ['key', 33, 12], ['nonce', 32, 8], ['nonce', 32, 24],
  ])('throws RangeError for an AEAD %s of the wrong length (%i/%i)', (_what, keyLen, nonceLen) => {
    const key = new Uint8Array(keyLen);
    const nonce = new Uint8Array(nonceLen);
    expect(() => backend.aeadSeal(key, nonce, msg)).toThrow(RangeError);
    expect(() => backend.aeadOpen(key, nonce, new Uint8Array(32))).toThrow(RangeError);
  });

  it('returns false, never throws, for public keys and signatures of any length or content', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 70 }), fc.uint8Array({ maxLength: 70 }), (k, s) => {
      const valid = k.length === 32 && s.length === 64 && Buffer.compare(k, pk) === 0 && Buffer.compare(s, sig) === 0;
      expect(backend.ed25519Verify(k, msg, s)).toBe(valid);
    }), { numRuns: 300 });
    for (const k of [new Uint8Array(32).fill(0xff), new Uint8Array(32), new Uint8Array(0)]) {
      expect(backend.ed25519Verify(k, msg, sig)).toBe(false);
    }
    expect(backend.ed25519Verify(pk, msg, new Uint8Array(64).fill(0xff))).toBe(false);
  });

  it('rejects a signature whose S is not reduced (S + L)', () => {
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    let s = sig.subarray(32).reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n) + L;
    const bad = Uint8Array.from(sig);
    for (let i = 32; i < 64; i++) { bad[i] = Number(s & 0xffn); s >>= 8n; }
    expect(backend.ed25519Verify(pk, msg, bad)).toBe(false);
  });

  it.each(SMALL_ORDER_ED25519_KEYS)('rejects the trivial forgery under the small-order key %s', (key) => {
    // R = A, S = 0: [0]B = A + [k]A holds whenever (k + 1)A = 0, e.g. always for the identity
    const forged = new Uint8Array(64);
    forged.set(hex(key), 0);
    for (let i = 0; i < 16; i++) expect(backend.ed25519Verify(hex(key), Uint8Array.of(i), forged)).toBe(false);
  });

  it('accepts the hand-built signature under a clean key (the construction is right)', () => {
    const v = torsionSignature('0100000000000000000000000000000000000000000000000000000000000000');
    expect(backend.ed25519Verify(v.publicKey, v.message, v.signature)).toBe(true);
  });

  it.each([
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  ])('rejects a signature only a cofactored check accepts (key with torsion %s)', (torsion) => {
    const v = torsionSignature(torsion);
    expect(ed25519.verify(v.signature, v.message, v.publicKey)).toBe(true); // noble's cofactored verify
    expect(backend.ed25519Verify(v.publicKey, v.message, v.signature)).toBe(false);
  });

  it.each([
    ['zero', '0000000000000000000000000000000000000000000000000000000000000000'],
    ['one', '0100000000000000000000000000000000000000000000000000000000000000'],
    ['order 8 (RFC 7748 errata list)', 'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800'],
    ['order 8, other', '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157'],
    ['p - 1', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['p (non-canonical zero)', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['p + 1 (non-canonical one)', 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['zero with the masked top bit set', '0000000000000000000000000000000000000000000000000000000000000080'],
  ])('refuses X25519 with the low-order point %s (RangeError)', (_what, point) => {
    expect(() => backend.x25519(seed, hex(point))).toThrow(RangeError);
  });

  describe('aeadOpen', () => {
    const key = new Uint8Array(32).fill(9);
    const nonce = new Uint8Array(12).fill(1);
    const aad = Uint8Array.of(7, 7);
    const plaintext = new TextEncoder().encode('forty-two credits');
    const sealed = backend.aeadSeal(key, nonce, plaintext, aad);

    it('returns undefined for every single-bit change of ciphertext or tag', () => {
      for (let i = 0; i < sealed.length; i++) {
        const bad = Uint8Array.from(sealed);
        bad[i] = (bad[i] as number) ^ (1 << (i % 8));
        expect(backend.aeadOpen(key, nonce, bad, aad)).toBeUndefined();
      }
    });

    it('returns undefined for other associated data, none, another nonce or another key', () => {
      expect(backend.aeadOpen(key, nonce, sealed, Uint8Array.of(7, 8))).toBeUndefined();
      expect(backend.aeadOpen(key, nonce, sealed)).toBeUndefined();
      expect(backend.aeadOpen(key, new Uint8Array(12).fill(2), sealed, aad)).toBeUndefined();
      expect(backend.aeadOpen(new Uint8Array(32).fill(8), nonce, sealed, aad)).toBeUndefined();
    });

    it('returns undefined for input shorter than a tag, or truncated', () => {
      for (const n of [0, 1, 15, 16, sealed.length - 1]) {
        expect(backend.aeadOpen(key, nonce, sealed.subarray(0, n), aad)).toBeUndefined();
      }
      expect(backend.aeadOpen(key, nonce, sealed.subarray(1), aad)).toBeUndefined();
    });

    it('opens an empty plaintext (a bare tag)', () => {
      const tagOnly = backend.aeadSeal(key, nonce, new Uint8Array(0));
      expect(tagOnly.length).toBe(16);
      expect(backend.aeadOpen(key, nonce, tagOnly)).toEqual(new Uint8Array(0));
    });
  });

  it('returns public keys the caller may overwrite without affecting later calls', () => {
    const first = backend.ed25519PublicKey(seed);
    first.fill(0);
    expect(backend.ed25519PublicKey(seed)).toEqual(pk);
    const xFirst = backend.x25519PublicKey(seed);
    const copy = Uint8Array.from(xFirst);
    xFirst.fill(0);
    expect(backend.x25519PublicKey(seed)).toEqual(copy);
  });

  it('gives random bytes of the asked length that differ between calls', () => {
    expect(backend.randomBytes(0)).toEqual(new Uint8Array(0));
    expect(backend.randomBytes(70_000).length).toBe(70_000);
    expect(backend.randomBytes(32)).not.toEqual(backend.randomBytes(32));
  });
});

describe('small-order key list', () => {
  it('lists 14 distinct encodings, each decoding (leniently) to a small-order point', () => {
    for (const key of SMALL_ORDER_ED25519_KEYS) {
      expect(ed25519.Point.fromBytes(hex(key), true).isSmallOrder()).toBe(true);
    }
    expect(new Set(SMALL_ORDER_ED25519_KEYS).size).toBe(14);
  });
});

describe('node backend', () => {
  it('uses node:crypto for every primitive on this runtime', () => {
    const primitives = Object.keys(nobleBackend).filter((k) => k !== 'name' && k !== 'randomBytes').sort();
    expect(Object.keys(nodeBackendCoverage).sort()).toEqual(primitives);
    for (const p of primitives) expect([p, nodeBackendCoverage[p]]).toEqual([p, 'node']);
  });

  it('imports X25519 secrets the fast way (JWK) on this runtime, giving the keys noble gives', () => {
    expect(x25519SecretImport).toBe('jwk');
    const peer = nobleBackend.x25519PublicKey(new Uint8Array(32).fill(9));
    for (const secret of [new Uint8Array(32), new Uint8Array(32).fill(0xff), Uint8Array.from({ length: 32 }, (_, i) => 255 - i * 3)]) {
      expect(nodeBackend.x25519PublicKey(secret)).toEqual(nobleBackend.x25519PublicKey(secret));
      expect(nodeBackend.x25519(secret, peer)).toEqual(nobleBackend.x25519(secret, peer));
    }
  });

  it('keeps verifying correctly past the key caches\' bounds (eviction)', () => {
    const msg = Uint8Array.of(42);
    const seeds = Array.from({ length: 300 }, (_, i) => Uint8Array.from({ length: 32 }, (_, j) => (i * 7 + j) & 0xff));
    const signed = seeds.map((s) => ({ pk: nodeBackend.ed25519PublicKey(s), sig: nodeBackend.ed25519Sign(s, msg) }));
    for (const { pk, sig } of signed) expect(nodeBackend.ed25519Verify(pk, msg, sig)).toBe(true);
    const shared = seeds.map((s) => nodeBackend.x25519(s, nodeBackend.x25519PublicKey(seeds[0] as Uint8Array)));
    for (const [i, s] of seeds.entries()) expect(nobleBackend.x25519(s, nobleBackend.x25519PublicKey(seeds[0] as Uint8Array))).toEqual(shared[i]);
  });
});
