/** Card backup files (issue 7 §1): one card's seed, name and a consistent copy of its node
 *  database, sealed under a password with the vault's scheme (scrypt → key, ChaCha20-Poly1305).
 *
 *  The file is JSON text (ARCHITECTURE §4: camelCase, binary base64url):
 *    { "format": "offset-card-backup", "version": 1,
 *      "kdf": { "kind": "scrypt", "logN", "r", "p", "salt" }, "nonce", "sealed" }
 *  `sealed` opens (AAD `offset-card-backup:v1`) to the canonical encoding of `CardBackup`.
 *  A changed byte anywhere (kdf parameters included: they change the key) fails the AEAD check,
 *  which cannot be told apart from a wrong password. Pure: KDF, AEAD and randomness are injected. */
import { bytes, decodeExact, encode, fixedBytes, struct, utf8 } from '../src-core/codec/index.ts';
import { bytes as jsonBytes, int, literal, obj, SchemaError, type Schema } from './bridge-schema.ts';
import { MAX_CARD_FILE_CHARS, MAX_CARD_NAME_CHARS, type Result } from './bridge.ts';
import { DEFAULT_SCRYPT, type KeyVaultDeps, type ScryptParams } from './key-vault.ts';

export const BACKUP_FORMAT = 'offset-card-backup';
export const BACKUP_FILE_EXTENSION = '.offset-card';
/** The sealed database must fit a card file (base64url grows it by 4/3). */
export const MAX_BACKUP_DATABASE_BYTES = Math.floor((MAX_CARD_FILE_CHARS - 4096) * 3 / 4) - 1024;

export interface CardBackup {
  readonly publicKey: Uint8Array;
  /** The card's Ed25519 seed (32 bytes): secret. */
  readonly seed: Uint8Array;
  readonly name: string;
  /** The node database file (`node.db`) after a checkpoint: complete on its own. */
  readonly database: Uint8Array;
}

export type BackupError =
  | { readonly kind: 'not-a-backup'; readonly message: string }
  | { readonly kind: 'wrong-password'; readonly message: string }
  | { readonly kind: 'too-large'; readonly message: string };

const AAD = new TextEncoder().encode(`${BACKUP_FORMAT}:v1`);

const payload = struct({
  publicKey: fixedBytes(32),
  seed: fixedBytes(32),
  name: utf8({ maxBytes: MAX_CARD_NAME_CHARS * 4 }),
  database: bytes({ max: MAX_BACKUP_DATABASE_BYTES }),
});

interface BackupFile {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: 1;
  readonly kdf: ScryptParams;
  readonly nonce: Uint8Array;
  readonly sealed: Uint8Array;
}

const fileSchema: Schema<BackupFile> = obj({
  format: literal(BACKUP_FORMAT),
  version: { toJson: (v: 1) => v, fromJson: (j, path) => int({ min: 1, max: 1 }).fromJson(j, path) as 1 },
  kdf: obj({
    kind: literal('scrypt'),
    // bounded: a hostile file must not make the wallet spend gigabytes on scrypt
    logN: int({ min: 1, max: 20 }),
    r: int({ min: 1, max: 16 }),
    p: int({ min: 1, max: 4 }),
    salt: jsonBytes({ maxBytes: 64 }),
  }),
  nonce: jsonBytes({ maxBytes: 12, length: 12 }),
  sealed: jsonBytes({ maxBytes: MAX_CARD_FILE_CHARS }),
});

/** Seals `backup` under `password`; the result is the backup file's text. */
export async function sealCardBackup(deps: KeyVaultDeps, password: string, backup: CardBackup): Promise<Result<string, BackupError>> {
  if (backup.database.length > MAX_BACKUP_DATABASE_BYTES) {
    return { ok: false, error: { kind: 'too-large', message: `The card's database (${backup.database.length} bytes) is too large for a backup file.` } };
  }
  const kdf: ScryptParams = { kind: 'scrypt', ...(deps.cost ?? DEFAULT_SCRYPT), salt: deps.random(16) };
  const key = await deps.kdf(password, kdf);
  const plain = encode(payload, backup);
  const nonce = deps.random(12);
  const sealed = deps.crypto.aeadSeal(key, nonce, plain, AAD);
  plain.fill(0);
  key.fill(0);
  const file: BackupFile = { format: BACKUP_FORMAT, version: 1, kdf, nonce, sealed };
  return { ok: true, value: `${JSON.stringify(fileSchema.toJson(file))}\n` };
}

/** Opens a backup file's text with `password`. A seed that does not give the stated public key
 *  is refused as a damaged file. */
export async function openCardBackup(deps: KeyVaultDeps, text: string, password: string): Promise<Result<CardBackup, BackupError>> {
  const notBackup = (why: string): Result<CardBackup, BackupError> => ({ ok: false, error: { kind: 'not-a-backup', message: `This is not an Offset card backup (${why}).` } });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return notBackup('not JSON');
  }
  let file: BackupFile;
  try {
    file = fileSchema.fromJson(json, 'backup');
  } catch (e) {
    if (e instanceof SchemaError) return notBackup(e.message);
    throw e;
  }
  const key = await deps.kdf(password, file.kdf);
  const plain = deps.crypto.aeadOpen(key, file.nonce, file.sealed, AAD);
  key.fill(0);
  if (plain === undefined) {
    return { ok: false, error: { kind: 'wrong-password', message: 'The backup does not open: a wrong password, or the file was changed. Nothing was imported.' } };
  }
  const decoded = decodeExact(payload, plain);
  plain.fill(0);
  if (!decoded.ok) return notBackup(`its contents are damaged: ${decoded.error.message}`);
  const derived = deps.crypto.ed25519PublicKey(decoded.value.seed);
  if (!derived.every((b, i) => b === decoded.value.publicKey[i])) return notBackup('its key does not match its public key');
  return decoded;
}
