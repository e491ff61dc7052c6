/** Loads and durably saves the vault file: temp file, fsync, rename, fsync the directory, so the
 *  file on disk is always a complete old or new vault (ARCHITECTURE §4). */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeVault, EMPTY_VAULT, encodeVault, type Vault } from './vault-file.ts';

export interface VaultStorage {
  save(vault: Vault): Promise<void>;
}

/** The vault in `path`, or the empty vault when there is no file yet; a damaged file throws
 *  (the host must not start and overwrite it). */
export async function loadVault(path: string): Promise<Vault> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_VAULT;
    throw e;
  }
  const r = decodeVault(text);
  if (!r.ok) throw new Error(`${path}: ${r.error}`);
  return r.value;
}

async function syncPath(path: string, flags: string): Promise<void> {
  const fh = await open(path, flags);
  try {
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR' && code !== 'EBADF') throw e;
  } finally {
    await fh.close();
  }
}

export function fileVaultStorage(path: string): VaultStorage {
  return {
    async save(vault) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const tmp = `${path}.tmp`;
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(encodeVault(vault));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
      await syncPath(dirname(path), 'r').catch(() => undefined); // Windows cannot open a directory
    },
  };
}
