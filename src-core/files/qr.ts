/** QR payloads: the same objects as the files, in a compact form a phone camera reads easily:
 *  `offset:<kind>:<base64url of a version byte and the strict binary codec>`. An invoice is about
 *  140 characters, a commit about 320. Decoding reuses the file readers' checks, so a QR code is
 *  accepted exactly when the equivalent file would be. */
import {
  type Codec, type Result, decodeExact, encode, err, fixedBytes, fromBase64Url, list, option, struct, toBase64Url,
  u128, u64, u8, utf8,
} from '../codec/index.ts';
import type { CryptoBackend } from '../crypto/index.ts';
import { type Commit, type Invoice, MAX_CURRENCY_BYTES, type Receipt } from '../proto/index.ts';
import { MAX_NET_ADDRESS_BYTES } from './address.ts';
import { formatUtcTimestamp } from './fields.ts';
import { formatCommit, parseCommit } from './commit.ts';
import { type FileError, type FileKind, fileError } from './file-error.ts';
import { type FriendFile, MAX_NAME_BYTES, MAX_NODE_RELAYS, formatFriend, parseFriend } from './friend.ts';
import { MAX_DESCRIPTION_BYTES, formatInvoice, parseInvoice } from './invoice.ts';
import { type RemoteCard, formatRcard, parseRcard } from './rcard.ts';
import { formatReceipt, parseReceipt } from './receipt.ts';

export const QR_PREFIX = 'offset';
/** Bumped if a layout below ever changes; readers reject versions they do not know. */
export const QR_VERSION = 1;
export const MAX_QR_CHARS = 4096;

export type QrObject =
  | { readonly kind: 'invoice'; readonly invoice: Invoice }
  | { readonly kind: 'commit'; readonly commit: Commit }
  | { readonly kind: 'receipt'; readonly receipt: Receipt }
  | { readonly kind: 'friend'; readonly friend: FriendFile }
  | { readonly kind: 'rcard'; readonly rcard: RemoteCard };

const key = fixedBytes(32);
const currency = utf8({ maxBytes: MAX_CURRENCY_BYTES });

const invoiceFields = {
  invoiceId: key, currency, destPublicKey: key, totalDestPayment: u128,
  description: option(utf8({ maxBytes: MAX_DESCRIPTION_BYTES })),
};
const invoiceCodec = struct(invoiceFields);
/** Version 2 of the invoice layout: version 1 followed by `expiresAt` (u64 seconds). Written only
 *  for an invoice that expires, so every other payload stays readable by version-1 readers. */
const INVOICE_WITH_EXPIRY_VERSION = 2;
const invoiceWithExpiryCodec = struct({ ...invoiceFields, expiresAt: u64 });
const commitCodec = struct({
  responseHash: key, srcPlainLock: key, destHashedLock: key, destPayment: u128, totalDestPayment: u128,
  invoiceId: key, currency, signature: fixedBytes(64),
});
const receiptCodec = struct({
  responseHash: key, invoiceId: key, currency, srcPlainLock: key, destPlainLock: key, isComplete: u8,
  destPayment: u128, totalDestPayment: u128, signature: fixedBytes(64),
});
const friendCodec = struct({
  publicKey: key,
  relays: list(struct({ publicKey: key, address: utf8({ maxBytes: MAX_NET_ADDRESS_BYTES }) }), { max: MAX_NODE_RELAYS }),
  name: option(utf8({ maxBytes: MAX_NAME_BYTES })),
});
const rcardCodec = struct({
  name: utf8({ maxBytes: MAX_NAME_BYTES }), nodePublicKey: key, address: utf8({ maxBytes: MAX_NET_ADDRESS_BYTES }),
  appPrivateKey: key,
});

function withVersion<T>(c: Codec<T>): Codec<{ readonly version: number; readonly body: T }> {
  return struct({ version: u8, body: c });
}

function pack<T>(kind: QrObject['kind'], c: Codec<T>, v: T, version = QR_VERSION): string {
  return `${QR_PREFIX}:${kind}:${toBase64Url(encode(withVersion(c), { version, body: v }))}`;
}

/** Throws RangeError/TypeError for an invalid object (a programmer error), like the file formatters. */
export function formatQrPayload(obj: QrObject): string {
  switch (obj.kind) {
    case 'invoice':
      formatInvoice(obj.invoice); // same checks as the file
      return obj.invoice.expiresAt === undefined
        ? pack('invoice', invoiceCodec, { ...obj.invoice, description: obj.invoice.description })
        : pack('invoice', invoiceWithExpiryCodec, { ...obj.invoice, description: obj.invoice.description, expiresAt: BigInt(obj.invoice.expiresAt) }, INVOICE_WITH_EXPIRY_VERSION);
    case 'commit':
      formatCommit(obj.commit);
      return pack('commit', commitCodec, obj.commit);
    case 'receipt':
      formatReceipt(obj.receipt);
      return pack('receipt', receiptCodec, { ...obj.receipt, isComplete: obj.receipt.isComplete ? 1 : 0 });
    case 'friend':
      formatFriend(obj.friend);
      return pack('friend', friendCodec, { ...obj.friend, name: obj.friend.name });
    case 'rcard':
      formatRcard(obj.rcard);
      return pack('rcard', rcardCodec, obj.rcard);
    default:
      return assertNever(obj);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled variant ${String(x)}`);
}

const qrError = (detail: string): Result<never, FileError> => err(fileError('syntax', 'qr', '', detail));

function unpack<T>(c: Codec<T>, kind: FileKind, bytes: Uint8Array, version = QR_VERSION): Result<T, FileError> {
  if (bytes[0] !== version) return err(fileError('syntax', kind, '', `QR payload version ${bytes[0] ?? 'missing'} is not supported (expected ${version})`));
  const r = decodeExact(withVersion(c), bytes);
  if (!r.ok) return err(fileError('syntax', kind, r.error.field, `bad QR payload (${r.error.message})`));
  return { ok: true, value: r.value.body };
}

type InvoiceBody = { readonly invoiceId: Uint8Array; readonly currency: string; readonly destPublicKey: Uint8Array; readonly totalDestPayment: bigint; readonly description: string | undefined; readonly expiresAt?: bigint };
function unpackInvoice(bytes: Uint8Array): Result<InvoiceBody, FileError> {
  return bytes[0] === INVOICE_WITH_EXPIRY_VERSION ? unpack(invoiceWithExpiryCodec, 'invoice', bytes, INVOICE_WITH_EXPIRY_VERSION) : unpack(invoiceCodec, 'invoice', bytes);
}

/** The binary body becomes the file's JSON and goes through the file reader: one set of checks. */
function viaFile<T, V>(decoded: Result<V, FileError>, toText: (v: V) => string, parse: (text: string) => Result<T, FileError>, kind: FileKind): Result<T, FileError> {
  if (!decoded.ok) return decoded;
  let text: string;
  try {
    text = toText(decoded.value);
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) return err(fileError('bad-value', kind, '', e.message));
    throw e;
  }
  return parse(text);
}

const b64 = toBase64Url;
const dec = (v: bigint): string => v.toString(10);

export function parseQrPayload(text: string, backend: CryptoBackend): Result<QrObject, FileError> {
  if (typeof text !== 'string') return qrError('expected text');
  if (text.length > MAX_QR_CHARS) return qrError(`longer than ${MAX_QR_CHARS} characters`);
  const m = /^offset:([a-z]+):([A-Za-z0-9_-]+)$/.exec(text.trim());
  if (m === null) return qrError('not an Offset QR code (expected offset:<kind>:<data>)');
  const bytes = fromBase64Url(m[2] as string);
  if (bytes === undefined) return qrError('the data is not valid base64url');
  switch (m[1]) {
    case 'invoice': {
      const r = viaFile(unpackInvoice(bytes), (v) => JSON.stringify({
        invoiceId: b64(v.invoiceId), currency: v.currency, destPublicKey: b64(v.destPublicKey),
        totalDestPayment: dec(v.totalDestPayment), ...(v.description === undefined ? {} : { description: v.description }),
        ...(v.expiresAt === undefined ? {} : { expiresAt: formatUtcTimestamp(Number(v.expiresAt)) }),
      }), parseInvoice, 'invoice');
      return r.ok ? { ok: true, value: { kind: 'invoice', invoice: r.value } } : r;
    }
    case 'commit': {
      const r = viaFile(unpack(commitCodec, 'commit', bytes), (v) => JSON.stringify({
        responseHash: b64(v.responseHash), srcPlainLock: b64(v.srcPlainLock), destHashedLock: b64(v.destHashedLock),
        destPayment: dec(v.destPayment), totalDestPayment: dec(v.totalDestPayment), invoiceId: b64(v.invoiceId),
        currency: v.currency, signature: b64(v.signature),
      }), parseCommit, 'commit');
      return r.ok ? { ok: true, value: { kind: 'commit', commit: r.value } } : r;
    }
    case 'receipt': {
      const r = viaFile(unpack(receiptCodec, 'receipt', bytes), (v) => {
        if (v.isComplete > 1) throw new RangeError(`isComplete: expected 0 or 1, got ${v.isComplete}`);
        return JSON.stringify({
          responseHash: b64(v.responseHash), invoiceId: b64(v.invoiceId), currency: v.currency,
          srcPlainLock: b64(v.srcPlainLock), destPlainLock: b64(v.destPlainLock), isComplete: v.isComplete === 1,
          destPayment: dec(v.destPayment), totalDestPayment: dec(v.totalDestPayment), signature: b64(v.signature),
        });
      }, parseReceipt, 'receipt');
      return r.ok ? { ok: true, value: { kind: 'receipt', receipt: r.value } } : r;
    }
    case 'friend': {
      const r = viaFile(unpack(friendCodec, 'friend', bytes), (v) => JSON.stringify({
        publicKey: b64(v.publicKey), relays: v.relays.map((x) => ({ publicKey: b64(x.publicKey), address: x.address })),
        ...(v.name === undefined ? {} : { name: v.name }),
      }), parseFriend, 'friend');
      return r.ok ? { ok: true, value: { kind: 'friend', friend: r.value } } : r;
    }
    case 'rcard': {
      const r = viaFile(unpack(rcardCodec, 'rcard', bytes), (v) => JSON.stringify({
        name: v.name, nodePublicKey: b64(v.nodePublicKey), address: v.address, appPrivateKey: b64(v.appPrivateKey),
      }), (t) => parseRcard(t, backend), 'rcard');
      return r.ok ? { ok: true, value: { kind: 'rcard', rcard: r.value } } : r;
    }
    default:
      return qrError(`unknown kind ${JSON.stringify(m[1])} (expected invoice, commit, receipt, friend or rcard)`);
  }
}
