/** Store errors: one class, a string-literal code to branch on (STYLE §5), a message for humans. */

export type StoreErrorCode =
  | 'not-found' // no database file at the path
  | 'already-exists' // initNodeDatabase refuses to overwrite
  | 'locked' // another live process holds the lock file
  | 'not-a-database' // not an SQLite file at all
  | 'corrupt' // an SQLite file that is truncated or damaged
  | 'foreign-database' // a valid SQLite file without our schema
  | 'identity-mismatch' // bound to another public key
  | 'newer-schema' // written by a newer version of this program
  | 'journal-corrupt' // a damaged journal record before the end, or a bad journal header
  | 'journal-foreign' // a journal that belongs to another database
  | 'closed' // the store was closed
  | 'failed'; // an earlier I/O failure: the store refuses further writes (reopen it)

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
