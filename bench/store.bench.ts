/** store.event_cost_ms.<size>: time to durably persist one funder-sized event (4 records of
 *  200 B + one history row, awaited one at a time as the funder loop does) when the store already
 *  holds <size> history rows, amortized over checkpoints at the default checkpoint policy:
 *
 *    event_cost = mean(append) + median(checkpoint) / events_per_cycle
 *    events_per_cycle = due threshold of the policy (bytes) / journal bytes per event
 *
 *  The append mean is measured over real appends (checkpoint-free stretches), the checkpoint
 *  median over real checkpoints with a 20 KiB funder snapshot, at each size; running whole cycles
 *  instead would take minutes at 1M rows (a cycle there absorbs ~60k events). The sizes run
 *  interleaved in small slices so the (very noisy) fsync latency lands on all of them alike.
 *  store.checkpoint_ms.<size>: export + journal rotation + temp file + fsync + rename + dir fsync.
 *  store.checkpoint_stall_ms.<size>: how long an append issued right behind a checkpoint waits.
 *  --quick: 1k and 100k only (no 1m figures and no ratio), fewer events.
 *  store.ab.journal_o_dsync (x): mean time of one durable append (awaited one at a time) with a
 *  write then fdatasync over the same with the journal opened O_DSYNC (the default), two fresh
 *  stores, slices interleaved; > 1: O_DSYNC is faster. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HistoryRow, type JournalSync, type NodeStore, initNodeDatabase, openNodeStore, storeFiles } from '../src-core/store/index.node.ts';
import { DEFAULT_CHECKPOINT_POLICY, dueThresholdBytes } from '../src-core/store/checkpoint-policy.ts';
import { encodeJournalHeader } from '../src-core/store/journal-format.ts';
import { createSchema } from '../src-core/store/schema.ts';
import { loadSqlJs } from '../src-core/store/sqljs.node.ts';
import { type BenchContext, percentile } from './figure.ts';

const KEY = new Uint8Array(32).fill(0x42);
const COUNTERPART = 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c'; // a base64url public key
const T0 = 1_700_000_000_000;

/** The same shape as the rows buildDatabase generates in SQL. */
function historyRow(n: number): HistoryRow {
  return {
    id: `pay-${String(n).padStart(10, '0')}`,
    kind: n % 5 === 0 ? 'invoice' : 'payment',
    time: T0 + n * 1000,
    currency: 'FST',
    amount: BigInt(1000 + (n % 100_000)) * 1_000_000n,
    counterpart: COUNTERPART,
    state: 'success',
    data: new Uint8Array(24).fill(n & 0xff),
  };
}

/** A node database already holding `rows` history rows, generated inside SQLite in one
 *  statement (binding a million rows from JS takes ~50 s; this takes a few). */
async function buildDatabase(path: string, rows: number): Promise<number> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  const dbId = new Uint8Array(16).fill(rows & 0xff);
  try {
    createSchema(db, KEY, dbId);
    db.run(
      `WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n + 1 < ?)
       INSERT INTO history (id, kind, time, currency, amount, counterpart, state, data)
       SELECT printf('pay-%010d', n), CASE WHEN n % 5 = 0 THEN 'invoice' ELSE 'payment' END, ? + n * 1000, 'FST',
              CAST((1000 + n % 100000) * 1000000 AS TEXT), ?, 'success', zeroblob(24) FROM c`,
      [rows, T0, COUNTERPART],
    );
    const image = db.export();
    writeFileSync(path, image);
    writeFileSync(storeFiles(path).journal, encodeJournalHeader(dbId, 1));
    return image.length;
  } finally {
    db.close();
  }
}

interface Run {
  readonly label: string;
  readonly rows: number;
  readonly store: NodeStore;
  next: number;
  readonly appendMs: number[];
  readonly checkpointMs: number[];
  readonly stallMs: number[];
  journalBytes: number;
}

const funderSnapshot = new Uint8Array(20 * 1024).fill(7);
const snapshots = new Map([['funder', funderSnapshot]]);

async function appendOne(r: Run): Promise<void> {
  const n = r.next++;
  const records = [0, 1, 2, 3].map((k) => new Uint8Array(200).fill((n + k) & 0xff));
  const before = r.store.stats().journalBytes;
  const t0 = performance.now();
  await r.store.append(records, [historyRow(n)]);
  r.appendMs.push(performance.now() - t0);
  r.journalBytes += r.store.stats().journalBytes - before;
}

/** A checkpoint, with one event appended right behind it: how long that event waits is the
 *  stall a checkpoint inflicts on the node (the in-memory export and the journal rotation; the
 *  file write proceeds in the background). */
async function checkpointOne(r: Run): Promise<void> {
  const t0 = performance.now();
  const cp = r.store.checkpoint(snapshots);
  const n = r.next++;
  await r.store.append([new Uint8Array(200).fill(n & 0xff)], [historyRow(n)]);
  r.stallMs.push(performance.now() - t0);
  await cp;
  await r.store.settled();
  r.checkpointMs.push(performance.now() - t0);
}

/** O_DSYNC against write + fdatasync, one event at a time, interleaved. */
async function journalSyncAb(ctx: BenchContext, dir: string): Promise<void> {
  const sides: { sync: JournalSync; store: NodeStore; ms: number[] }[] = [];
  try {
    for (const sync of ['fdatasync', 'o-dsync'] as const) {
      const path = join(dir, `sync-${sync}.db`);
      await initNodeDatabase(path, KEY);
      sides.push({ sync, store: await openNodeStore(path, { publicKey: KEY, journalSync: sync }), ms: [] });
    }
    const event = (n: number): [Uint8Array[], HistoryRow[]] => [[1, 2, 3, 4].map((k) => new Uint8Array(200).fill(k)), [historyRow(n)]];
    const events = ctx.quick ? 300 : 1200;
    for (let done = 0, n = 0; done < events; done += 25) {
      for (const side of done % 50 === 0 ? sides : [...sides].reverse()) {
        for (let i = 0; i < 25; i++) {
          const [records, rows] = event(n++);
          const t = performance.now();
          await side.store.append(records, rows);
          side.ms.push(performance.now() - t);
        }
      }
    }
    const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
    const p50 = (x: number[]): number => percentile([...x].sort((a, b) => a - b), 50);
    const [f, o] = sides as [typeof sides[0], typeof sides[0]];
    if (o.store.stats().journalSync !== 'o-dsync') { ctx.log('store: no O_DSYNC on this platform, no store.ab.journal_o_dsync'); return; }
    ctx.report({
      figure: 'store.ab.journal_o_dsync', value: round(mean(f.ms) / mean(o.ms)), unit: 'x', n: o.ms.length,
      append_mean_ms: round(mean(o.ms)), append_mean_ms_fdatasync: round(mean(f.ms)), append_p50_ms: round(p50(o.ms)),
      append_p50_ms_fdatasync: round(p50(f.ms)), p50_ratio: round(p50(f.ms) / p50(o.ms)),
    });
  } finally {
    for (const side of sides) await side.store.close().catch(() => undefined);
  }
}

export async function run(ctx: BenchContext): Promise<void> {
  {
    const dir = mkdtempSync(join(tmpdir(), 'offset-bench-store-sync-'));
    try { await journalSyncAb(ctx, dir); } finally { rmSync(dir, { recursive: true, force: true }); }
  }
  const sizes: [string, number][] = ctx.quick
    ? [['1k', 1_000], ['100k', 100_000]]
    : [['1k', 1_000], ['100k', 100_000], ['1m', 1_000_000]];
  if (ctx.quick) ctx.log('store: --quick measures 1k and 100k only (no store.*.1m figures, no ratio)');
  const events = ctx.quick ? 400 : 1500;
  const checkpoints = 2;
  const dir = mkdtempSync(join(tmpdir(), 'offset-bench-store-'));
  const runs: Run[] = [];
  try {
    for (const [label, rows] of sizes) {
      const path = join(dir, `node-${label}.db`);
      const b0 = performance.now();
      const bytes = await buildDatabase(path, rows);
      const o0 = performance.now();
      const store = await openNodeStore(path, { publicKey: KEY });
      ctx.log(`store: ${label}: built ${rows} rows (${(bytes / 1048576).toFixed(1)} MiB) in ${(o0 - b0).toFixed(0)} ms, opened in ${(performance.now() - o0).toFixed(0)} ms`);
      runs.push({ label, rows, store, next: rows, appendMs: [], checkpointMs: [], stallMs: [], journalBytes: 0 });
    }
    for (const r of runs) for (let i = 0; i < 30; i++) await appendOne(r); // warm-up
    for (const r of runs) { r.appendMs.length = 0; r.journalBytes = 0; }
    // appends, interleaved in slices; a checkpoint after every 1/checkpoints of them
    const SLICE = 25;
    for (let done = 0; done < events; done += SLICE) {
      for (const r of runs) for (let i = 0; i < SLICE; i++) await appendOne(r);
      if (Math.floor((done + SLICE) / (events / checkpoints)) > Math.floor(done / (events / checkpoints))) {
        for (const r of runs) await checkpointOne(r);
      }
    }
    const cost = new Map<string, number>();
    const p50 = new Map<string, number>();
    for (const r of runs) {
      const appendMean = r.appendMs.reduce((a, b) => a + b, 0) / r.appendMs.length;
      const sortedAppend = [...r.appendMs].sort((a, b) => a - b);
      const sortedCp = [...r.checkpointMs].sort((a, b) => a - b);
      const cpMedian = percentile(sortedCp, 50);
      const dbBytes = r.store.stats().dbBytes;
      const bytesPerEvent = r.journalBytes / r.appendMs.length;
      const perCycle = dueThresholdBytes(DEFAULT_CHECKPOINT_POLICY, dbBytes) / bytesPerEvent;
      const value = appendMean + cpMedian / perCycle;
      cost.set(r.label, value);
      p50.set(r.label, percentile(sortedAppend, 50) + cpMedian / perCycle);
      ctx.report({
        figure: `store.event_cost_ms.${r.label}`, value: round(value), unit: 'ms', n: r.appendMs.length, rows: r.rows,
        append_mean_ms: round(appendMean), append_p50_ms: round(percentile(sortedAppend, 50)), append_p99_ms: round(percentile(sortedAppend, 99)),
        events_per_checkpoint: Math.round(perCycle), bytes_per_event: Math.round(bytesPerEvent), db_bytes: dbBytes,
      });
      ctx.report({
        figure: `store.checkpoint_ms.${r.label}`, value: round(cpMedian), unit: 'ms', n: sortedCp.length,
        max: round(sortedCp[sortedCp.length - 1] as number), db_bytes: dbBytes,
      });
      const sortedStall = [...r.stallMs].sort((a, b) => a - b);
      ctx.report({
        figure: `store.checkpoint_stall_ms.${r.label}`, value: round(percentile(sortedStall, 50)), unit: 'ms', n: sortedStall.length,
        max: round(sortedStall[sortedStall.length - 1] as number),
      });
    }
    const big = cost.get('1m');
    const small = cost.get('1k');
    if (big !== undefined && small !== undefined) {
      // the p50-based ratio alongside: on a shared machine the mean carries other processes' disk bursts
      const p50Ratio = (p50.get('1m') as number) / (p50.get('1k') as number);
      ctx.report({ figure: 'store.event_cost_ratio_1m_1k', value: round(big / small), unit: 'x', p50_ratio: round(p50Ratio) });
    }
  } finally {
    for (const r of runs) await r.store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
