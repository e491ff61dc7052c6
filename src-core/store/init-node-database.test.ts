import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initNodeDatabase, isStoreError, openNodeStore, SCHEMA_VERSION, storeFiles } from './index.node.ts';

const key = (n: number): Uint8Array => new Uint8Array(32).fill(n);
let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'offset-store-init-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe('initNodeDatabase', () => {
  it('creates a database bound to the identity that opens empty', async () => {
    const path = join(dir, 'node.db');
    await initNodeDatabase(path, key(1));
    expect(readFileSync(path).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    const store = await openNodeStore(path, { publicKey: key(1) });
    expect(store.replay).toEqual([]);
    expect(store.snapshot('funder')).toBeUndefined();
    expect(store.queryHistory()).toEqual([]);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
    await store.close();
    expect(existsSync(storeFiles(path).lock)).toBe(false);
  });

  it('refuses to overwrite an existing file and leaves it unchanged', async () => {
    const path = join(dir, 'node.db');
    writeFileSync(path, 'precious');
    const e = await initNodeDatabase(path, key(1)).catch((x: unknown) => x);
    expect(isStoreError(e, 'already-exists')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('precious');
  });

  it('refuses to overwrite a node database', async () => {
    const path = join(dir, 'node.db');
    await initNodeDatabase(path, key(1));
    const before = readFileSync(path);
    const e = await initNodeDatabase(path, key(2)).catch((x: unknown) => x);
    expect(isStoreError(e, 'already-exists')).toBe(true);
    expect(readFileSync(path).equals(before)).toBe(true);
    const store = await openNodeStore(path, { publicKey: key(1) });
    await store.close();
  });

  it('rejects a public key of the wrong length', async () => {
    await expect(initNodeDatabase(join(dir, 'x.db'), new Uint8Array(31))).rejects.toThrow(RangeError);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });
});
