/** One entry point for "open this file" (the wallet's import, drag and drop): the `kind` field,
 *  or the caller's hint for the original's files that have none, picks the reader. */
import type { Result } from '../codec/index.ts';
import type { CryptoBackend } from '../crypto/index.ts';
import type { Commit, Invoice, Receipt } from '../proto/index.ts';
import { parseCommit } from './commit.ts';
import { type FileError, type FileKind, fileError } from './file-error.ts';
import { type FriendFile, parseFriend } from './friend.ts';
import { type Ident, parseIdent } from './ident.ts';
import { parseInvoice } from './invoice.ts';
import { type RemoteCard, parseRcard } from './rcard.ts';
import { parseReceipt } from './receipt.ts';
import { type AddressTicket, type AppTicket, parseAddressTicket, parseAppTicket } from './tickets.ts';

export type AnyFile =
  | { readonly kind: 'ident'; readonly value: Ident }
  | { readonly kind: 'node-ticket' | 'relay-ticket' | 'index-ticket'; readonly value: AddressTicket }
  | { readonly kind: 'app-ticket'; readonly value: AppTicket }
  | { readonly kind: 'friend'; readonly value: FriendFile }
  | { readonly kind: 'rcard'; readonly value: RemoteCard }
  | { readonly kind: 'invoice'; readonly value: Invoice }
  | { readonly kind: 'commit'; readonly value: Commit }
  | { readonly kind: 'receipt'; readonly value: Receipt };

type FileOnlyKind = Exclude<FileKind, 'qr'>;

/** The file's `kind` field, when it is JSON with one; undefined otherwise. */
export function declaredFileKind(text: string): FileOnlyKind | undefined {
  if (typeof text !== 'string' || !text.trimStart().startsWith('{')) return undefined;
  const m = /^\s*\{\s*"kind"\s*:\s*"([a-z-]+)"/.exec(text.replace(/^\uFEFF/, ''));
  const k = m?.[1];
  return k !== undefined && Object.prototype.hasOwnProperty.call(READERS, k) ? (k as FileOnlyKind) : undefined;
}

const READERS: { readonly [K in FileOnlyKind]: (text: string, backend: CryptoBackend) => Result<unknown, FileError> } = {
  ident: parseIdent,
  'node-ticket': (t) => parseAddressTicket('node-ticket', t),
  'relay-ticket': (t) => parseAddressTicket('relay-ticket', t),
  'index-ticket': (t) => parseAddressTicket('index-ticket', t),
  'app-ticket': parseAppTicket,
  friend: parseFriend,
  rcard: parseRcard,
  invoice: parseInvoice,
  commit: parseCommit,
  receipt: parseReceipt,
};

/** Reads a file of whatever kind it declares; `hint` is used when it declares none. */
export function parseAnyFile(text: string, backend: CryptoBackend, hint?: FileOnlyKind): Result<AnyFile, FileError> {
  const kind = declaredFileKind(text) ?? hint;
  if (kind === undefined) {
    return { ok: false, error: fileError('wrong-kind', hint ?? 'invoice', '', 'cannot tell what kind of file this is (no "kind" field)') };
  }
  const r = READERS[kind](text, backend);
  return r.ok ? { ok: true, value: { kind, value: r.value } as AnyFile } : r;
}
