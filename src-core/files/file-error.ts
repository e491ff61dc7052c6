/** The one error every file and QR reader returns: which kind of file, which field, what was
 *  expected. `code` is for programs, `message` is one sentence for people. */
import { type Result, err } from '../codec/index.ts';

export type FileKind =
  | 'ident' | 'node-ticket' | 'app-ticket' | 'relay-ticket' | 'index-ticket' | 'friend' | 'rcard'
  | 'invoice' | 'commit' | 'receipt' | 'qr';

export type FileErrorCode =
  | 'syntax' | 'wrong-kind' | 'missing-field' | 'unknown-field' | 'bad-value' | 'key-mismatch'
  | 'too-large' | 'not-found' | 'exists' | 'io';

export interface FileError {
  readonly code: FileErrorCode;
  readonly fileKind: FileKind;
  /** Dotted path of the field ('relays[1].address'), '' when the whole file is at fault. */
  readonly field: string;
  readonly message: string;
}

const LABEL: Record<FileKind, string> = {
  ident: 'identity file',
  'node-ticket': 'node ticket',
  'app-ticket': 'app ticket',
  'relay-ticket': 'relay ticket',
  'index-ticket': 'index ticket',
  friend: 'friend file',
  rcard: 'remote card',
  invoice: 'invoice',
  commit: 'commit',
  receipt: 'receipt',
  qr: 'QR payload',
};

export function fileKindLabel(kind: FileKind): string {
  return LABEL[kind];
}

export function fileError(code: FileErrorCode, fileKind: FileKind, field: string, detail: string): FileError {
  const where = field === '' ? '' : ` field ${field}:`;
  return { code, fileKind, field, message: `${LABEL[fileKind]}:${where} ${detail}` };
}

/** Thrown only inside this folder while walking a parsed document; every public reader catches it
 *  and returns it as a Result, so no exception escapes for bad input. */
export class FileFormatError extends Error {
  constructor(readonly error: FileError) {
    super(error.message);
    this.name = 'FileFormatError';
  }
}

export function fail(code: FileErrorCode, fileKind: FileKind, field: string, detail: string): never {
  throw new FileFormatError(fileError(code, fileKind, field, detail));
}

/** Runs a reader body, turning FileFormatError into a Result. Anything else is a bug and rethrows. */
export function catching<T>(body: () => T): Result<T, FileError> {
  try {
    return { ok: true, value: body() };
  } catch (e) {
    if (e instanceof FileFormatError) return err(e.error);
    throw e;
  }
}
