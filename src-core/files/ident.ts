/** `.ident`: a node's, app's, relay's or index server's Ed25519 identity. The private key is the
 *  32-byte seed (Offset's PrivateKey); the public key is stored too and checked on read, so a
 *  damaged file is caught before it signs anything. Written with mode 0600 (fs.node.ts). */
import type { Result } from '../codec/index.ts';
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

/** Accepts our JSON and the original's `private_key = "…"`; a public key, when present, must
 *  belong to the private key. */
export function parseIdent(text: string, backend: CryptoBackend): Result<Ident, FileError> {
  return catching(() => {
    const f = new FieldReader('ident', parseDocument('ident', text));
    f.kind('ident');
    const privateKey = f.bytes('privateKey', SEED_LEN);
    const stated = f.optionalBytes('publicKey', PUBLIC_KEY_LEN);
    f.end();
    const publicKey = backend.ed25519PublicKey(privateKey);
    if (stated !== undefined && !bytesEqual(stated, publicKey)) {
      fail('key-mismatch', 'ident', 'publicKey', 'does not belong to the private key (the file is damaged)');
    }
    return { privateKey, publicKey };
  });
}
