/** Crash states a real crash can leave behind, rebuilt byte for byte, then reopened. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HistoryRow, initNodeDatabase, openNodeStore, storeFiles } from './index.node.ts';

const key = new Uint8Array(32).fill(4);
const rec = (n: number, size = 40): Uint8Array => new Uint8Array(size).fill(n);
const row = (n: number): HistoryRow => ({ id: `pay-${n}`, kind: 'payment', time: 1000 + n, currency: 'FST', amount: BigInt(n) * 1_000_000_000_000n, counterpart: 'bob', state: 'success', data: rec(n, 16) });

let dir: string;
let path: string;
let files: ReturnType<typeof storeFiles>;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offset-store-crash-'));
  path = join(dir, 'node.db');
  files = storeFiles(path);
  await initNodeDatabase(path, key);
});
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe('recovery after a crash', () => {
  it('keeps every earlier event and drops the torn last one, at every byte of the last record', async () => {
    const s = await openNodeStore(path, { publicKey: key });
    await s.checkpoint(new Map([['funder', Uint8Array.of(1)]]));
    await s.settled();
    for (let i = 0; i < 3; i++) await s.append([rec(i)], [row(i)]);
    const beforeLast = readFileSync(files.journal).length;
    await s.append([rec(3), rec(33)], [row(3)]);
    const db = readFileSync(path);
    const journal = readFileSync(files.journal);
    // the process "dies" here: no close
    expect(journal.length).toBeGreaterThan(beforeLast);
    for (let n = beforeLast; n <= journal.length; n++) {
      rmSync(files.lock, { force: true });
      writeFileSync(path, db);
      writeFileSync(files.journal, journal.subarray(0, n));
      const again = await openNodeStore(path, { publicKey: key });
      const complete = n === journal.length;
      expect(again.replay).toEqual(complete ? [rec(0), rec(1), rec(2), rec(3), rec(33)] : [rec(0), rec(1), rec(2)]);
      expect(again.queryHistory({ order: 'asc' })).toEqual(complete ? [row(0), row(1), row(2), row(3)] : [row(0), row(1), row(2)]);
      expect(again.snapshot('funder')).toEqual(Uint8Array.of(1));
      // the torn bytes are gone: appending after recovery and reopening is clean (sampled: each costs fsyncs)
      if ((n - beforeLast) % 16 !== 0 && !complete) { await again.close(); continue; }
      await again.append([rec(9)]);
      await again.close();
      const third = await openNodeStore(path, { publicKey: key });
      expect(third.replay[third.replay.length - 1]).toEqual(rec(9));
      await third.close();
    }
    await s.close().catch(() => undefined);
  });

  it('leaves the previous database intact when a checkpoint dies while writing its temp file, and removes it', async () => {
    const s = await openNodeStore(path, { publicKey: key });
    for (let i = 0; i < 3; i++) await s.append([rec(i)], [row(i)]);
    const dbBefore = readFileSync(path);
    // a checkpoint that died mid-write: half a database in the temp file
    writeFileSync(files.checkpointTmp, dbBefore.subarray(0, 1000));
    rmSync(files.lock);
    const again = await openNodeStore(path, { publicKey: key });
    expect(existsSync(files.checkpointTmp)).toBe(false);
    expect(again.replay).toEqual([rec(0), rec(1), rec(2)]);
    expect(again.countHistory()).toBe(3);
    await again.close();
    await s.close().catch(() => undefined);
  });

  it('does not apply a journal twice when a checkpoint died between the database rename and the journal reset', async () => {
    const s = await openNodeStore(path, { publicKey: key });
    for (let i = 0; i < 3; i++) await s.append([rec(i)], [row(i)]);
    const oldJournal = readFileSync(files.journal);
    await s.checkpoint(); // folds into the database, generation + 1
    await s.settled();
    // undo the journal reset, as if the process died right after the database rename
    writeFileSync(files.journal, oldJournal);
    writeFileSync(files.journalTmp, oldJournal.subarray(0, 36));
    rmSync(files.lock);
    const again = await openNodeStore(path, { publicKey: key });
    expect(again.replay).toEqual([rec(0), rec(1), rec(2)]);
    expect(again.countHistory()).toBe(3);
    expect(existsSync(files.journalTmp)).toBe(false);
    await again.append([rec(7)]);
    await again.close();
    const third = await openNodeStore(path, { publicKey: key });
    expect(third.replay).toEqual([rec(0), rec(1), rec(2), rec(7)]);
    await third.close();
    await s.close().catch(() => undefined);
  });

  describe('while a checkpoint rotates the journal', () => {
    /** Files as a checkpoint leaves them mid-way: the database and `.oflog` of generation g with
     *  r0..r2, and `.oflog.next` of generation g+1 with r3 (appended while the file was written). */
    async function rotationState(): Promise<{ dbOld: Buffer; dbNew: Buffer; j1: Buffer; j2: Buffer }> {
      const s = await openNodeStore(path, { publicKey: key });
      for (let i = 0; i < 3; i++) await s.append([rec(i)], [row(i)]);
      const dbOld = readFileSync(path);
      const j1 = readFileSync(files.journal);
      await s.checkpoint();
      await s.append([rec(3)], [row(3)]);
      await s.settled();
      const dbNew = readFileSync(path);
      const j2 = readFileSync(files.journal); // generation g+1: what `.oflog.next` held
      await s.close();
      rmSync(files.lock, { force: true });
      return { dbOld, dbNew, j1, j2 };
    }

    it('replays both journals when the database rename had not happened', async () => {
      const { dbOld, j1, j2 } = await rotationState();
      writeFileSync(path, dbOld);
      writeFileSync(files.journal, j1);
      writeFileSync(files.journalNext, j2);
      const again = await openNodeStore(path, { publicKey: key });
      expect(again.replay).toEqual([rec(0), rec(1), rec(2), rec(3)]);
      expect(again.queryHistory({ order: 'asc' })).toEqual([row(0), row(1), row(2), row(3)]);
      expect(existsSync(files.journalNext)).toBe(false);
      await again.close();
      const third = await openNodeStore(path, { publicKey: key });
      expect(third.replay).toEqual([rec(0), rec(1), rec(2), rec(3)]);
      await third.close();
    });

    it('replays only the new journal when the database rename had happened', async () => {
      const { dbNew, j1, j2 } = await rotationState();
      writeFileSync(path, dbNew);
      writeFileSync(files.journal, j1);
      writeFileSync(files.journalNext, j2);
      const again = await openNodeStore(path, { publicKey: key });
      expect(again.replay).toEqual([rec(0), rec(1), rec(2), rec(3)]);
      expect(again.countHistory()).toBe(4);
      await again.close();
    });

    it('ignores both old journals when the fold at open died after its database rename', async () => {
      const { dbOld, j1, j2 } = await rotationState();
      writeFileSync(path, dbOld);
      writeFileSync(files.journal, j1);
      writeFileSync(files.journalNext, j2);
      const again = await openNodeStore(path, { publicKey: key });
      await again.close();
      // the database now holds everything at generation g+2; put the old journals back
      writeFileSync(files.journal, j1);
      writeFileSync(files.journalNext, j2);
      const third = await openNodeStore(path, { publicKey: key });
      expect(third.replay).toEqual([rec(0), rec(1), rec(2), rec(3)]);
      expect(third.countHistory()).toBe(4);
      await third.close();
    });

    it('refuses a next journal whose predecessor is missing', async () => {
      const { dbOld, j2 } = await rotationState();
      writeFileSync(path, dbOld);
      rmSync(files.journal);
      writeFileSync(files.journalNext, j2);
      await expect(openNodeStore(path, { publicKey: key })).rejects.toThrow(/oflog\.next is at generation .* but .*oflog is not at/);
      expect(readFileSync(files.journalNext).equals(j2)).toBe(true);
    });
  });

  it('lets appends go on while a checkpoint writes the database file', async () => {
    const s = await openNodeStore(path, { publicKey: key });
    await s.append([rec(0)]);
    const cp = s.checkpoint(new Map([['funder', Uint8Array.of(1)]]));
    const during = [s.append([rec(1)]), s.append([rec(2)])];
    await Promise.all([cp, ...during]);
    await s.close();
    const again = await openNodeStore(path, { publicKey: key });
    expect(again.snapshot('funder')).toEqual(Uint8Array.of(1));
    expect(again.replay).toEqual([rec(1), rec(2)]);
    await again.close();
  });

  it('opens a database whose journal file is missing', async () => {
    rmSync(files.journal);
    const s = await openNodeStore(path, { publicKey: key });
    await s.append([rec(1)]);
    await s.close();
    const again = await openNodeStore(path, { publicKey: key });
    expect(again.replay).toEqual([rec(1)]);
    await again.close();
  });
});
