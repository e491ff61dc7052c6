/** The one error a decoder throws for bad input. `code` is for programs, `field` for people. */
export type DecodeErrorCode =
  | 'truncated' | 'trailing-bytes' | 'too-long' | 'bad-tag' | 'out-of-range' | 'bad-bool' | 'bad-utf8'
  | 'non-canonical' | 'invalid';

export class DecodeError extends Error {
  constructor(
    readonly code: DecodeErrorCode,
    readonly offset: number,
    readonly field: string = '',
    readonly detail: string = '',
  ) {
    super(`${code}${field ? ` in ${field}` : ''} at byte ${offset}${detail ? `: ${detail}` : ''}`);
    this.name = 'DecodeError';
  }
}

const PROBLEM: Record<DecodeErrorCode, string> = {
  truncated: 'ends too early',
  'trailing-bytes': 'has extra bytes after its end',
  'too-long': 'has a length over the allowed maximum',
  'bad-tag': 'has an unknown tag',
  'out-of-range': 'has a value out of range',
  'bad-bool': 'has a boolean that is neither 0 nor 1',
  'bad-utf8': 'has text that is not valid UTF-8',
  'non-canonical': 'is not in canonical form',
  invalid: 'has an invalid value',
};

/** One line for a CLI or a log: `invoice ends too early in amount at byte 40 (need 16 bytes, have 3)`. */
export function describeDecodeError(e: DecodeError, what: string): string {
  const where = e.field === '' ? '' : ` in ${e.field}`;
  const detail = e.detail === '' ? '' : ` (${e.detail})`;
  return `${what} ${PROBLEM[e.code]}${where} at byte ${e.offset}${detail}`.replace(/[\r\n]+/g, ' ');
}

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };
export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const err = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });
