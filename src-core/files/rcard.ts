/** `.rcard` (`stmgr node-entry`): a remote card — everything an app (the wallet, a phone) needs to
 *  drive a remote stnode: the node's public key and address, and the app identity the node
 *  trusts (its app ticket must be in the node's trusted directory). It holds a private key, so it
 *  is written with mode 0600 like an ident file. */
import type { Result } from '../codec/index.ts';
import { type CryptoBackend, PUBLIC_KEY_LEN, SEED_LEN, bytesEqual } from '../crypto/index.ts';
import { parseNetAddress } from './address.ts';
import { parseDocument } from './document.ts';
import { FieldReader } from './fields.ts';
import { type FileError, catching, fail } from './file-error.ts';
import { MAX_NAME_BYTES } from './friend.ts';
import { b64, jsonText } from './json-text.ts';

export interface RemoteCard {
  readonly name: string;
  readonly nodePublicKey: Uint8Array;
  readonly address: string;
  readonly appPrivateKey: Uint8Array;
  readonly appPublicKey: Uint8Array;
}

export function formatRcard(card: RemoteCard): string {
  const a = parseNetAddress(card.address);
  if (!a.ok) throw new RangeError(`address: ${a.problem}`);
  if (typeof card.name !== 'string' || new TextEncoder().encode(card.name).length > MAX_NAME_BYTES) {
    throw new RangeError(`name: at most ${MAX_NAME_BYTES} bytes`);
  }
  return jsonText({
    kind: 'rcard',
    name: card.name,
    nodePublicKey: b64(card.nodePublicKey, PUBLIC_KEY_LEN, 'nodePublicKey'),
    address: card.address,
    appPrivateKey: b64(card.appPrivateKey, SEED_LEN, 'appPrivateKey'),
    appPublicKey: b64(card.appPublicKey, PUBLIC_KEY_LEN, 'appPublicKey'),
  });
}

export function parseRcard(text: string, backend: CryptoBackend): Result<RemoteCard, FileError> {
  return catching(() => {
    const f = new FieldReader('rcard', parseDocument('rcard', text));
    f.kind('rcard');
    const card = readRcardFields(f, backend);
    f.end();
    return card;
  });
}

/** Shared with the QR form: the app public key is optional there and derived when absent. */
export function checkedRcard(
  backend: CryptoBackend,
  fields: { name: string; nodePublicKey: Uint8Array; address: string; appPrivateKey: Uint8Array; appPublicKey?: Uint8Array | undefined },
): RemoteCard {
  const appPublicKey = backend.ed25519PublicKey(fields.appPrivateKey);
  if (fields.appPublicKey !== undefined && !bytesEqual(fields.appPublicKey, appPublicKey)) {
    fail('key-mismatch', 'rcard', 'appPublicKey', 'does not belong to appPrivateKey (the file is damaged)');
  }
  return { name: fields.name, nodePublicKey: fields.nodePublicKey, address: fields.address, appPrivateKey: fields.appPrivateKey, appPublicKey };
}

function readRcardFields(f: FieldReader, backend: CryptoBackend): RemoteCard {
  const name = f.optionalString('name', { maxBytes: MAX_NAME_BYTES }) ?? '';
  const nodePublicKey = f.bytes('nodePublicKey', PUBLIC_KEY_LEN);
  const address = f.address('address');
  const appPrivateKey = f.bytes('appPrivateKey', SEED_LEN);
  const appPublicKey = f.optionalBytes('appPublicKey', PUBLIC_KEY_LEN);
  return checkedRcard(backend, { name, nodePublicKey, address, appPrivateKey, appPublicKey });
}
