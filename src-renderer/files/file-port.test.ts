import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OffsetFiles } from '../../src-main/bridge.ts';
import { readChosenFile, saveChosenFile } from '../../src-main/native-files.node.ts';
import { checkOpenRequest, checkSaveRequest } from '../../src-main/native-files.ts';
import { describeOpenFileError, openTextFile, saveFileResult } from './file-port.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The Electron main process's file handling (native-files*.ts) behind the preload's API, with
 *  the person's choice in the dialog given as `chosen` (undefined: cancelled). Only Electron's
 *  dialog window is left out; the checks, reads and writes are the real ones. */
function electronFiles(chosen: () => string | undefined, maxBytes = 1000): { doc: Document; asked: unknown[] } {
  const asked: unknown[] = [];
  const offsetFiles: OffsetFiles = {
    async openText(extensions) {
      asked.push(extensions);
      if (!checkOpenRequest(extensions).ok) return { kind: 'failed', reason: 'refused' };
      const path = chosen();
      return path === undefined ? { kind: 'cancelled' } : readChosenFile(path, maxBytes);
    },
    async save(name, data) {
      const checked = checkSaveRequest(name, data);
      if (!checked.ok) return { kind: 'failed', message: checked.error };
      asked.push(checked.value.name);
      const path = chosen();
      return path === undefined ? { kind: 'cancelled' } : saveChosenFile(path, checked.value.data);
    },
  };
  return { doc: { defaultView: { offsetFiles } } as unknown as Document, asked };
}

describe('file port in Electron (native dialogs)', () => {
  it('opens the chosen text file through the native dialog, filtered by extension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offset-file-port-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a.invoice'), '{"kind":"invoice"}');
    writeFileSync(join(dir, 'big.invoice'), 'x'.repeat(2000));
    let choice: string | undefined = join(dir, 'a.invoice');
    const { doc, asked } = electronFiles(() => choice);
    expect(await openTextFile(doc, ['.invoice', '.json'])).toEqual({ ok: true, value: { name: 'a.invoice', text: '{"kind":"invoice"}' } });
    expect(asked).toEqual([['.invoice', '.json']]);
    choice = undefined;
    expect(await openTextFile(doc, ['.invoice'])).toEqual({ ok: true, value: undefined });
    choice = join(dir, 'big.invoice');
    const big = await openTextFile(doc, ['.invoice']);
    expect(big).toMatchObject({ ok: false, error: { kind: 'too-large' } });
    if (!big.ok) expect(describeOpenFileError(big.error)).toMatch(/too large/);
  });

  it('saves through the native dialog and tells whether it was saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offset-file-port-'));
    dirs.push(dir);
    let choice: string | undefined = join(dir, 'Travel.offset-card');
    const { doc, asked } = electronFiles(() => choice);
    expect(await saveFileResult(doc, '../Travel.offset-card', new Blob(['{"format":"offset-card-backup"}']))).toEqual({ kind: 'saved', name: 'Travel.offset-card' });
    expect(asked).toEqual(['_Travel.offset-card']); // the suggested name never carries a folder
    expect(readFileSync(join(dir, 'Travel.offset-card'), 'utf8')).toBe('{"format":"offset-card-backup"}');
    choice = undefined;
    expect(await saveFileResult(doc, 'x.receipt', new Blob(['r']))).toEqual({ kind: 'cancelled' });
  });
});
