/** The renderer's file port (src-renderer/files/file-port.ts) in a real Chromium: the file dialog
 *  and the download, driven through real clicks (the dialogs need a user gesture). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForPage, launchChromium } from './support.ts';

let browser: Browser;
let bundle: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offset-files-'));
  bundle = await bundleForPage('src-renderer/files/file-port.ts', 'offsetFiles');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A page with an "Open" button that opens a text file (max 64 bytes) and a "Save" button. */
async function page(): Promise<Page> {
  const p = await browser.newPage();
  await p.setContent('<button id="open">Open</button><button id="save">Save</button><output id="out"></output>');
  await p.addScriptTag({ content: bundle });
  await p.evaluate(() => {
    type Files = {
      openTextFile(doc: Document, accept: string[], max?: number): Promise<unknown>;
      saveFile(doc: Document, name: string, data: Blob): void;
    };
    const f = (window as unknown as { offsetFiles: Files }).offsetFiles;
    document.getElementById('open')?.addEventListener('click', () => {
      void f.openTextFile(document, ['.invoice'], 64).then((r) => {
        (document.getElementById('out') as HTMLOutputElement).value = JSON.stringify(r);
      });
    });
    document.getElementById('save')?.addEventListener('click', () => {
      f.saveFile(document, 'groceries.invoice', new Blob(['{"kind":"invoice"}\n'], { type: 'application/json' }));
    });
  });
  return p;
}

async function openWith(p: Page, files: string[] | null): Promise<unknown> {
  const [chooser] = await Promise.all([p.waitForEvent('filechooser'), p.click('#open')]);
  expect(chooser.isMultiple()).toBe(false);
  if (files === null) await chooser.setFiles([]);
  else await chooser.setFiles(files);
  await p.waitForFunction(() => (document.getElementById('out') as HTMLOutputElement).value !== '');
  return JSON.parse(await p.evaluate(() => (document.getElementById('out') as HTMLOutputElement).value)) as unknown;
}

describe('file port in Chromium', () => {
  it('opens a text file through the file dialog', async () => {
    const path = join(dir, 'a.invoice');
    writeFileSync(path, 'héllo invoice');
    const p = await page();
    expect(await openWith(p, [path])).toEqual({ ok: true, value: { name: 'a.invoice', text: 'héllo invoice' } });
    await p.close();
  });

  it('reports a cancelled dialog as no file', async () => {
    const p = await page();
    expect(await openWith(p, null)).toEqual({ ok: true }); // value: undefined, dropped by JSON
    await p.close();
  });

  it.each<[string, Uint8Array | string, unknown]>([
    ['a binary file', Uint8Array.of(0xff, 0xfe, 0x00, 0x80), { ok: false, error: { kind: 'unreadable' } }],
    ['a file over the limit', 'x'.repeat(65), { ok: false, error: { kind: 'too-large', maxBytes: 64 } }],
  ])('reports %s', async (_label, content, expected) => {
    const path = join(dir, 'bad.invoice');
    writeFileSync(path, content);
    const p = await page();
    expect(await openWith(p, [path])).toEqual(expected);
    await p.close();
  });

  it('saves a file as a download', async () => {
    const p = await page();
    const [download] = await Promise.all([p.waitForEvent('download'), p.click('#save')]);
    expect(download.suggestedFilename()).toBe('groceries.invoice');
    const saved = join(dir, 'saved.invoice');
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toBe('{"kind":"invoice"}\n');
    await p.close();
  });
});
