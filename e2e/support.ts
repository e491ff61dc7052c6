/** e2e support: the wallet started as `npm start` starts it (browser mode, a real child process),
 *  and Debian's Chromium driven by playwright-core (never a downloaded browser build). */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { buildRenderer } from '../src-main/build.node.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = join(ROOT, 'e2e-artifacts');
export const CHROMIUM = process.env['OFFSET_CHROMIUM'] ?? '/usr/bin/chromium';

export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install chromium), as .ci/run does`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

export interface RunningWallet {
  readonly url: string;
  readonly origin: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Runs src-main/start.node.ts in browser mode on a free port, serving `rendererDir` with its
 *  wallet in `dataDir`, and resolves once it printed its address (bounded by `deadlineMs`). */
export function startWallet(rendererDir: string, dataDir: string, deadlineMs = 45_000): Promise<RunningWallet> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src-main', 'start.node.ts'), '--browser', '--port', '0', '--renderer', rendererDir, '--data-dir', dataDir, '--no-build'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the wallet printed no address within ${deadlineMs} ms:\n${out}`));
    }, deadlineMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+/.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      const url = m[0];
      resolvePromise({
        url,
        origin: url.slice(0, url.indexOf('/#')),
        output: () => out,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the wallet exited (${String(code)}) before printing its address:\n${out}`));
    });
  });
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/** One renderer module bundled as a script a test page can load: its exports appear on
 *  `window[globalName]`, so a module can be driven in Chromium without the whole UI. */
export async function bundleForPage(entry: string, globalName: string): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName,
    write: false,
    logLevel: 'silent',
  });
  const text = out.outputFiles[0]?.text;
  if (text === undefined) throw new Error(`esbuild produced nothing for ${entry}`);
  return text;
}

export interface BrowserWallet {
  readonly wallet: RunningWallet;
  readonly browser: Browser;
  /** Closes the browser, stops the wallet and removes its temporary folder. */
  close(): Promise<void>;
}

/** A freshly built UI served by a wallet in browser mode over an empty data folder, and a
 *  Chromium to drive it: the setup every whole-wallet e2e test starts from. */
export async function openBrowserWallet(prefix: string): Promise<BrowserWallet> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const rendererDir = join(dir, 'renderer');
  await buildRenderer(rendererDir);
  const [wallet, browser] = await Promise.all([startWallet(rendererDir, join(dir, 'data')), launchChromium()]);
  return {
    wallet,
    browser,
    async close() {
      await browser.close();
      await wallet.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WalletWindow { readonly page: Page; readonly context: BrowserContext; readonly problems: string[] }

/** A light-themed window on the wallet at `url`, collecting the page's errors in `problems`;
 *  with `password`, it sets the wallet's first password (a new wallet). */
export async function openWalletWindow(
  browser: Browser, url: string, opts: { readonly password?: string; readonly width?: number; readonly acceptDownloads?: boolean } = {},
): Promise<WalletWindow> {
  const context = await browser.newContext({
    colorScheme: 'light', viewport: { width: opts.width ?? 1000, height: 900 }, acceptDownloads: opts.acceptDownloads ?? false,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  if (opts.password !== undefined) {
    await page.getByLabel('Password', { exact: true }).fill(opts.password);
    await page.getByLabel('Confirm password').fill(opts.password);
    await page.getByRole('button', { name: 'Set password' }).click();
  }
  return { page, context, problems };
}

/** Creates a card from the cards list and waits for the host's reply, not only the list: the list
 *  can show the card first, and a name typed before the reply belongs to the next card. */
export async function createCard(page: Page, name: string): Promise<void> {
  await page.getByLabel('Card name').fill(name);
  await page.getByRole('button', { name: 'Create card' }).click();
  await page.getByRole('status').filter({ hasText: `Card “${name}” created.` }).waitFor();
  await page.getByRole('list', { name: 'Cards' }).getByRole('button', { name: `Open ${name}` }).waitFor();
}

/** Opens `name`'s card page from the cards list, going back to the list first if a card is open. */
export async function openCard(page: Page, name: string): Promise<void> {
  const back = page.getByRole('button', { name: '← All cards' });
  if (await back.count() > 0) await back.click();
  await page.getByRole('button', { name: `Open ${name}` }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/** Waits for a status or alert line with `text` inside `scope`. */
export const status = (scope: Page | Locator, text: string | RegExp): Promise<void> => scope.getByRole('status').filter({ hasText: text }).first().waitFor();
export const alert = (scope: Page | Locator, text: string | RegExp): Promise<void> => scope.getByRole('alert').filter({ hasText: text }).first().waitFor();

/** Shows `card`'s page (from wherever the window is) on `tab`. */
export async function show(page: Page, card: string, tab: string): Promise<void> {
  const heading = page.getByRole('heading', { name: card, level: 1 });
  if (!(await heading.isVisible())) {
    const back = page.getByRole('button', { name: '← All cards' });
    if (await back.isVisible()) await back.click();
    await page.getByRole('button', { name: `Open ${card}` }).click();
    await heading.waitFor();
  }
  await page.getByRole('tab', { name: tab, exact: true }).click();
  await page.getByRole('tab', { name: tab, exact: true, selected: true }).waitFor();
}

/** Adds a relay and an index server to `card` from their tickets' text, on its Settings tab. */
export async function addServerTickets(
  page: Page, card: string, tickets: { readonly relay: string; readonly index: string }, names = { relay: 'relay', index: 'index' },
): Promise<void> {
  await show(page, card, 'Settings');
  await page.getByRole('textbox', { name: 'Relay ticket', exact: true }).fill(tickets.relay);
  await page.getByRole('textbox', { name: 'Relay name', exact: true }).fill(names.relay);
  await page.getByRole('button', { name: 'Add relay' }).click();
  await status(page, `The relay "${names.relay}" is added.`);
  await page.getByRole('textbox', { name: 'Index server ticket', exact: true }).fill(tickets.index);
  await page.getByRole('textbox', { name: 'Index server name', exact: true }).fill(names.index);
  await page.getByRole('button', { name: 'Add index server' }).click();
  await status(page, `The index server "${names.index}" is added.`);
}
