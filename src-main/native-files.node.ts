/** Reading and writing the file the person chose in a native dialog (electron-main.ts). Writes
 *  are atomic: a temp file beside it, fsync, rename (the dialog has already asked before
 *  replacing a file), fsync of the folder; backups and remote cards get mode 0600. Reads are
 *  bounded and strict UTF-8. */
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { NativeOpenResult, NativeSaveResult } from './bridge.ts';
import { isSecretFileName } from './native-files.ts';

export async function saveChosenFile(path: string, data: Uint8Array): Promise<NativeSaveResult> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fh: FileHandle | undefined;
  try {
    fh = await open(tmp, 'wx', isSecretFileName(path) ? 0o600 : 0o644);
    await fh.writeFile(data);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, path);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    return { kind: 'failed', message: `${basename(path)} was not saved: ${e instanceof Error ? e.message : String(e)}` };
  }
  const d = await open(dir, 'r').catch(() => undefined);
  await d?.sync().catch(() => undefined); // not supported everywhere (Windows); the rename is atomic anyway
  await d?.close().catch(() => undefined);
  return { kind: 'saved', name: basename(path) };
}

export async function readChosenFile(path: string, maxBytes: number): Promise<NativeOpenResult> {
  try {
    const st = await stat(path);
    if (!st.isFile()) return { kind: 'failed', reason: 'unreadable' };
    if (st.size > maxBytes) return { kind: 'failed', reason: 'too-large' };
    const fh = await open(path, 'r');
    let bytes: Uint8Array;
    try {
      bytes = await fh.readFile();
    } finally {
      await fh.close();
    }
    if (bytes.length > maxBytes) return { kind: 'failed', reason: 'too-large' }; // grew meanwhile
    return { kind: 'opened', name: basename(path), text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { kind: 'failed', reason: 'unreadable' };
  }
}
