/** The durable node store (docs/store.md): a complete sql.js database file written only at
 *  checkpoints, and between checkpoints an fsynced append-only journal with group commit, so the
 *  cost of one event does not grow with the database (bench figure store.event_cost_ratio_1m_1k). */
import { constants } from 'node:fs';
import { type FileHandle, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Database, SqlJsStatic, Statement } from 'sql.js';
import { fsyncDir, isCode, replaceFile } from './atomic-file.node.ts';
import { type CheckpointPolicy, DEFAULT_CHECKPOINT_POLICY, dueThresholdBytes } from './checkpoint-policy.ts';
import { StoreError } from './errors.ts';
import {
  type HistoryQuery, type HistoryRow, SELECT_HISTORY_ROW_SQL, UPSERT_HISTORY_SQL, checkHistoryRow, countHistoryRows, historyParams, historyRowById,
  queryHistoryRows,
} from './history.ts';
import {
  JOURNAL_HEADER_SIZE, type JournalEvent, MAX_RECORD_SIZE, encodeFrame, encodeJournalHeader, parseJournal,
} from './journal-format.ts';
import { type ReadJournal, liveJournals } from './journal-select.ts';
import { type LockHandle, acquireLock } from './lock.node.ts';
import { checkPublicKey, equalBytes, hex } from './public-key.ts';
import { type Migration, MIGRATIONS, migrate, readMeta, setGeneration } from './schema.ts';
import { checkSqliteImage } from './sqlite-image.ts';
import { loadSqlJs } from './sqljs.node.ts';
import { type StoreFiles, storeFiles } from './store-files.ts';

export type JournalSync = 'o-dsync' | 'fdatasync';
/** O_DSYNC where the platform defines it (Linux, macOS; not Windows). */
const O_DSYNC: number | undefined = (constants as { O_DSYNC?: number }).O_DSYNC;

/** Minimal clock (the store may not import net/): milliseconds. */
export interface StoreClock {
  now(): number;
}

export interface OpenOptions {
  readonly publicKey: Uint8Array;
  readonly clock?: StoreClock;
  readonly checkpoint?: CheckpointPolicy;
  /** How a journal append is made durable: 'o-dsync' (default where the platform has O_DSYNC:
   *  the journal is opened with it, each write returns once its data is on disk, one system call
   *  per group commit) or 'fdatasync' (a write, then fdatasync; the fallback elsewhere). */
  readonly journalSync?: JournalSync;
  /** For tests of the migration runner. */
  readonly migrations?: readonly Migration[];
}

export interface StoreStats {
  readonly generation: number;
  readonly dbBytes: number;
  readonly journalBytes: number;
  readonly journalRecords: number;
  readonly checkpoints: number;
  readonly flushes: number;
  /** How appends are made durable (OpenOptions.journalSync, after the platform fallback). */
  readonly journalSync: JournalSync;
}

export interface NodeStore {
  readonly path: string;
  readonly publicKey: Uint8Array;
  /** The named component snapshot (e.g. 'funder', 'index-client', 'config') as of the last
   *  checkpoint that wrote it; undefined if none was ever written. */
  snapshot(name: string): Uint8Array | undefined;
  /** The records appended after the last snapshot-carrying checkpoint, in order, as found at
   *  open: the node applies them to the snapshots to rebuild its state. */
  readonly replay: readonly Uint8Array[];
  /** Durably appends one event's records (and history rows) as one unit; resolves after fsync.
   *  Write-ahead: await this before any resulting message leaves. Concurrent calls share one
   *  write and one fsync (group commit). */
  append(records: readonly Uint8Array[], history?: readonly HistoryRow[]): Promise<void>;
  appendHistory(rows: readonly HistoryRow[]): Promise<void>;
  /** Durable history rows (appended and acknowledged), newest first unless `order: 'asc'`. */
  queryHistory(q?: HistoryQuery): HistoryRow[];
  countHistory(q?: Omit<HistoryQuery, 'after' | 'limit' | 'order'>): number;
  /** One durable history row by id. */
  historyRow(id: string): HistoryRow | undefined;
  /** True when the journal has grown past the checkpoint policy: call checkpoint() with fresh
   *  snapshots at the next quiet moment. */
  readonly checkpointDue: boolean;
  /** Folds the journal into the database: with `snapshots`, they replace the named snapshots and
   *  every record appended before this call is dropped (the snapshots must already reflect them,
   *  for every component that appends records); without, the records are kept for replay.
   *  Resolves once appends can go on (the in-memory export and a journal rotation); the database
   *  file is then written atomically in the background (settled(), close() and the next
   *  checkpoint wait for it). Either way nothing acknowledged can be lost. */
  checkpoint(snapshots?: ReadonlyMap<string, Uint8Array>): Promise<void>;
  /** Resolves when every write issued so far is done, the database file of the last checkpoint
   *  included; rejects with StoreError('failed') if one failed. */
  settled(): Promise<void>;
  stats(): StoreStats;
  /** Flushes, checkpoints (with `snapshots` if given) and releases the lock. Idempotent. */
  close(snapshots?: ReadonlyMap<string, Uint8Array>): Promise<void>;
}

/** Opens the node database at `path` for `publicKey` (see NodeStore). Errors are StoreError with
 *  a code; a rejected file is left exactly as it was. */
export async function openNodeStore(path: string, opts: OpenOptions): Promise<NodeStore> {
  checkPublicKey(opts.publicKey);
  const files = storeFiles(path);
  const SQL = await loadSqlJs();
  const lock = await acquireLock(files.lock, `node database ${path}`).catch((e: unknown) => {
    if (isCode(e, 'ENOENT')) throw new StoreError('not-found', `no node database at ${path} (its directory does not exist)`, path);
    throw e;
  });
  let db: Database | undefined;
  try {
    let image: Uint8Array;
    try {
      image = await readFile(path);
    } catch (e) {
      if (isCode(e, 'ENOENT')) throw new StoreError('not-found', `no node database at ${path} (create one with stmgr init-node-db)`, path);
      throw e;
    }
    db = loadImage(SQL, image, path);
    const meta = readMeta(db, path);
    if (!equalBytes(meta.publicKey, opts.publicKey)) {
      throw new StoreError(
        'identity-mismatch',
        `${path} belongs to node ${hex(meta.publicKey)}, not to ${hex(opts.publicKey)}; wrong identity or wrong database`,
        path,
      );
    }
    const migrations = opts.migrations ?? MIGRATIONS;
    const latest = migrations.length === 0 ? 0 : (migrations[migrations.length - 1] as Migration).version;
    if (meta.schemaVersion > latest) {
      throw new StoreError(
        'newer-schema',
        `${path} has schema version ${meta.schemaVersion}, newer than this program's ${latest}; upgrade the program`,
        path,
      );
    }
    const migrated = meta.schemaVersion < latest;
    if (migrated) migrate(db, meta.schemaVersion, migrations);

    // the journals: see docs/store.md §Journal for the crash states this accepts
    const j1 = await readJournal(files.journal);
    const j2 = await readJournal(files.journalNext);
    for (const [file, j] of [[files.journal, j1], [files.journalNext, j2]] as const) {
      if (j !== undefined && !equalBytes(j.dbId, meta.dbId)) {
        throw new StoreError('journal-foreign', `journal ${file} belongs to another database; refusing to open (move it away if ${path} is right)`, file);
      }
    }
    const live = liveJournals(meta.generation, j1, j2, files);
    const events = live.flatMap((j) => j.events);
    const generation = Math.max(meta.generation, ...live.map((j) => j.generation));
    const clean = !migrated && j2 === undefined && j1 !== undefined && j1.generation === meta.generation &&
      j1.events.length === 0 && j1.tornBytes === 0;

    const replay: Uint8Array[] = [];
    for (const row of db.exec('SELECT data FROM pending_record ORDER BY seq')[0]?.values ?? []) replay.push(row[0] as Uint8Array);
    const journalRecords: Uint8Array[] = [];
    applyHistory(db, events.flatMap((e) => e.history));
    for (const e of events) for (const r of e.records) { replay.push(r); journalRecords.push(r); }

    for (const tmp of [files.checkpointTmp, files.journalTmp, files.initTmp]) await unlink(tmp).catch(() => undefined);

    const store = new SqlNodeStore(path, files, opts, db, lock, meta.dbId, generation, image.length, replay, journalRecords);
    if (clean) await store.openJournal(files.journal, j1.size);
    else await store.foldAtOpen();
    return store;
  } catch (e) {
    db?.close();
    await lock.release();
    throw e;
  }
}

async function readJournal(file: string): Promise<ReadJournal | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    if (isCode(e, 'ENOENT')) return undefined;
    throw e;
  }
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength); // plain views, not Buffers
  return { ...parseJournal(bytes, file), size: bytes.length };
}

function loadImage(SQL: SqlJsStatic, image: Uint8Array, path: string): Database {
  const problem = checkSqliteImage(image);
  if (problem?.kind === 'not-sqlite') throw new StoreError('not-a-database', `${path} is not a node database (${problem.detail})`, path);
  if (problem?.kind === 'truncated') throw new StoreError('corrupt', `${path} is damaged: ${problem.detail}`, path);
  let db: Database | undefined;
  try {
    db = new SQL.Database(image);
    const check = db.exec('PRAGMA quick_check')[0]?.values.map((r) => String(r[0])) ?? [];
    if (check.length !== 1 || check[0] !== 'ok') throw new Error(check.slice(0, 3).join('; '));
    return db;
  } catch (e) {
    db?.close();
    throw new StoreError('corrupt', `${path} is damaged: ${e instanceof Error ? e.message : String(e)}`, path, { cause: e });
  }
}

/** Upserts `rows` in one transaction (a single row needs none: one statement is atomic). The
 *  statement is prepared once per store (`stmt`), or per call when none is given. */
function applyHistory(db: Database, rows: readonly HistoryRow[], stmt?: Statement): void {
  if (rows.length === 0) return;
  const own = stmt === undefined;
  const st = stmt ?? db.prepare(UPSERT_HISTORY_SQL);
  const many = rows.length > 1;
  try {
    if (many) db.exec('BEGIN');
    try {
      for (const r of rows) st.run(historyParams(r));
      if (many) db.exec('COMMIT');
    } catch (e) {
      st.reset();
      if (many) db.exec('ROLLBACK');
      throw e;
    }
  } finally {
    if (own) st.free();
  }
}

interface Batch {
  readonly events: JournalEvent[];
  readonly waiters: { resolve(): void; reject(e: unknown): void }[];
}

class SqlNodeStore implements NodeStore {
  readonly publicKey: Uint8Array;
  private readonly policy: Required<CheckpointPolicy>;
  private readonly clock: StoreClock;
  private journal: FileHandle | undefined;
  private journalSize = JOURNAL_HEADER_SIZE;
  private oldestUnfoldedAt: number | undefined;
  private tail: Promise<void> = Promise.resolve();
  private queued: Batch | undefined;
  private failure: StoreError | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** The file part of the last checkpoint; never rejects (a failure lands in `failure`). */
  private background: Promise<void> = Promise.resolve();
  private checkpoints = 0;
  private flushes = 0;
  private readonly journalSync: JournalSync;
  /** The history upsert, prepared at the first flush that has rows (sql.js 1.16 keeps prepared
   *  statements across export(); db.close() frees it). */
  private upsertHistory: Statement | undefined;
  private selectHistoryRow: Statement | undefined;

  constructor(
    readonly path: string,
    private readonly files: StoreFiles,
    opts: OpenOptions,
    private readonly db: Database,
    private readonly lock: LockHandle,
    private readonly dbId: Uint8Array,
    private generation: number,
    private dbBytes: number,
    readonly replay: readonly Uint8Array[],
    /** Records in the journal, not yet in the database's pending_record table. */
    private unfolded: Uint8Array[],
  ) {
    this.publicKey = opts.publicKey.slice();
    this.policy = { ...DEFAULT_CHECKPOINT_POLICY, ...opts.checkpoint };
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.journalSync = opts.journalSync === 'fdatasync' || O_DSYNC === undefined ? 'fdatasync' : 'o-dsync';
    if (unfolded.length > 0) this.oldestUnfoldedAt = this.clock.now();
  }

  async openJournal(file: string, size: number): Promise<void> {
    this.journal = await open(file, this.journalSync === 'o-dsync' ? constants.O_RDWR | (O_DSYNC as number) : 'r+');
    this.journalSize = size;
  }

  snapshot(name: string): Uint8Array | undefined {
    this.usable();
    const v = this.db.exec('SELECT data FROM snapshot WHERE name = ?', [name])[0]?.values[0]?.[0];
    return v instanceof Uint8Array ? v : undefined;
  }

  append(records: readonly Uint8Array[], history: readonly HistoryRow[] = []): Promise<void> {
    try {
      this.usable();
      if (!Array.isArray(records)) throw new TypeError('records: array expected');
      for (const r of records) {
        if (!(r instanceof Uint8Array)) throw new TypeError('records: Uint8Array expected');
        if (r.length > MAX_RECORD_SIZE) throw new RangeError(`record too large: ${r.length} bytes`);
      }
      for (const h of history) checkHistoryRow(h);
    } catch (e) {
      return Promise.reject(e);
    }
    const event: JournalEvent = { records: records.map((r) => r.slice()), history: history.slice() };
    return new Promise<void>((resolve, reject) => {
      let batch = this.queued;
      if (batch === undefined) {
        const fresh: Batch = { events: [], waiters: [] };
        batch = this.queued = fresh;
        void this.exclusive(() => this.flush(fresh));
      }
      batch.events.push(event);
      batch.waiters.push({ resolve, reject });
    });
  }

  appendHistory(rows: readonly HistoryRow[]): Promise<void> {
    return this.append([], rows);
  }

  queryHistory(q: HistoryQuery = {}): HistoryRow[] {
    this.usable();
    return queryHistoryRows(this.db, q);
  }

  countHistory(q: Omit<HistoryQuery, 'after' | 'limit' | 'order'> = {}): number {
    this.usable();
    return countHistoryRows(this.db, q);
  }

  historyRow(id: string): HistoryRow | undefined {
    this.usable();
    return historyRowById(this.db, id, this.selectHistoryRow ??= this.db.prepare(SELECT_HISTORY_ROW_SQL));
  }

  get checkpointDue(): boolean {
    return this.dueFactor() >= 1;
  }

  /** How far past the due threshold the journal is (>= 1: due). */
  private dueFactor(): number {
    const p = this.policy;
    const bytes = (this.journalSize - JOURNAL_HEADER_SIZE) / dueThresholdBytes(p, this.dbBytes);
    const records = this.unfolded.length / p.maxRecords;
    const age = this.oldestUnfoldedAt === undefined ? 0 : (this.clock.now() - this.oldestUnfoldedAt) / p.maxAgeMs;
    return Math.max(bytes, records, age);
  }

  checkpoint(snapshots?: ReadonlyMap<string, Uint8Array>): Promise<void> {
    try {
      this.usable();
      if (snapshots !== undefined) {
        for (const [name, data] of snapshots) {
          if (typeof name !== 'string' || name.length === 0 || name.length > 64) throw new RangeError('snapshot name: 1..64 characters expected');
          if (!(data instanceof Uint8Array)) throw new TypeError(`snapshot ${name}: Uint8Array expected`);
        }
      }
    } catch (e) {
      return Promise.reject(e);
    }
    return this.checkpointNow(snapshots);
  }

  /** Resolves once the checkpoint has taken effect (appends after it go to the new journal);
   *  the database file is written in the background: see settled(). */
  private checkpointNow(snapshots?: ReadonlyMap<string, Uint8Array>): Promise<void> {
    // appends from here on form a new batch, flushed after the rotation: a batch still waiting
    // would otherwise take them into this checkpoint, whose snapshots do not reflect them
    this.queued = undefined;
    const copy = snapshots === undefined ? undefined : new Map(Array.from(snapshots, ([k, v]) => [k, v.slice()] as const));
    return this.exclusive(() => this.rotate(copy));
  }

  async settled(): Promise<void> {
    await this.tail;
    await this.background;
    if (this.failure !== undefined) throw this.failure;
  }

  stats(): StoreStats {
    return {
      generation: this.generation,
      dbBytes: this.dbBytes,
      journalBytes: this.journalSize,
      journalRecords: this.unfolded.length,
      checkpoints: this.checkpoints,
      flushes: this.flushes,
      journalSync: this.journalSync,
    };
  }

  close(snapshots?: ReadonlyMap<string, Uint8Array>): Promise<void> {
    this.closing ??= (async () => {
      let error: unknown;
      try {
        if (this.failure === undefined) {
          const dirty = snapshots !== undefined || this.journalSize > JOURNAL_HEADER_SIZE || this.queued !== undefined;
          if (dirty) await this.checkpointNow(snapshots);
          await this.settled();
        }
      } catch (e) {
        error = e;
      }
      this.closed = true;
      await this.background;
      await this.journal?.close().catch(() => undefined);
      this.journal = undefined;
      this.db.close();
      await this.lock.release();
      if (error !== undefined) throw error;
    })();
    return this.closing;
  }

  private usable(): void {
    if (this.closed || this.closing !== undefined) throw new StoreError('closed', `node database ${this.path} is closed`, this.path);
    if (this.failure !== undefined) throw this.failure;
  }

  /** Runs write operations one at a time, in call order. */
  private exclusive(op: () => Promise<void>): Promise<void> {
    const run = this.tail.then(op);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private fail(what: string, e: unknown): StoreError {
    this.failure ??= new StoreError(
      'failed',
      `node database ${this.path}: ${what} failed (${e instanceof Error ? e.message : String(e)}); reopen the database`,
      this.path,
      { cause: e },
    );
    return this.failure;
  }

  private async flush(batch: Batch): Promise<void> {
    if (this.queued === batch) this.queued = undefined;
    try {
      if (this.failure !== undefined) throw this.failure;
      const journal = this.journal;
      if (journal === undefined) throw new StoreError('closed', `node database ${this.path} is closed`, this.path);
      const frame = encodeFrame(batch.events);
      try {
        let done = 0;
        while (done < frame.length) {
          const { bytesWritten } = await journal.write(frame, done, frame.length - done, this.journalSize + done);
          done += bytesWritten;
        }
        if (this.journalSync === 'fdatasync') await journal.datasync();
      } catch (e) {
        throw this.fail('journal write', e);
      }
      this.journalSize += frame.length;
      this.flushes++;
      // durable: now visible
      try {
        applyHistory(this.db, batch.events.flatMap((e) => e.history), this.upsertHistory ??= this.db.prepare(UPSERT_HISTORY_SQL));
      } catch (e) {
        throw this.fail('history update', e);
      }
      if (this.oldestUnfoldedAt === undefined) this.oldestUnfoldedAt = this.clock.now();
      for (const e of batch.events) for (const r of e.records) this.unfolded.push(r);
      for (const w of batch.waiters) w.resolve();
    } catch (e) {
      for (const w of batch.waiters) w.reject(e);
      return;
    }
    if (this.dueFactor() >= this.policy.autoFoldFactor) await this.rotate(undefined).catch(() => undefined);
  }

  /** Step 1 of every checkpoint, in memory: the new snapshots, or the journal's records moved
   *  into pending_record; the next generation. Returns the database image. */
  private prepare(snapshots: ReadonlyMap<string, Uint8Array> | undefined, next: number): Uint8Array {
    const db = this.db;
    try {
      db.exec('BEGIN');
      try {
        if (snapshots !== undefined) {
          const put = db.prepare('INSERT OR REPLACE INTO snapshot (name, data) VALUES (?, ?)');
          try {
            for (const [name, data] of snapshots) put.run([name, data]);
          } finally {
            put.free();
          }
          db.exec('DELETE FROM pending_record');
        } else if (this.unfolded.length > 0) {
          const put = db.prepare('INSERT INTO pending_record (data) VALUES (?)');
          try {
            for (const r of this.unfolded) put.run([r]);
          } finally {
            put.free();
          }
        }
        setGeneration(db, next);
        db.exec('COMMIT');
      } catch (e) {
        db.exec('ROLLBACK');
        throw e;
      }
      return db.export();
    } catch (e) {
      throw this.fail('checkpoint', e);
    }
  }

  private advanced(next: number, image: Uint8Array): void {
    this.generation = next;
    this.dbBytes = image.length;
    this.unfolded = [];
    this.oldestUnfoldedAt = undefined;
    this.checkpoints++;
  }

  /** A checkpoint that lets appends go on while the database file is written: appends move to a
   *  new journal (`.oflog.next`, generation + 1) first; the database file is then replaced in
   *  the background, and the new journal renamed over the old one. Every crash state in between
   *  opens correctly (liveJournals). Runs inside exclusive(). */
  private async rotate(snapshots: ReadonlyMap<string, Uint8Array> | undefined): Promise<void> {
    await this.background; // one checkpoint file write at a time: `.oflog.next` must be free
    if (this.failure !== undefined) throw this.failure;
    const next = this.generation + 1;
    const image = this.prepare(snapshots, next);
    // from here the in-memory database is at `next`; on failure the files stay a consistent
    // earlier state and this store refuses further writes
    try {
      await replaceFile(this.files.journalNext, this.files.journalTmp, encodeJournalHeader(this.dbId, next));
      await this.journal?.close();
      this.journal = undefined;
      await this.openJournal(this.files.journalNext, JOURNAL_HEADER_SIZE);
    } catch (e) {
      throw this.fail('checkpoint', e);
    }
    this.advanced(next, image);
    this.background = (async () => {
      await replaceFile(this.files.db, this.files.checkpointTmp, image);
      await rename(this.files.journalNext, this.files.journal);
      await fsyncDir(dirname(this.files.journal));
    })().then(undefined, (e: unknown) => { this.fail('checkpoint', e); });
  }

  /** The checkpoint that ends an open that found anything to fold (records, a torn tail, a stale,
   *  missing or second journal, a migration): the database file first, then one fresh journal.
   *  A crash in between leaves journals of older generations only: stale. */
  async foldAtOpen(): Promise<void> {
    const next = this.generation + 1;
    const image = this.prepare(undefined, next);
    await replaceFile(this.files.db, this.files.checkpointTmp, image);
    await replaceFile(this.files.journal, this.files.journalTmp, encodeJournalHeader(this.dbId, next));
    try {
      await unlink(this.files.journalNext);
    } catch (e) {
      if (!isCode(e, 'ENOENT')) throw e;
    }
    await fsyncDir(dirname(this.files.journal));
    await this.openJournal(this.files.journal, JOURNAL_HEADER_SIZE);
    this.advanced(next, image);
  }
}
