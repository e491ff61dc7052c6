/** `.ident`: a node's, app's, relay's or index server's Ed25519 identity. The private key is the
 *  32-byte seed (Offset's PrivateKey); the public key is stored too and checked on read, so a
 *  damaged file is caught before it signs anything. Written with mode 0600 (fs.node.ts). */
import { type Result, fromBase64Url } from '../codec/index.ts';
import { type CryptoBackend, PUBLIC_KEY_LEN, SEED_LEN, bytesEqual } from '../crypto/index.ts';
import { parseDocument } from './document.ts';
import { FieldReader } from './fields.ts';
import { type FileError, catching, fail } from './file-error.ts';
import { b64, jsonText } from './json-text.ts';

export interface Ident {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export function identFromSeed(backend: CryptoBackend, seed: Uint8Array): Ident {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_LEN) throw new RangeError(`identity seed: expected ${SEED_LEN} bytes`);
  const privateKey = Uint8Array.from(seed);
  return { privateKey, publicKey: backend.ed25519PublicKey(privateKey) };
}

export function formatIdent(ident: Ident): string {
  return jsonText({
    kind: 'ident',
    privateKey: b64(ident.privateKey, SEED_LEN, 'privateKey'),
    publicKey: b64(ident.publicKey, PUBLIC_KEY_LEN, 'publicKey'),
  });
}

// The original 0.1.11 stores ring's 85-byte PKCS#8 v2 document (base64url, 114 characters):
// prefix ‖ seed (32) ‖ middle ‖ public key (32), RFC 8410 / RFC 5958.
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x53, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const PKCS8_MIDDLE = Uint8Array.from([0xa1, 0x23, 0x03, 0x21, 0x00]);
const PKCS8_LEN = PKCS8_PREFIX.length + SEED_LEN + PKCS8_MIDDLE.length + PUBLIC_KEY_LEN;
const PKCS8_CHARS = Math.ceil((PKCS8_LEN * 4) / 3);

/** The seed and embedded public key of the original's PKCS#8 identity, or undefined. */
function fromPkcs8(text: string): { seed: Uint8Array; publicKey: Uint8Array } | undefined {
  const b = text.length === PKCS8_CHARS ? fromBase64Url(text) : undefined;
  if (b === undefined || b.length !== PKCS8_LEN) return undefined;
  if (!bytesEqual(b.subarray(0, 16), PKCS8_PREFIX) || !bytesEqual(b.subarray(48, 53), PKCS8_MIDDLE)) return undefined;
  return { seed: b.slice(16, 48), publicKey: b.slice(53, 85) };
}

/** Accepts our JSON and the original's `private_key = "…"` (a 32-byte seed, or the 85-byte
 *  PKCS#8 document 0.1.11 writes); a public key, when present, must belong to the private key. */
export function parseIdent(text: string, backend: CryptoBackend): Result<Ident, FileError> {
  return catching(() => {
    const f = new FieldReader('ident', parseDocument('ident', text));
    f.kind('ident');
    const raw = f.raw('privateKey');
    const pkcs8 = typeof raw === 'string' ? fromPkcs8(raw) : undefined;
    const privateKey = pkcs8?.seed ?? f.bytes('privateKey', SEED_LEN);
    const stated = f.optionalBytes('publicKey', PUBLIC_KEY_LEN);
    f.end();
    const publicKey = backend.ed25519PublicKey(privateKey);
    for (const [field, pk] of [['publicKey', stated], ['privateKey', pkcs8?.publicKey]] as const) {
      if (pk !== undefined && !bytesEqual(pk, publicKey)) {
        fail('key-mismatch', 'ident', field, 'does not belong to the private key (the file is damaged)');
      }
    }
    return { privateKey, publicKey };
  });
}
