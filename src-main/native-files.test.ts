import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_NATIVE_FILE_BYTES } from './bridge.ts';
import { readChosenFile, saveChosenFile } from './native-files.node.ts';
import { checkOpenRequest, checkSaveRequest, dialogFilters, extensionOf, safeFileName } from './native-files.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'offset-native-files-'));
  dirs.push(d);
  return d;
};

describe('native dialogs: what the page may ask', () => {
  it('names the wallet\'s file types in the filters, the asked one first', () => {
    expect(dialogFilters(['.invoice', '.json'])).toEqual([
      { name: 'Offset invoice', extensions: ['invoice'] }, { name: 'JSON', extensions: ['json'] }, { name: 'All files', extensions: ['*'] },
    ]);
    expect(dialogFilters(['.xyz'])[0]).toEqual({ name: 'XYZ file', extensions: ['xyz'] });
  });

  it('accepts only short lists of plain extensions', () => {
    expect(checkOpenRequest(['.offset-card', '.rcard', '.rcard'])).toEqual({ ok: true, value: ['.offset-card', '.rcard'] });
    for (const bad of [[], ['invoice'], ['.INVOICE'], ['../x'], ['.a/b'], ['image/*'], [1], '.invoice', null, Array(13).fill('.a')]) {
      expect(checkOpenRequest(bad)).toMatchObject({ ok: false });
    }
  });

  it('keeps a suggested name a plain file name, and bounds what is saved', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('..')).toBe('offset-file');
    expect(safeFileName('a:b*c?.receipt')).toBe('a_b_c_.receipt');
    expect(safeFileName('x'.repeat(300))).toHaveLength(255);
    expect(extensionOf('Travel.offset-card')).toBe('.offset-card');
    expect(extensionOf('noext')).toBeUndefined();
    expect(checkSaveRequest('a/b.invoice', Uint8Array.of(1))).toEqual({ ok: true, value: { name: 'a_b.invoice', data: Uint8Array.of(1) } });
    expect(checkSaveRequest('a', 'text')).toMatchObject({ ok: false });
    expect(checkSaveRequest(7, Uint8Array.of(1))).toMatchObject({ ok: false });
    expect(checkSaveRequest('a', new Uint8Array(MAX_NATIVE_FILE_BYTES + 1))).toMatchObject({ ok: false, error: 'the file is too large' });
  });
});

describe('native dialogs: the chosen file', () => {
  it('is written whole, replacing an old one, secret files owner-only, no temp file left', async () => {
    const dir = tempDir();
    const path = join(dir, 'Travel.offset-card');
    writeFileSync(path, 'old');
    expect(await saveChosenFile(path, new TextEncoder().encode('{"format":"offset-card-backup"}'))).toEqual({ kind: 'saved', name: 'Travel.offset-card' });
    expect(readFileSync(path, 'utf8')).toBe('{"format":"offset-card-backup"}');
    expect(readdirSync(dir)).toEqual(['Travel.offset-card']);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await saveChosenFile(join(dir, 'missing', 'x.invoice'), Uint8Array.of(1))).toMatchObject({ kind: 'failed', message: expect.stringMatching(/^x\.invoice was not saved/) });
  });

  it('is read as strict UTF-8 within the bound', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.invoice'), '{"kind":"invoice"}');
    writeFileSync(join(dir, 'bin.invoice'), Buffer.from([0xff, 0xfe, 0x00]));
    writeFileSync(join(dir, 'big.invoice'), 'x'.repeat(100));
    expect(await readChosenFile(join(dir, 'a.invoice'), 1000)).toEqual({ kind: 'opened', name: 'a.invoice', text: '{"kind":"invoice"}' });
    expect(await readChosenFile(join(dir, 'bin.invoice'), 1000)).toEqual({ kind: 'failed', reason: 'unreadable' });
    expect(await readChosenFile(join(dir, 'big.invoice'), 99)).toEqual({ kind: 'failed', reason: 'too-large' });
    expect(await readChosenFile(join(dir, 'none.invoice'), 99)).toEqual({ kind: 'failed', reason: 'unreadable' });
    expect(await readChosenFile(dir, 99)).toEqual({ kind: 'failed', reason: 'unreadable' });
  });
});
