/** Cheap checks of an SQLite file image before handing it to sql.js: is it SQLite at all, and is
 *  it complete (the header's page count times the page size is the file size)? */

const SQLITE_MAGIC = new TextEncoder().encode('SQLite format 3\0');

export type ImageProblem =
  | { readonly kind: 'not-sqlite'; readonly detail: string }
  | { readonly kind: 'truncated'; readonly detail: string };

export function checkSqliteImage(b: Uint8Array): ImageProblem | undefined {
  if (b.length < 100) return { kind: 'not-sqlite', detail: `${b.length} bytes, shorter than an SQLite header` };
  for (let i = 0; i < SQLITE_MAGIC.length; i++) {
    if (b[i] !== SQLITE_MAGIC[i]) return { kind: 'not-sqlite', detail: 'no SQLite header' };
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const raw = dv.getUint16(16, false);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return { kind: 'not-sqlite', detail: `invalid page size ${raw}` };
  }
  if (b.length % pageSize !== 0) return { kind: 'truncated', detail: `${b.length} bytes is not a whole number of ${pageSize}-byte pages` };
  // the in-header page count is valid when "version-valid-for" equals the change counter
  const changeCounter = dv.getUint32(24, false);
  const pageCount = dv.getUint32(28, false);
  if (dv.getUint32(92, false) === changeCounter && pageCount !== 0 && pageCount * pageSize !== b.length) {
    return { kind: 'truncated', detail: `header says ${pageCount} pages of ${pageSize} bytes, the file has ${b.length} bytes` };
  }
  return undefined;
}
