/** The one text form we write: pretty JSON, `kind` first, one trailing newline. */
import { toBase64Url } from '../codec/index.ts';

export function jsonText(doc: Record<string, unknown>): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** base64url of exactly `length` bytes; a wrong length is a programmer error. */
export function b64(value: Uint8Array, length: number, what: string): string {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what}: expected Uint8Array`);
  if (value.length !== length) throw new RangeError(`${what}: expected ${length} bytes, got ${value.length}`);
  return toBase64Url(value);
}
