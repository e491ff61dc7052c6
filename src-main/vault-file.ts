/** The wallet's vault file (`wallet.json` in the user data directory): the password lock and the
 *  cards with their sealed seeds. JSON, camelCase, binary values base64url (ARCHITECTURE §4);
 *  read back with the same strict schemas as the bridge, so a damaged file is a clear error. */
import { bytes, int, list, literal, nullable, obj, str, SchemaError, type Schema } from './bridge-schema.ts';
import { MAX_NET_ADDRESS_BYTES, parseNetAddress } from '../src-core/files/index.ts';
import { MAX_CARD_NAME_CHARS } from './bridge.ts';
import type { PasswordLock, Sealed } from './key-vault.ts';

/** A card whose node runs inside the host; its Ed25519 seed is sealed under the wallet key. */
export interface LocalVaultCard {
  readonly id: string;
  readonly name: string;
  readonly kind: 'local';
  readonly publicKey: Uint8Array;
  readonly seed: Sealed;
  /** When its backup was last exported (ms since the Unix epoch); null until the first.
   *  Absent in vault files from before backups were recorded: read as null. */
  readonly backedUpAt: number | null;
}

/** A card that is a remote `stnode` (from an .rcard): the node's key and address, and the app
 *  identity's seed the node trusts, sealed under the wallet key like a local card's seed. */
export interface RemoteVaultCard {
  readonly id: string;
  readonly name: string;
  readonly kind: 'remote';
  /** The remote node's public key (the card's key). */
  readonly publicKey: Uint8Array;
  readonly address: string;
  readonly appKey: Sealed;
}

export type VaultCard = LocalVaultCard | RemoteVaultCard;

export interface Vault {
  readonly version: 1;
  readonly lock: PasswordLock | null;
  readonly cards: readonly VaultCard[];
}

export const EMPTY_VAULT: Vault = { version: 1, lock: null, cards: [] };

const sealed: Schema<Sealed> = obj({ nonce: bytes({ maxBytes: 12, length: 12 }), sealed: bytes({ maxBytes: 1024 }) });
const lock: Schema<PasswordLock> = obj({
  kdf: obj({
    kind: literal('scrypt'),
    logN: int({ min: 1, max: 22 }),
    r: int({ min: 1, max: 32 }),
    p: int({ min: 1, max: 16 }),
    salt: bytes({ maxBytes: 64 }),
  }),
  walletKey: sealed,
});
const cardId = str({ maxLength: 64, minLength: 1, pattern: /^[A-Za-z0-9_-]+$/ });
const cardName = str({ maxLength: MAX_CARD_NAME_CHARS, minLength: 1 });
const publicKey = bytes({ maxBytes: 32, length: 32 });
const localCard: Schema<LocalVaultCard> = obj({
  id: cardId,
  name: cardName,
  kind: literal('local'),
  publicKey,
  seed: sealed,
  backedUpAt: nullable(int({ min: 0, max: Number.MAX_SAFE_INTEGER })),
});
const remoteCard: Schema<RemoteVaultCard> = obj({
  id: cardId,
  name: cardName,
  kind: literal('remote'),
  publicKey,
  address: str({ maxLength: MAX_NET_ADDRESS_BYTES, minLength: 1 }),
  appKey: sealed,
});
const isObject = (j: unknown): j is Record<string, unknown> => typeof j === 'object' && j !== null && !Array.isArray(j);
/** A union on `kind`; a local card without `backedUpAt` (session 1's files) reads as never backed up. */
const vaultCard: Schema<VaultCard> = {
  toJson: (c) => (c.kind === 'local' ? localCard.toJson(c) : remoteCard.toJson(c)),
  fromJson(j, path) {
    if (isObject(j) && j.kind === 'remote') return remoteCard.fromJson(j, path);
    if (isObject(j) && j.kind === 'local' && !Object.prototype.hasOwnProperty.call(j, 'backedUpAt')) return localCard.fromJson({ ...j, backedUpAt: null }, path);
    return localCard.fromJson(j, path);
  },
};
const vault: Schema<Vault> = obj({
  version: { toJson: (v: 1) => v, fromJson: (j, path) => int({ min: 1, max: 1 }).fromJson(j, path) as 1 },
  lock: nullable(lock),
  cards: list(vaultCard, { max: 10_000 }),
});

export function encodeVault(v: Vault): string {
  return `${JSON.stringify(vault.toJson(v), null, 2)}\n`;
}

export type VaultDecodeResult = { readonly ok: true; readonly value: Vault } | { readonly ok: false; readonly error: string };

export function decodeVault(text: string): VaultDecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'the wallet file is not JSON' };
  }
  try {
    const v = vault.fromJson(json, 'wallet');
    if (new Set(v.cards.map((c) => c.id)).size !== v.cards.length) return { ok: false, error: 'the wallet file lists a card twice' };
    if (v.cards.length > 0 && v.lock === null) return { ok: false, error: 'the wallet file has cards but no password lock' };
    const badAddress = v.cards.find((c) => c.kind === 'remote' && !parseNetAddress(c.address).ok);
    if (badAddress !== undefined) return { ok: false, error: `the wallet file is damaged (card ${badAddress.id}: not a node address)` };
    return { ok: true, value: v };
  } catch (e) {
    if (e instanceof SchemaError) return { ok: false, error: `the wallet file is damaged (${e.message})` };
    throw e;
  }
}
