/** Text file formats (ARCHITECTURE §4) and QR payloads. Browser-safe: the disk side is
 *  `fs.node.ts`. Every reader returns Result<T, FileError>; formatters throw only on programmer
 *  errors (wrong key lengths, out-of-range amounts). Formats: docs/files.md. */
export { type FileError, type FileErrorCode, type FileKind, fileError, fileKindLabel } from './file-error.ts';
export { parseNetAddress, type NetAddress, MAX_NET_ADDRESS_BYTES } from './address.ts';
export { parseU128Decimal, formatU128Decimal } from './decimal.ts';
export { MAX_FILE_CHARS } from './document.ts';
export * from './ident.ts';
export * from './tickets.ts';
export * from './friend.ts';
export * from './rcard.ts';
export * from './invoice.ts';
export { formatUtcTimestamp, parseUtcTimestamp } from './fields.ts';
export * from './commit.ts';
export * from './receipt.ts';
export * from './qr.ts';
export * from './any-file.ts';
