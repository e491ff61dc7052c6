/** Every file the store refuses gets a clear error, and stays byte for byte as it was. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../crypto/index.ts';
import { type StoreErrorCode, StoreError, initNodeDatabase, openNodeStore, storeFiles } from './index.node.ts';
import { encodeJournalHeader } from './journal-format.ts';
import { APPLICATION_ID, MIGRATIONS, type Migration, SCHEMA_VERSION } from './schema.ts';
import { loadSqlJs } from './sqljs.node.ts';

const key = new Uint8Array(32).fill(1);
let dir: string;
let path: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'offset-store-err-')); path = join(dir, 'node.db'); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

function snapshotFiles(): Map<string, Buffer | undefined> {
  const f = storeFiles(path);
  return new Map([f.db, f.journal].map((p) => [p, existsSync(p) ? readFileSync(p) : undefined]));
}

async function expectRefused(code: StoreErrorCode, pattern: RegExp, publicKey = key, extra = {}): Promise<void> {
  const before = snapshotFiles();
  const e = await openNodeStore(path, { publicKey, ...extra }).then(
    async (s) => { await s.close(); return undefined; },
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(StoreError);
  expect((e as StoreError).code).toBe(code);
  expect((e as StoreError).message).toMatch(pattern);
  expect(snapshotFiles()).toEqual(before);
  expect(existsSync(storeFiles(path).lock)).toBe(false); // the lock is released after a refusal
}

async function sqliteFile(setup: (db: import('sql.js').Database) => void): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try { setup(db); return db.export(); } finally { db.close(); }
}

describe('openNodeStore refuses', () => {
  it('a missing database', async () => {
    await expectRefused('not-found', /no node database at .*node\.db/);
  });

  it('a database in a directory that does not exist', async () => {
    const e = await openNodeStore(join(dir, 'nope', 'node.db'), { publicKey: key }).catch((x: unknown) => x);
    expect((e as StoreError).code).toBe('not-found');
    expect((e as StoreError).message).toMatch(/directory does not exist/);
  });

  it('a database of another identity', async () => {
    await initNodeDatabase(path, key);
    await expectRefused('identity-mismatch', /belongs to node 0101.*not to 0202/, new Uint8Array(32).fill(2));
  });

  it('a file of random bytes', async () => {
    writeFileSync(path, seededRandom(3)(8192));
    await expectRefused('not-a-database', /is not a node database/);
  });

  it('an empty file', async () => {
    writeFileSync(path, '');
    await expectRefused('not-a-database', /is not a node database/);
  });

  it.each([
    ['by one page', (n: number) => n - 4096],
    ['to its header', () => 100],
    ['mid-page', (n: number) => n - 1000],
  ])('a node database truncated %s', async (_name, cut) => {
    await initNodeDatabase(path, key);
    const s = await openNodeStore(path, { publicKey: key });
    await s.appendHistory(Array.from({ length: 300 }, (_, i) => ({ id: `r${i}`, kind: 'payment', time: i, currency: 'FST', amount: 1n, state: 'ok', data: new Uint8Array(100) })));
    await s.close();
    const whole = readFileSync(path);
    writeFileSync(path, whole.subarray(0, cut(whole.length)));
    await expectRefused('corrupt', /is damaged/);
  });

  it('a node database with a damaged page', async () => {
    await initNodeDatabase(path, key);
    const s = await openNodeStore(path, { publicKey: key });
    await s.appendHistory(Array.from({ length: 300 }, (_, i) => ({ id: `r${i}`, kind: 'payment', time: i, currency: 'FST', amount: 1n, state: 'ok', data: new Uint8Array(100) })));
    await s.close();
    const b = readFileSync(path);
    b.fill(0x5a, 4096 * 3, 4096 * 3 + 200); // scribble over the start of a b-tree page
    writeFileSync(path, b);
    await expectRefused('corrupt', /is damaged/);
  });

  it('an SQLite database without our schema', async () => {
    writeFileSync(path, await sqliteFile((db) => db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)')));
    await expectRefused('foreign-database', /not an Offset node database/);
  });

  it('an SQLite database with our application id but no identity record', async () => {
    writeFileSync(path, await sqliteFile((db) => {
      db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
      db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value NOT NULL) WITHOUT ROWID');
    }));
    await expectRefused('foreign-database', /lacks the identity record/);
  });

  it('a database from a newer version of the program', async () => {
    await initNodeDatabase(path, key);
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(path));
    db.run("UPDATE meta SET value = 99 WHERE key = 'schema_version'");
    writeFileSync(path, db.export());
    db.close();
    await expectRefused('newer-schema', /schema version 99, newer than this program's/);
  });

  it('a journal that belongs to another database', async () => {
    await initNodeDatabase(path, key);
    writeFileSync(storeFiles(path).journal, encodeJournalHeader(new Uint8Array(16).fill(9), 1));
    await expectRefused('journal-foreign', /belongs to another database/);
  });

  it('a journal from a generation ahead of the database', async () => {
    await initNodeDatabase(path, key);
    const j = readFileSync(storeFiles(path).journal);
    const dbId = j.subarray(8, 24);
    writeFileSync(storeFiles(path).journal, encodeJournalHeader(dbId, 3));
    await expectRefused('journal-corrupt', /do not fit the database \(generation 1\): .*node\.db\.oflog is at generation 3/);
  });

  it('a journal damaged before its last record', async () => {
    await initNodeDatabase(path, key);
    const s = await openNodeStore(path, { publicKey: key });
    for (let i = 0; i < 3; i++) await s.append([new Uint8Array(50).fill(i)]);
    const j = readFileSync(storeFiles(path).journal);
    await s.close(); // checkpoints; put the journal back as it was, then damage it
    const fresh = readFileSync(storeFiles(path).journal);
    expect(fresh.length).toBe(36);
    const dbGenJournal = Buffer.from(j);
    // the closed store moved to the next generation: rebuild the same frames under it
    dbGenJournal.set(fresh.subarray(0, 36), 0);
    dbGenJournal[36 + 12 + 20] = (dbGenJournal[36 + 12 + 20] as number) ^ 1; // a payload byte of the first of three frames
    writeFileSync(storeFiles(path).journal, dbGenJournal);
    await expectRefused('journal-corrupt', /frame checksum mismatch at offset 36/);
  });
});

describe('migrations', () => {
  const next = SCHEMA_VERSION + 1;
  const v2: Migration = { version: next, description: 'test column', up: (db) => db.exec('ALTER TABLE history ADD COLUMN note TEXT') };
  const failing: Migration = { version: next, description: 'fails halfway', up: (db) => { db.exec('CREATE TABLE half (x)'); throw new Error('boom'); } };

  it('run in order on open and are persisted', async () => {
    await initNodeDatabase(path, key);
    const s = await openNodeStore(path, { publicKey: key, migrations: [...MIGRATIONS, v2] });
    await s.close();
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(path));
    expect(db.exec("SELECT value FROM meta WHERE key = 'schema_version'")[0]?.values[0]?.[0]).toBe(next);
    expect(db.exec("SELECT name FROM pragma_table_info('history') WHERE name = 'note'")[0]?.values).toEqual([['note']]);
    db.close();
  });

  it('that fail leave the file unchanged and the database closed', async () => {
    await initNodeDatabase(path, key);
    const before = snapshotFiles();
    await expect(openNodeStore(path, { publicKey: key, migrations: [...MIGRATIONS, failing] })).rejects.toThrow('boom');
    expect(snapshotFiles()).toEqual(before);
    const s = await openNodeStore(path, { publicKey: key });
    await s.close();
  });

  it('refuse a gap in the version sequence', async () => {
    await initNodeDatabase(path, key);
    await expect(openNodeStore(path, { publicKey: key, migrations: [...MIGRATIONS, { ...v2, version: next + 1 }] })).rejects.toThrow(/does not follow/);
  });
});
