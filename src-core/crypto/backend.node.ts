/** node:crypto backend. Each primitive is probed once against a known answer and falls back to
 *  noble when missing or wrong (Electron's BoringSSL lacks some, e.g. SHA-512/256 or ChaCha20). */
import * as nodeCrypto from 'node:crypto';
import {
  AEAD_KEY_LEN, AEAD_NONCE_LEN, AEAD_TAG_LEN, type CryptoBackend, PUBLIC_KEY_LEN, SEED_LEN, SIGNATURE_LEN,
  X25519_KEY_LEN, assertLength,
} from './backend.ts';
import { nobleBackend } from './noble.ts';

// DER prefixes for raw 32-byte keys (RFC 8410)
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** Bounded memo: key import dominates signing cost (reference/performance.md, "Key import is the trap"). */
class KeyCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: Uint8Array, make: () => V): V {
    const id = Buffer.from(key.buffer, key.byteOffset, key.length).toString('latin1');
    let v = this.map.get(id);
    if (v === undefined) {
      v = make();
      if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
      this.map.set(id, v);
    }
    return v;
  }
}

const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

interface SigningKey { readonly privateKey: nodeCrypto.KeyObject; readonly publicKey: Uint8Array }
const signingKeys = new KeyCache<SigningKey>(256);
const verifyKeys = new KeyCache<nodeCrypto.KeyObject | null>(4096);
// An ephemeral DH secret is used twice (public key, then shared secret); a long-lived one many times
interface DhKey { readonly privateKey: nodeCrypto.KeyObject; publicKey: Uint8Array | undefined }
const x25519PrivateKeys = new KeyCache<DhKey>(256);
const x25519PublicKeys = new KeyCache<nodeCrypto.KeyObject>(1024);

/** Encodings of the eight small-order Edwards points, canonical and not (y >= p, or x = 0 with the
 *  sign bit set). OpenSSL accepts signatures under such keys (e.g. the identity with R = identity,
 *  S = 0 verifies any message); noble's strict mode does not, and neither does this backend, so both
 *  agree (docs/crypto.md). The list is checked against noble's isSmallOrder in backend.test.ts. */
export const SMALL_ORDER_ED25519_KEYS: readonly string[] = Object.freeze([
  '0100000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000080',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
]);
const smallOrderKeys = new Set(SMALL_ORDER_ED25519_KEYS);

function signingKey(seed: Uint8Array): SigningKey {
  assertLength(seed, SEED_LEN, 'ed25519 seed');
  return signingKeys.get(seed, () => {
    const privateKey = nodeCrypto.createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8',
    });
    const spki = nodeCrypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    return { privateKey, publicKey: new Uint8Array(spki.subarray(spki.length - 32)) };
  });
}

function verifyKey(publicKey: Uint8Array): nodeCrypto.KeyObject | null {
  return verifyKeys.get(publicKey, () => {
    if (smallOrderKeys.has(Buffer.from(publicKey).toString('hex'))) return null;
    try {
      return nodeCrypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(publicKey) }, format: 'jwk' });
    } catch {
      return null; // not a point: every signature under it is invalid
    }
  });
}

/** Imports a raw X25519 secret. PKCS8 DER costs ~400 µs; JWK ~40 µs, but JWK wants the public `x`
 *  as well, which is what we do not have yet. Node 20 validates `x` only as a string and derives
 *  the key from `d`; a Node that checks `x` refuses a placeholder. So a placeholder is used when a
 *  probe at load shows it gives the very key PKCS8 gives, PKCS8 otherwise (reference/performance.md
 *  "Key import is the trap"). Auto-collect seals import one fresh ephemeral secret per transaction. */
const X25519_PLACEHOLDER_X = b64u(new Uint8Array(32));
const importX25519Pkcs8 = (secret: Uint8Array): nodeCrypto.KeyObject =>
  nodeCrypto.createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' });
const importX25519Jwk = (secret: Uint8Array): nodeCrypto.KeyObject =>
  nodeCrypto.createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: b64u(secret), x: X25519_PLACEHOLDER_X }, format: 'jwk' });
const rawPublic = (k: nodeCrypto.KeyObject): Uint8Array => {
  const spki = nodeCrypto.createPublicKey(k).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spki.length - 32));
};

/** true when the JWK import with a placeholder `x` yields the same key as PKCS8, for two secrets. */
function jwkPlaceholderImportAgrees(): boolean {
  try {
    return [new Uint8Array(32).fill(7), Uint8Array.from({ length: 32 }, (_, i) => i * 11 + 3)].every((secret) => {
      const viaJwk = importX25519Jwk(secret);
      return Buffer.compare(rawPublic(viaJwk), rawPublic(importX25519Pkcs8(secret))) === 0
        && viaJwk.export({ format: 'der', type: 'pkcs8' }).equals(Buffer.concat([X25519_PKCS8_PREFIX, secret]));
    });
  } catch {
    return false;
  }
}
/** How this runtime imports raw X25519 secrets ('jwk' is the fast one). */
export const x25519SecretImport: 'jwk' | 'pkcs8' = jwkPlaceholderImportAgrees() ? 'jwk' : 'pkcs8';
const importX25519 = x25519SecretImport === 'jwk' ? importX25519Jwk : importX25519Pkcs8;

/** The KeyObject is cached: a long-lived secret (the identity's, for opening sealed locks) is used
 *  many times, an ephemeral one twice (public key, then shared secret). */
function dhKey(privateKey: Uint8Array): DhKey {
  return x25519PrivateKeys.get(privateKey, () => ({ privateKey: importX25519(privateKey), publicKey: undefined }));
}

function dhPeerKey(publicKey: Uint8Array): nodeCrypto.KeyObject {
  return x25519PublicKeys.get(publicKey, () =>
    nodeCrypto.createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64u(publicKey) }, format: 'jwk' }));
}

const hashFn: (data: Uint8Array) => Uint8Array =
  typeof (nodeCrypto as { hash?: unknown }).hash === 'function'
    ? (data) => u8((nodeCrypto as unknown as { hash(a: string, d: Uint8Array, e: 'buffer'): Buffer }).hash('sha512-256', data, 'buffer'))
    : (data) => u8(nodeCrypto.createHash('sha512-256').update(data).digest());

const nodeImpl: CryptoBackend = {
  name: 'node',
  ed25519PublicKey: (seed) => Uint8Array.from(signingKey(seed).publicKey), // a copy, never the cached one
  ed25519Sign(seed, message) {
    return u8(nodeCrypto.sign(null, message, signingKey(seed).privateKey));
  },
  ed25519Verify(publicKey, message, signature) {
    if (publicKey.length !== PUBLIC_KEY_LEN || signature.length !== SIGNATURE_LEN) return false;
    const key = verifyKey(publicKey);
    if (key === null) return false;
    try {
      return nodeCrypto.verify(null, message, key, signature);
    } catch {
      return false;
    }
  },
  x25519PublicKey(privateKey) {
    assertLength(privateKey, X25519_KEY_LEN, 'x25519 private key');
    const key = dhKey(privateKey);
    if (key.publicKey === undefined) key.publicKey = rawPublic(key.privateKey);
    return Uint8Array.from(key.publicKey); // a copy: callers may scribble on what they get
  },
  x25519(privateKey, publicKey) {
    assertLength(privateKey, X25519_KEY_LEN, 'x25519 private key');
    assertLength(publicKey, X25519_KEY_LEN, 'x25519 public key');
    let shared: Buffer;
    try {
      shared = nodeCrypto.diffieHellman({
        privateKey: dhKey(privateKey).privateKey,
        publicKey: dhPeerKey(publicKey),
      });
    } catch {
      throw new RangeError('x25519: low-order public key');
    }
    if (shared.every((b) => b === 0)) throw new RangeError('x25519: low-order public key');
    return u8(shared);
  },
  sha512_256: hashFn,
  hmacSha512_256: (key, data) => u8(nodeCrypto.createHmac('sha512-256', key).update(data).digest()),
  aeadSeal(key, nonce, plaintext, aad) {
    assertLength(key, AEAD_KEY_LEN, 'aead key');
    assertLength(nonce, AEAD_NONCE_LEN, 'aead nonce');
    const c = nodeCrypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: AEAD_TAG_LEN });
    if (aad !== undefined) c.setAAD(aad, { plaintextLength: plaintext.length });
    return u8(Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]));
  },
  aeadOpen(key, nonce, sealed, aad) {
    assertLength(key, AEAD_KEY_LEN, 'aead key');
    assertLength(nonce, AEAD_NONCE_LEN, 'aead nonce');
    if (sealed.length < AEAD_TAG_LEN) return undefined;
    const body = sealed.subarray(0, sealed.length - AEAD_TAG_LEN);
    const d = nodeCrypto.createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: AEAD_TAG_LEN });
    d.setAuthTag(sealed.subarray(sealed.length - AEAD_TAG_LEN));
    if (aad !== undefined) d.setAAD(aad, { plaintextLength: body.length });
    try {
      return u8(Buffer.concat([d.update(body), d.final()]));
    } catch {
      return undefined;
    }
  },
  randomBytes: (n) => u8(nodeCrypto.randomBytes(n)),
};

/** Known answers: the probe only trusts a node primitive that reproduces noble's output. */
function probe<K extends keyof CryptoBackend>(name: K, check: (impl: CryptoBackend) => boolean): CryptoBackend[K] {
  try {
    if (check(nodeImpl)) return nodeImpl[name];
  } catch {
    // primitive missing in this runtime's OpenSSL/BoringSSL
  }
  return nobleBackend[name];
}

const eq = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;
const seed = new Uint8Array(32).fill(7);
const msg = new TextEncoder().encode('offset probe');

/** Which primitives came from node:crypto; the rest are noble. */
export const nodeBackendCoverage: Readonly<Record<string, 'node' | 'noble'>> = {};

function pick<K extends keyof CryptoBackend>(name: K, check: (impl: CryptoBackend) => boolean): CryptoBackend[K] {
  const f = probe(name, check);
  (nodeBackendCoverage as Record<string, 'node' | 'noble'>)[name] = f === nodeImpl[name] ? 'node' : 'noble';
  return f;
}

export const nodeBackend: CryptoBackend = Object.freeze({
  name: 'node',
  ed25519PublicKey: pick('ed25519PublicKey', (i) => eq(i.ed25519PublicKey(seed), nobleBackend.ed25519PublicKey(seed))),
  ed25519Sign: pick('ed25519Sign', (i) => eq(i.ed25519Sign(seed, msg), nobleBackend.ed25519Sign(seed, msg))),
  ed25519Verify: pick('ed25519Verify', (i) =>
    i.ed25519Verify(nobleBackend.ed25519PublicKey(seed), msg, nobleBackend.ed25519Sign(seed, msg))),
  x25519PublicKey: pick('x25519PublicKey', (i) => eq(i.x25519PublicKey(seed), nobleBackend.x25519PublicKey(seed))),
  x25519: pick('x25519', (i) => {
    const other = nobleBackend.x25519PublicKey(new Uint8Array(32).fill(9));
    return eq(i.x25519(seed, other), nobleBackend.x25519(seed, other));
  }),
  sha512_256: pick('sha512_256', (i) => eq(i.sha512_256(msg), nobleBackend.sha512_256(msg))),
  hmacSha512_256: pick('hmacSha512_256', (i) => eq(i.hmacSha512_256(seed, msg), nobleBackend.hmacSha512_256(seed, msg))),
  aeadSeal: pick('aeadSeal', (i) =>
    eq(i.aeadSeal(seed, seed.subarray(0, 12), msg, seed), nobleBackend.aeadSeal(seed, seed.subarray(0, 12), msg, seed))),
  aeadOpen: pick('aeadOpen', (i) => {
    const sealed = nobleBackend.aeadSeal(seed, seed.subarray(0, 12), msg);
    const opened = i.aeadOpen(seed, seed.subarray(0, 12), sealed);
    return opened !== undefined && eq(opened, msg);
  }),
  randomBytes: nodeImpl.randomBytes,
});
