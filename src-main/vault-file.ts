/** The wallet's vault file (`wallet.json` in the user data directory): the password lock and the
 *  cards with their sealed seeds. JSON, camelCase, binary values base64url (ARCHITECTURE §4);
 *  read back with the same strict schemas as the bridge, so a damaged file is a clear error. */
import { bytes, int, list, literal, nullable, obj, str, SchemaError, type Schema } from './bridge-schema.ts';
import { MAX_CARD_NAME_CHARS } from './bridge.ts';
import type { PasswordLock, Sealed } from './key-vault.ts';

export interface VaultCard {
  readonly id: string;
  readonly name: string;
  readonly kind: 'local';
  readonly publicKey: Uint8Array;
  readonly seed: Sealed;
}

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
const vault: Schema<Vault> = obj({
  version: { toJson: (v: 1) => v, fromJson: (j, path) => int({ min: 1, max: 1 }).fromJson(j, path) as 1 },
  lock: nullable(lock),
  cards: list(
    obj({
      id: str({ maxLength: 64, minLength: 1, pattern: /^[A-Za-z0-9_-]+$/ }),
      name: str({ maxLength: MAX_CARD_NAME_CHARS, minLength: 1 }),
      kind: literal('local'),
      publicKey: bytes({ maxBytes: 32, length: 32 }),
      seed: sealed,
    }),
    { max: 10_000 },
  ),
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
    return { ok: true, value: v };
  } catch (e) {
    if (e instanceof SchemaError) return { ok: false, error: `the wallet file is damaged (${e.message})` };
    throw e;
  }
}
