import { constants, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HistoryRow, type NodeStore, initNodeDatabase, isStoreError, openNodeStore, storeFiles } from './index.node.ts';

const key = new Uint8Array(32).fill(1);
const rec = (n: number): Uint8Array => { const b = new Uint8Array(8); new DataView(b.buffer).setUint32(0, n); b[7] = 0xaa; return b; };
const row = (id: string, over: Partial<HistoryRow> = {}): HistoryRow => ({
  id, kind: 'payment', time: 1000, currency: 'FST', amount: 10n, state: 'success', data: Uint8Array.of(1), ...over,
});
class TestClock { t = 0; now(): number { return this.t; } }

let dir: string;
let path: string;
const open: NodeStore[] = [];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offset-store-'));
  path = join(dir, 'node.db');
  await initNodeDatabase(path, key);
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});
async function openStore(opts: Partial<Parameters<typeof openNodeStore>[1]> = {}): Promise<NodeStore> {
  const s = await openNodeStore(path, { publicKey: key, ...opts });
  open.push(s);
  return s;
}

describe('NodeStore append and replay', () => {
  it('replays appended records in order after a reopen without a clean close', async () => {
    const s = await openStore();
    for (let i = 0; i < 5; i++) await s.append([rec(i), rec(100 + i)]);
    // no close(): the journal alone must carry the records (the lock is freed by hand, as a dead pid would be)
    rmSync(storeFiles(path).lock);
    const again = await openNodeStore(path, { publicKey: key });
    open.push(again);
    expect(again.replay).toEqual([0, 100, 1, 101, 2, 102, 3, 103, 4, 104].map(rec));
  });

  it('keeps records across a checkpoint without snapshots', async () => {
    const s = await openStore();
    await s.append([rec(1)]);
    await s.checkpoint();
    await s.append([rec(2)]);
    await s.close();
    const again = await openStore();
    expect(again.replay).toEqual([rec(1), rec(2)]);
  });

  it('replaces snapshots and drops the records they cover at a checkpoint with snapshots', async () => {
    const s = await openStore();
    await s.append([rec(1)]);
    await s.checkpoint(new Map([['funder', Uint8Array.of(9, 9)], ['config', Uint8Array.of(3)]]));
    expect(s.snapshot('funder')).toEqual(Uint8Array.of(9, 9));
    await s.append([rec(2)]);
    await s.checkpoint(new Map([['funder', Uint8Array.of(8)]]));
    await s.append([rec(3)]);
    await s.close();
    const again = await openStore();
    expect(again.snapshot('funder')).toEqual(Uint8Array.of(8));
    expect(again.snapshot('config')).toEqual(Uint8Array.of(3));
    expect(again.snapshot('index-client')).toBeUndefined();
    expect(again.replay).toEqual([rec(3)]);
  });

  it('writes the database file only at checkpoints', async () => {
    const s = await openStore();
    const before = readFileSync(path);
    for (let i = 0; i < 20; i++) await s.append([rec(i)], [row(`r${i}`)]);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(statSync(storeFiles(path).journal).size).toBeGreaterThan(20 * 8);
    await s.checkpoint();
    await s.settled();
    expect(readFileSync(path).equals(before)).toBe(false);
    expect(statSync(storeFiles(path).journal).size).toBe(36);
  });

  it('shares one journal write among concurrent appends (group commit)', async () => {
    const s = await openStore();
    const before = s.stats().flushes;
    await Promise.all(Array.from({ length: 200 }, (_, i) => s.append([rec(i)])));
    const flushes = s.stats().flushes - before;
    expect(flushes).toBeGreaterThanOrEqual(1);
    expect(flushes).toBeLessThanOrEqual(3);
    await s.close();
    expect((await openStore()).replay).toEqual(Array.from({ length: 200 }, (_, i) => rec(i)));
  });

  it('keeps an append made right after a checkpoint call out of that checkpoint', async () => {
    const s = await openStore();
    const before = s.append([rec(1)]);
    const cp = s.checkpoint(new Map([['funder', Uint8Array.of(1)]]));
    const after = s.append([rec(2)]);
    await Promise.all([before, cp, after]);
    await s.close();
    const again = await openStore();
    expect(again.snapshot('funder')).toEqual(Uint8Array.of(1));
    expect(again.replay).toEqual([rec(2)]);
  });

  it('copies what it is given, so later changes by the caller are not persisted', async () => {
    const s = await openStore();
    const r = rec(1);
    const p = s.append([r]);
    r[0] = 0xff;
    await p;
    await s.close();
    expect((await openStore()).replay).toEqual([rec(1)]);
  });

  it('rejects bad input to append and changes nothing', async () => {
    const s = await openStore();
    await expect(s.append(['x' as unknown as Uint8Array])).rejects.toThrow(TypeError);
    await expect(s.append([], [row('a', { amount: 10 as unknown as bigint })])).rejects.toThrow(TypeError);
    await expect(s.append([], [row('a', { time: 1.5 })])).rejects.toThrow(RangeError);
    await expect(s.append([], [row('x'.repeat(300))])).rejects.toThrow(RangeError);
    expect(s.stats().flushes).toBe(0);
    await s.append([rec(1)]);
    await s.close();
    expect((await openStore()).replay).toEqual([rec(1)]);
  });

  it('refuses every call after close, and close is idempotent', async () => {
    const s = await openStore();
    await s.close();
    await s.close();
    await expect(s.append([rec(1)])).rejects.toSatisfy((e) => isStoreError(e, 'closed'));
    await expect(s.checkpoint()).rejects.toSatisfy((e) => isStoreError(e, 'closed'));
    expect(() => s.queryHistory()).toThrow(/closed/);
  });

  it('persists appends still in flight when close is called', async () => {
    const s = await openStore();
    const pending = [s.append([rec(1)]), s.append([rec(2)])];
    await s.close(new Map([['funder', Uint8Array.of(5)]]));
    await Promise.all(pending);
    const again = await openStore();
    expect(again.snapshot('funder')).toEqual(Uint8Array.of(5));
    expect(again.replay).toEqual([]);
  });
});

describe('NodeStore history', () => {
  it('stores amounts exactly as decimal text, including beyond 2^64 and negative', async () => {
    const s = await openStore();
    const big = (1n << 127n) - 1n;
    await s.appendHistory([row('a', { amount: big }), row('b', { amount: -5n, time: 2000 }), row('c', { amount: 0n, time: 3000 })]);
    await s.close();
    const again = await openStore();
    expect(again.queryHistory({ order: 'asc' }).map((r) => r.amount)).toEqual([big, -5n, 0n]);
  });

  it('shows a row only once its append is durable, and replaces a row with the same id', async () => {
    const s = await openStore();
    const p = s.appendHistory([row('pay1', { state: 'pending' })]);
    expect(s.countHistory()).toBe(0);
    await p;
    expect(s.queryHistory()[0]?.state).toBe('pending');
    await s.append([rec(1)], [row('pay1', { state: 'success', data: Uint8Array.of(7, 7) })]);
    expect(s.queryHistory()).toEqual([row('pay1', { state: 'success', data: Uint8Array.of(7, 7) })]);
    expect(s.historyRow('pay1')).toEqual(row('pay1', { state: 'success', data: Uint8Array.of(7, 7) }));
    expect(s.historyRow('nope')).toBeUndefined();
    expect(s.countHistory()).toBe(1);
  });

  it('filters by time range, kind, counterpart, currency and state, and pages with a cursor', async () => {
    const s = await openStore();
    const rows: HistoryRow[] = [];
    for (let i = 0; i < 50; i++) {
      rows.push(row(`id${String(i).padStart(2, '0')}`, {
        time: 1000 + Math.floor(i / 2) * 10, // pairs share a time: ties order by id
        kind: i % 3 === 0 ? 'invoice' : 'payment',
        ...(i % 5 === 0 ? {} : { counterpart: i % 2 === 0 ? 'alice' : 'bob' }),
        currency: i % 7 === 0 ? 'USD' : 'FST',
        state: i % 4 === 0 ? 'failed' : 'success',
      }));
    }
    await s.appendHistory(rows);
    const ids = (rs: readonly HistoryRow[]): string[] => rs.map((r) => r.id);
    expect(ids(s.queryHistory({ from: 1000, to: 1020, order: 'asc' }))).toEqual(['id00', 'id01', 'id02', 'id03']);
    expect(ids(s.queryHistory({ limit: 3 }))).toEqual(['id49', 'id48', 'id47']);
    expect(ids(s.queryHistory({ kind: 'invoice', order: 'asc' }))).toEqual(ids(rows.filter((r) => r.kind === 'invoice')));
    expect(ids(s.queryHistory({ counterpart: 'alice', currency: 'FST', state: 'success', order: 'asc', limit: 1000 }))).toEqual(
      ids(rows.filter((r) => r.counterpart === 'alice' && r.currency === 'FST' && r.state === 'success')),
    );
    expect(s.countHistory({ kind: 'payment' })).toBe(rows.filter((r) => r.kind === 'payment').length);
    expect(s.queryHistory({ order: 'asc' }).find((r) => r.id === 'id05')?.counterpart).toBeUndefined();
    // keyset paging walks every row exactly once, in both orders
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let after: HistoryRow | undefined;
      for (;;) {
        const page = s.queryHistory({ order, limit: 7, ...(after ? { after } : {}) });
        if (page.length === 0) break;
        seen.push(...ids(page));
        after = page[page.length - 1];
      }
      const all = ids(rows);
      expect(seen).toEqual(order === 'asc' ? all : [...all].reverse());
    }
    expect(() => s.queryHistory({ limit: 10_001 })).toThrow(RangeError);
  });
});

describe('NodeStore checkpoint policy', () => {
  it('becomes due by journal size, by record count and by age', async () => {
    const clock = new TestClock();
    const s = await openStore({ clock, checkpoint: { minJournalBytes: 4096, journalToDbRatio: 0, maxRecords: 50, maxAgeMs: 60_000, autoFoldFactor: 1000 } });
    expect(s.checkpointDue).toBe(false);
    await s.append([new Uint8Array(5000)]);
    expect(s.checkpointDue).toBe(true);
    await s.checkpoint();
    expect(s.checkpointDue).toBe(false);
    for (let i = 0; i < 49; i++) await s.append([rec(i)]);
    expect(s.checkpointDue).toBe(false);
    await s.append([rec(49)]);
    expect(s.checkpointDue).toBe(true);
    await s.checkpoint();
    await s.append([rec(1)]);
    clock.t += 59_999;
    expect(s.checkpointDue).toBe(false);
    clock.t += 1;
    expect(s.checkpointDue).toBe(true);
  });

  it('scales the size threshold with the database file', async () => {
    const s = await openStore({ checkpoint: { minJournalBytes: 1, journalToDbRatio: 100, maxRecords: 1e9, autoFoldFactor: 1000 } });
    const dbBytes = s.stats().dbBytes;
    await s.append([new Uint8Array(Math.floor(dbBytes * 50))]);
    expect(s.checkpointDue).toBe(false);
    await s.append([new Uint8Array(dbBytes * 51)]);
    expect(s.checkpointDue).toBe(true);
  });

  it('folds the journal by itself when the owner never checkpoints', async () => {
    const s = await openStore({ checkpoint: { minJournalBytes: 1000, journalToDbRatio: 0, autoFoldFactor: 2 } });
    for (let i = 0; i < 30; i++) await s.append([new Uint8Array(100).fill(i)]);
    expect(s.stats().checkpoints).toBeGreaterThan(0);
    expect(s.stats().journalBytes).toBeLessThan(2100);
    await s.close();
    expect((await openStore()).replay).toEqual(Array.from({ length: 30 }, (_, i) => new Uint8Array(100).fill(i)));
  });
});

describe('how journal appends reach the disk', () => {
  /** The open flags of this process's descriptors for `file` (Linux /proc), octal as fdinfo gives them. */
  function openFlags(file: string): number[] {
    const out: number[] = [];
    for (const fd of readdirSync('/proc/self/fd')) {
      let target = '';
      try { target = readlinkSync(`/proc/self/fd/${fd}`); } catch { continue; }
      if (target !== file) continue;
      const m = /flags:\s*([0-7]+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
      if (m !== null) out.push(parseInt(m[1] as string, 8));
    }
    return out;
  }

  it.each(['o-dsync', 'fdatasync'] as const)('%s: every acknowledged append is in the journal after a crash', async (journalSync) => {
    const s = await openStore({ journalSync });
    await Promise.all([1, 2, 3].map((i) => s.append([rec(i)], [row(`r${i}`)])));
    await s.append([rec(4)]);
    const expected = process.platform === 'linux' || process.platform === 'darwin' ? journalSync : 'fdatasync';
    expect(s.stats().journalSync).toBe(expected);
    if (process.platform === 'linux') {
      const flags = openFlags(storeFiles(path).journal);
      expect(flags).toHaveLength(1);
      expect((flags[0] as number) & constants.O_DSYNC).toBe(expected === 'o-dsync' ? constants.O_DSYNC : 0);
    }
    rmSync(storeFiles(path).lock); // as if the process had died
    const again = await openNodeStore(path, { publicKey: key });
    open.push(again);
    expect(again.replay).toEqual([1, 2, 3, 4].map(rec));
    expect(again.countHistory()).toBe(3);
  });
});
