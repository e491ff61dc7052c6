/** The Electron shell, where the Electron binary is installed and a display exists (ARCHITECTURE
 *  §3: "and the Electron mode too where Electron is present"; on a headless Linux run it under
 *  xvfb-run). Skipped elsewhere, as on machines that reach only the npm registry (docs/wallet.md);
 *  so this file has not run on the machine it was written on. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import { _electron } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, buildRenderer } from '../src-main/build.node.ts';
import { electronBinary } from '../src-main/electron-binary.node.ts';
import { artifactPath, ROOT } from './support.ts';

const binary = electronBinary();
// Electron needs a display on Linux (no headless mode of its own); elsewhere it always has one
const hasDisplay = process.platform !== 'linux' || Boolean(process.env['DISPLAY'] ?? process.env['WAYLAND_DISPLAY']);

describe.skipIf(binary === undefined || !hasDisplay)('wallet shell in Electron', () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'offset-electron-'));
    await Promise.all([buildRenderer(), buildMain()]);
    app = await _electron.launch({
      executablePath: binary as string,
      // root in a container cannot use Chromium's setuid sandbox; the renderer sandbox option stays on
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), `--offset-data-dir=${dataDir}`, ROOT],
    });
    page = await app.firstWindow();
    await page.getByRole('heading', { name: 'Welcome to Offset', level: 1 }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill('electron password');
    await page.getByLabel('Confirm password').fill('electron password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the bundled renderer from app://offset with the strict CSP', async () => {
    expect(page.url()).toBe('app://offset/index.html');
    const blocked = await page.evaluate(async () => {
      try {
        await fetch('https://example.com/');
        return false;
      } catch {
        return true;
      }
    });
    expect(blocked).toBe(true);
  });

  it('gives the page only window.offset { call, onEvent }, no Node', async () => {
    const seen = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        offset: Object.keys(w['offset'] as object).sort(),
        require: typeof w['require'],
        process: typeof w['process'],
        opened: window.open('https://example.com/') === null,
      };
    });
    expect(seen).toEqual({ offset: ['call', 'onEvent'], require: 'undefined', process: 'undefined', opened: true });
  });

  it('creates a card through the IPC bridge', async () => {
    await page.getByLabel('Card name').fill('Electron card');
    await page.getByRole('button', { name: 'Create card' }).click();
    await page.getByRole('list', { name: 'Cards' }).getByText('Electron card').waitFor();
    await page.screenshot({ path: artifactPath('electron-01-card-created.png') });
  });

  it('stays on the app when the page tries to navigate away', async () => {
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    expect(page.url()).toBe('app://offset/index.html');
  });
});
