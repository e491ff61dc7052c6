/** Creating a node database bound to an identity (the stmgr init-node-db command). */
import { lstat, unlink } from 'node:fs/promises';
import { createFileExclusive, isCode, replaceFile } from './atomic-file.node.ts';
import { StoreError } from './errors.ts';
import { encodeJournalHeader } from './journal-format.ts';
import { acquireLock } from './lock.node.ts';
import { checkPublicKey } from './public-key.ts';
import { createSchema } from './schema.ts';
import { loadSqlJs } from './sqljs.node.ts';
import { storeFiles } from './store-files.ts';

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if (isCode(e, 'ENOENT')) return false;
    return true;
  }
}

/** Creates a new node database at `path`, bound to the identity `publicKey`. Refuses (StoreError
 *  'already-exists') to touch an existing file. */
export async function initNodeDatabase(
  path: string,
  publicKey: Uint8Array,
  opts: { readonly random?: (n: number) => Uint8Array } = {},
): Promise<void> {
  checkPublicKey(publicKey);
  const files = storeFiles(path);
  const SQL = await loadSqlJs();
  const lock = await acquireLock(files.lock, `node database ${path}`);
  try {
    if (await exists(path)) throw new StoreError('already-exists', `${path} already exists; refusing to overwrite it`, path);
    const dbId = opts.random?.(16) ?? globalThis.crypto.getRandomValues(new Uint8Array(16));
    const db = new SQL.Database();
    let image: Uint8Array;
    try {
      createSchema(db, publicKey, dbId);
      image = db.export();
    } finally {
      db.close();
    }
    // the journal first: a crash in between leaves no database beside a foreign journal; a
    // second journal can only be an orphan of a database that was deleted
    await replaceFile(files.journal, files.journalTmp, encodeJournalHeader(dbId, 1));
    await unlink(files.journalNext).catch(() => undefined);
    if (!(await createFileExclusive(path, files.initTmp, image))) {
      throw new StoreError('already-exists', `${path} already exists; refusing to overwrite it`, path);
    }
  } finally {
    await lock.release();
  }
}
