/** The node database schema and its migrations (docs/store.md). Each migration runs inside one
 *  transaction together with the bump of `meta.schema_version`, in version order. */
import type { Database } from 'sql.js';
import { StoreError } from './errors.ts';

/** PRAGMA application_id of a node database: 'OFND'. Tells our files from other SQLite files. */
export const APPLICATION_ID = 0x4f464e44;
export const MAGIC = 'offset-desktop/node-db';

export interface Migration {
  readonly version: number;
  readonly description: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'meta, component snapshots, pending records, history',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value NOT NULL) WITHOUT ROWID;
        CREATE TABLE snapshot (name TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE pending_record (seq INTEGER PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE history (
          id TEXT PRIMARY KEY NOT NULL,
          kind TEXT NOT NULL,
          time INTEGER NOT NULL,
          currency TEXT NOT NULL,
          amount TEXT NOT NULL,
          counterpart TEXT,
          state TEXT NOT NULL,
          data BLOB NOT NULL
        );
        CREATE INDEX history_time ON history (time, id);
        CREATE INDEX history_counterpart_time ON history (counterpart, time, id);
      `);
    },
  },
  {
    version: 2,
    description: 'history.via: the friends that delivered an incoming payment, and how much each',
    up(db) {
      db.exec("ALTER TABLE history ADD COLUMN via TEXT NOT NULL DEFAULT ''");
    },
  },
];

export const SCHEMA_VERSION = (MIGRATIONS[MIGRATIONS.length - 1] as Migration).version;

/** Runs every migration above `from` in order, each in its own transaction with the version bump.
 *  Returns the new version. A failing migration rolls back and throws (the file is untouched:
 *  migrations only change the in-memory database, which is written at the next checkpoint). */
export function migrate(db: Database, from: number, migrations: readonly Migration[] = MIGRATIONS): number {
  let version = from;
  for (const m of migrations) {
    if (m.version <= version) continue;
    if (m.version !== version + 1) throw new RangeError(`migration ${m.version} does not follow ${version}`);
    db.exec('BEGIN');
    try {
      m.up(db);
      db.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', ['schema_version', m.version]);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
    version = m.version;
  }
  return version;
}

export interface Meta {
  readonly publicKey: Uint8Array;
  /** Random at creation; binds the journal file to this database. */
  readonly dbId: Uint8Array;
  readonly schemaVersion: number;
  /** Bumped at every checkpoint; the journal carries the generation it extends. */
  readonly generation: number;
}

/** Reads and checks the identity of a loaded database. Throws StoreError for foreign files. */
export function readMeta(db: Database, path: string): Meta {
  const appId = db.exec('PRAGMA application_id')[0]?.values[0]?.[0];
  if (appId !== APPLICATION_ID) {
    throw new StoreError('foreign-database', `${path} is an SQLite database but not an Offset node database`, path);
  }
  const rows = db.exec('SELECT key, value FROM meta')[0]?.values ?? [];
  const m = new Map(rows.map((r) => [r[0] as string, r[1]]));
  const magic = m.get('magic');
  const publicKey = m.get('public_key');
  const dbId = m.get('db_id');
  const schemaVersion = m.get('schema_version');
  const generation = m.get('generation');
  if (
    magic !== MAGIC ||
    !(publicKey instanceof Uint8Array) || publicKey.length !== 32 ||
    !(dbId instanceof Uint8Array) || dbId.length !== 16 ||
    typeof schemaVersion !== 'number' || !Number.isSafeInteger(schemaVersion) || schemaVersion < 1 ||
    typeof generation !== 'number' || !Number.isSafeInteger(generation) || generation < 1
  ) {
    throw new StoreError('foreign-database', `${path} lacks the identity record of an Offset node database`, path);
  }
  return { publicKey, dbId, schemaVersion, generation };
}

/** A new database at the current schema, bound to `publicKey`. */
export function createSchema(db: Database, publicKey: Uint8Array, dbId: Uint8Array): void {
  db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
  migrate(db, 0);
  db.run('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?), (?, ?), (?, ?)', [
    'magic', MAGIC, 'public_key', publicKey, 'db_id', dbId, 'generation', 1,
  ]);
}

export function setGeneration(db: Database, generation: number): void {
  db.run('UPDATE meta SET value = ? WHERE key = ?', [generation, 'generation']);
}
