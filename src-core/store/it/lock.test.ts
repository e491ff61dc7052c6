/** The lock file keeps a second process out, names the holder, and a dead holder's lock is taken over. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError, initNodeDatabase, openNodeStore, storeFiles } from '../index.node.ts';
import { spawnStoreChild } from './child.ts';

const key = new Uint8Array(32).fill(8);
let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'offset-store-lock-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('the lock file', () => {
  it('refuses a second process, naming the lock and the holder pid, and is released on close', async () => {
    const path = join(dir, 'a.db');
    await initNodeDatabase(path, key);
    const child = spawnStoreChild('hold', path, key);
    const pid = Number((await child.line((l) => l.startsWith('open '))).slice(5));
    expect(pid).toBe(child.proc.pid);
    const before = readFileSync(path);
    const e = await openNodeStore(path, { publicKey: key }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).code).toBe('locked');
    expect((e as StoreError).message).toContain(`process ${pid}`);
    expect((e as StoreError).message).toContain(storeFiles(path).lock);
    expect(readFileSync(path).equals(before)).toBe(true);
    child.proc.stdin?.end('close\n');
    await child.line((l) => l === 'closed');
    await child.exited;
    expect(existsSync(storeFiles(path).lock)).toBe(false);
    const s = await openNodeStore(path, { publicKey: key });
    await s.close();
  });

  it('is taken over when its holder died', async () => {
    const path = join(dir, 'b.db');
    await initNodeDatabase(path, key);
    const child = spawnStoreChild('hold', path, key);
    await child.line((l) => l.startsWith('open '));
    child.proc.kill('SIGKILL');
    await child.exited;
    expect(readFileSync(storeFiles(path).lock, 'utf8')).toBe(`${child.proc.pid}\n`);
    const s = await openNodeStore(path, { publicKey: key });
    expect(readFileSync(storeFiles(path).lock, 'utf8')).toBe(`${process.pid}\n`);
    await s.close();
    expect(existsSync(storeFiles(path).lock)).toBe(false);
  });

  it('keeps another process out while this one holds it', async () => {
    const path = join(dir, 'c.db');
    await initNodeDatabase(path, key);
    const s = await openNodeStore(path, { publicKey: key });
    try {
      const child = spawnStoreChild('hold', path, key);
      const line = await child.line((l) => l.startsWith('error ') || l.startsWith('open '));
      expect(line).toMatch(new RegExp(`^error locked .*process ${process.pid}`));
      expect((await child.exited).code).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('refuses a second open in the same process', async () => {
    const path = join(dir, 'd.db');
    await initNodeDatabase(path, key);
    const s = await openNodeStore(path, { publicKey: key });
    try {
      await expect(openNodeStore(path, { publicKey: key })).rejects.toThrow(/already open/);
    } finally {
      await s.close();
    }
  });
});

describe('a lock file naming this process', () => {
  it('is stale when this process does not hold it (a pid reused after a crash)', async () => {
    const path = join(dir, 'e.db');
    await initNodeDatabase(path, key);
    writeFileSync(storeFiles(path).lock, `${process.pid}\n`);
    const s = await openNodeStore(path, { publicKey: key });
    await expect(openNodeStore(path, { publicKey: key })).rejects.toThrow(/already open/);
    await s.close();
    expect(existsSync(storeFiles(path).lock)).toBe(false);
  });

  it('that is unreadable is stale', async () => {
    const path = join(dir, 'f.db');
    await initNodeDatabase(path, key);
    writeFileSync(storeFiles(path).lock, 'garbage');
    const s = await openNodeStore(path, { publicKey: key });
    await s.close();
  });
});
