/** Durable file writes: the file on disk is always either the old or the new complete content
 *  (temp file in the same directory, fsync, rename, fsync the directory; ARCHITECTURE §4). */
import { link, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `bytes` to `path` (created or truncated) and fsyncs it. */
export async function writeDurable(path: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename or link in `dir` durable. Some platforms cannot fsync a directory (Windows):
 *  there the rename is as durable as the OS makes it. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
  } catch (e) {
    if (isCode(e, 'EISDIR') || isCode(e, 'EPERM') || isCode(e, 'EACCES')) return;
    throw e;
  }
  try {
    await fh.sync();
  } catch (e) {
    if (!(isCode(e, 'EINVAL') || isCode(e, 'EPERM') || isCode(e, 'EBADF') || isCode(e, 'EISDIR'))) throw e;
  } finally {
    await fh.close();
  }
}

/** Atomically replaces `path` with `bytes`, going through `tmpPath` (same directory). */
export async function replaceFile(path: string, tmpPath: string, bytes: Uint8Array): Promise<void> {
  await writeDurable(tmpPath, bytes);
  await rename(tmpPath, path);
  await fsyncDir(dirname(path));
}

/** Atomically creates `path` with `bytes`; resolves false (and leaves `path` alone) if it exists. */
export async function createFileExclusive(path: string, tmpPath: string, bytes: Uint8Array): Promise<boolean> {
  await writeDurable(tmpPath, bytes);
  try {
    await link(tmpPath, path);
  } catch (e) {
    if (isCode(e, 'EEXIST')) return false;
    throw e;
  } finally {
    await unlink(tmpPath).catch(() => undefined);
  }
  await fsyncDir(dirname(path));
  return true;
}

export function isCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}
