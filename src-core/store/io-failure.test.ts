/** Real I/O failures (a directory squatting on a temp file's name makes its open fail): the store
 *  refuses further writes with 'failed', and the files on disk reopen to every acknowledged append. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initNodeDatabase, isStoreError, openNodeStore, storeFiles } from './index.node.ts';

const key = new Uint8Array(32).fill(5);
const rec = (n: number): Uint8Array => new Uint8Array(30).fill(n);
let dir: string;
let path: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offset-store-io-'));
  path = join(dir, 'node.db');
  await initNodeDatabase(path, key);
});
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe('an I/O failure during a checkpoint', () => {
  it.each([
    ['rotating the journal', (p: string) => storeFiles(p).journalTmp],
    ['writing the database file', (p: string) => storeFiles(p).checkpointTmp],
  ])('while %s fails the store and loses nothing acknowledged', async (_what, squat) => {
    const s = await openNodeStore(path, { publicKey: key });
    await s.append([rec(1)], [{ id: 'a', kind: 'payment', time: 1, currency: 'FST', amount: 5n, state: 'ok', data: rec(1) }]);
    mkdirSync(squat(path));
    const e = await s.checkpoint(new Map([['funder', Uint8Array.of(1)]])).then(() => s.settled()).catch((x: unknown) => x);
    expect(isStoreError(e, 'failed')).toBe(true);
    await expect(s.append([rec(2)])).rejects.toSatisfy((x) => isStoreError(x, 'failed'));
    await expect(s.checkpoint()).rejects.toSatisfy((x) => isStoreError(x, 'failed'));
    await s.close(); // releases the lock without writing
    rmSync(squat(path), { recursive: true });
    const again = await openNodeStore(path, { publicKey: key });
    expect(again.snapshot('funder')).toBeUndefined();
    expect(again.replay).toEqual([rec(1)]);
    expect(again.countHistory()).toBe(1);
    await again.close();
  });
});
