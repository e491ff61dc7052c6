/** The lock file next to a database: keeps a second process (or a second open in this one) out.
 *  It holds the pid of its owner; a lock whose pid is dead is stale and taken over. */
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isCode } from './atomic-file.node.ts';
import { StoreError } from './errors.ts';

export interface LockHandle {
  readonly path: string;
  release(): Promise<void>;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return !isCode(e, 'ESRCH'); // EPERM: alive, owned by someone else
  }
}

async function readPid(path: string): Promise<number | undefined | 'gone'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (isCode(e, 'ENOENT')) return 'gone';
    throw e;
  }
  const m = /^([1-9][0-9]{0,9})\n?$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Locks this process holds: a lock file naming our pid but absent here is from an earlier
 *  process that had our pid (pids repeat across container restarts), so it is stale. */
const heldHere = new Set<string>();

let seq = 0;
const unique = (): string => `${process.pid}.${Date.now().toString(36)}.${seq++}`;

/** Creates `lockPath` holding our pid. Throws StoreError('locked') naming the holder if a live
 *  process has it. The lock file is created complete (temp file + link), never half-written. */
export async function acquireLock(lockPath: string, what: string): Promise<LockHandle> {
  const tmp = `${lockPath}.${unique()}.tmp`;
  await writeFile(tmp, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(tmp, lockPath);
        heldHere.add(resolve(lockPath));
        return handle(lockPath);
      } catch (e) {
        if (!isCode(e, 'EEXIST')) throw e;
      }
      const holder = await readPid(lockPath);
      if (holder === 'gone') continue;
      const ours = holder === process.pid && heldHere.has(resolve(lockPath));
      if (holder !== undefined && (ours || (holder !== process.pid && pidAlive(holder)))) throw lockedError(lockPath, what, holder);
      // stale (dead pid) or unreadable: move it aside, check that it is still the stale one
      const aside = `${lockPath}.stale.${unique()}`;
      try {
        await rename(lockPath, aside);
      } catch (e) {
        if (isCode(e, 'ENOENT')) continue;
        throw e;
      }
      const moved = await readPid(aside);
      if (typeof moved === 'number' && moved !== holder && moved !== process.pid && pidAlive(moved)) {
        // another process took the lock over in between: give it back
        await link(aside, lockPath).catch(() => undefined);
        await unlink(aside).catch(() => undefined);
        throw lockedError(lockPath, what, moved);
      }
      await unlink(aside).catch(() => undefined);
    }
    throw new StoreError('locked', `could not take the lock file ${lockPath} for ${what}: it keeps changing`, lockPath);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

function lockedError(lockPath: string, what: string, pid: number): StoreError {
  return new StoreError(
    'locked',
    `${what} is in use by process ${pid} (lock file ${lockPath}); stop that process first` +
      (pid === process.pid ? ' (it is this process: the database is already open)' : ''),
    lockPath,
  );
}

function handle(path: string): LockHandle {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      heldHere.delete(resolve(path));
      if ((await readPid(path)) === process.pid) await unlink(path).catch(() => undefined);
    },
  };
}
