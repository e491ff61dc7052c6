/** Reading and writing the text files on disk. Writes are atomic (a temp file in the same
 *  directory, fsync, then link or rename, then fsync of the directory) and refuse to replace an
 *  existing file unless `overwrite` is set; secret files (ident, rcard) get mode 0600. */
import { randomBytes } from 'node:crypto';
import { type FileHandle, link, lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Result, err, ok } from '../codec/index.ts';
import { MAX_FILE_CHARS } from './document.ts';
import { type FileError, type FileKind, fileError, fileKindLabel } from './file-error.ts';

export const SECRET_FILE_MODE = 0o600;
export const PUBLIC_FILE_MODE = 0o644;

/** Files holding a private key. */
export function isSecretKind(kind: FileKind): boolean {
  return kind === 'ident' || kind === 'rcard';
}

export interface WriteOptions {
  /** Replace an existing file (default: refuse with code 'exists'). */
  readonly overwrite?: boolean;
}

function errnoCode(e: unknown): string | undefined {
  const c = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof c === 'string' ? c : undefined;
}

function ioError(kind: FileKind, path: string, e: unknown, doing: string): FileError {
  const code = errnoCode(e);
  if (code === 'ENOENT') return { ...fileError('not-found', kind, '', ''), message: `${path}: no such file or directory` };
  if (code === 'EEXIST') return { ...fileError('exists', kind, '', ''), message: `${path}: already exists` };
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory'
    : code === 'ENOTDIR' ? 'a parent is not a directory' : code === 'ENOSPC' ? 'no space left on device' : (e as Error).message;
  return { ...fileError('io', kind, '', ''), message: `${path}: cannot ${doing} the ${fileKindLabel(kind)}: ${why}` };
}

async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // not supported everywhere (Windows); the rename itself is still atomic
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Writes `text` as the file of kind `kind` at `path`, all or nothing. */
export async function writeFileAtomic(path: string, kind: FileKind, text: string, opts: WriteOptions = {}): Promise<Result<void, FileError>> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = isSecretKind(kind) ? SECRET_FILE_MODE : PUBLIC_FILE_MODE;
  if (!opts.overwrite) {
    // early, friendlier refusal; the link below is what makes it race-free
    const exists = await lstat(path).then(() => true, () => false);
    if (exists) return err(ioError(kind, path, Object.assign(new Error('exists'), { code: 'EEXIST' }), 'write'));
  }
  let fh: FileHandle;
  try {
    fh = await open(tmp, 'wx', mode);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return err({ ...fileError('not-found', kind, '', ''), message: `${dir}: no such directory` });
    return err(ioError(kind, path, e, 'write'));
  }
  try {
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (opts.overwrite) {
      await rename(tmp, path);
    } else {
      try {
        await link(tmp, path); // fails with EEXIST if someone created `path` meanwhile
      } catch (e) {
        const c = errnoCode(e);
        if (c === 'EEXIST') throw e;
        // file systems without hard links: check, then rename
        if (await lstat(path).then(() => true, () => false)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
        await rename(tmp, path);
      }
      await unlink(tmp).catch(() => undefined);
    }
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    return err(ioError(kind, path, e, 'write'));
  }
  await fsyncDir(dir);
  return ok(undefined);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text: at most MAX_FILE_CHARS, valid UTF-8. */
export async function readTextFile(path: string, kind: FileKind): Promise<Result<string, FileError>> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    return err(ioError(kind, path, e, 'read'));
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return err({ ...fileError('io', kind, '', ''), message: `${path}: not a regular file` });
    // 4 bytes per character at most
    if (st.size > MAX_FILE_CHARS * 4) return err({ ...fileError('too-large', kind, '', ''), message: `${path}: too large for a ${fileKindLabel(kind)}` });
    const bytes = await fh.readFile();
    try {
      return ok(utf8.decode(bytes));
    } catch {
      return err({ ...fileError('syntax', kind, '', ''), message: `${path}: ${fileKindLabel(kind)}: not UTF-8 text` });
    }
  } catch (e) {
    return err(ioError(kind, path, e, 'read'));
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Reads and parses; the error message starts with the path. */
export async function readFileAs<T>(path: string, kind: FileKind, parse: (text: string) => Result<T, FileError>): Promise<Result<T, FileError>> {
  const text = await readTextFile(path, kind);
  if (!text.ok) return text;
  const r = parse(text.value);
  return r.ok ? r : err({ ...r.error, message: `${path}: ${r.error.message}` });
}
