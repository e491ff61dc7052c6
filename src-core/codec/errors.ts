/** The one error a decoder throws for bad input. `code` is for programs, `field` for people. */
export type DecodeErrorCode =
  | 'truncated' | 'trailing-bytes' | 'too-long' | 'bad-tag' | 'out-of-range' | 'bad-bool' | 'bad-utf8'
  | 'non-canonical' | 'invalid';

export class DecodeError extends Error {
  constructor(
    readonly code: DecodeErrorCode,
    readonly offset: number,
    readonly field: string = '',
    detail = '',
  ) {
    super(`${code}${field ? ` in ${field}` : ''} at byte ${offset}${detail ? `: ${detail}` : ''}`);
    this.name = 'DecodeError';
  }
}

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };
export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const err = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });
