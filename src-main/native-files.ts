/** The native open and save dialogs of the Electron shell (issue 7 §4): what the main process
 *  accepts from the page before showing one, and the dialogs' file-type filters. Pure: the
 *  dialogs and the disk are electron-main.ts's and native-files.node.ts's. */
import { MAX_NATIVE_FILE_BYTES, type Result } from './bridge.ts';

/** The wallet's file types, by extension, as the dialogs name them. */
export const FILE_TYPE_LABELS: Readonly<Record<string, string>> = {
  '.invoice': 'Offset invoice',
  '.commit': 'Offset commit',
  '.receipt': 'Offset receipt',
  '.friend': 'Offset friend file',
  '.offset-card': 'Offset card backup',
  '.rcard': 'Offset remote card',
  '.statement': 'Offset statement',
  '.ticket': 'Offset ticket',
  '.json': 'JSON',
  '.toml': 'TOML',
  '.txt': 'Text',
  '.csv': 'CSV table',
  '.png': 'PNG picture',
};

/** Files holding a private key (a sealed one included) are written readable by the owner only. */
const SECRET_EXTENSIONS = ['.offset-card', '.rcard', '.ident'];
const EXTENSION = /^\.[a-z0-9][a-z0-9-]{0,19}$/;
const MAX_EXTENSIONS = 12;
const MAX_NAME_CHARS = 255;

export interface DialogFilter {
  readonly name: string;
  readonly extensions: string[];
}

/** One filter per extension (the first is the dialog's default), then "All files". */
export function dialogFilters(extensions: readonly string[]): DialogFilter[] {
  const own = extensions.map((e) => ({ name: FILE_TYPE_LABELS[e] ?? `${e.slice(1).toUpperCase()} file`, extensions: [e.slice(1)] }));
  return [...own, { name: 'All files', extensions: ['*'] }];
}

/** The extensions an open request names: each like '.invoice' (lowercase), at most a dozen. */
export function checkOpenRequest(extensions: unknown): Result<readonly string[], string> {
  if (!Array.isArray(extensions) || extensions.length === 0 || extensions.length > MAX_EXTENSIONS) {
    return { ok: false, error: `expected 1 to ${MAX_EXTENSIONS} file extensions` };
  }
  for (const e of extensions) {
    if (typeof e !== 'string' || !EXTENSION.test(e)) return { ok: false, error: `not a file extension: ${JSON.stringify(e)}` };
  }
  return { ok: true, value: [...new Set(extensions as string[])] };
}

/** A file name the page suggests, made safe to offer in a save dialog: no folders, no characters
 *  that file systems refuse, no leading dots, at most 255 characters. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  return (base === '' ? 'offset-file' : base).slice(0, MAX_NAME_CHARS);
}

/** The extension of a file name ('.invoice'), or undefined. */
export function extensionOf(name: string): string | undefined {
  const m = /(\.[A-Za-z0-9][A-Za-z0-9-]{0,19})$/.exec(name);
  return m === null ? undefined : (m[1] as string).toLowerCase();
}

export function isSecretFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** A save request: a suggested name and the bytes (at most MAX_NATIVE_FILE_BYTES). */
export function checkSaveRequest(name: unknown, data: unknown): Result<{ readonly name: string; readonly data: Uint8Array }, string> {
  if (typeof name !== 'string' || name.length > 1000) return { ok: false, error: 'expected a file name' };
  if (!(data instanceof Uint8Array)) return { ok: false, error: 'expected the file\'s bytes' };
  if (data.length > MAX_NATIVE_FILE_BYTES) return { ok: false, error: 'the file is too large' };
  return { ok: true, value: { name: safeFileName(name), data } };
}
