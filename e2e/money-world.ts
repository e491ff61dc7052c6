/** e2e support for the money features (counter mode, links, fee caps): one wallet in browser mode
 *  holding several cards, optionally with real `strelay` and `stindex` processes so payments
 *  find routes, and Chromium (optionally with a fake camera filming a Y4M file the test rewrites). */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { runBin } from '../src-core/node/it/procs.ts';
import { buildRenderer } from '../src-main/build.node.ts';
import { readQrPixels } from '../src-renderer/qr/qr-pixels.ts';
import { qrVideoY4m } from './qr-video.ts';
import { addServerTickets, alert, artifactPath, createCard, launchChromium, openWalletWindow, show, startWallet, status, type RunningWallet } from './support.ts';

export { alert, createCard, show, status };
import { type TicketedServers, startTicketedServers } from './servers.ts';

export const PASSWORD = 'money world password';

export interface World {
  readonly dir: string;
  readonly wallet: RunningWallet;
  readonly browser: Browser;
  /** The fake camera's video file (with `camera`): rewrite it with `film(text)`. */
  film(text: string | undefined): void;
  ok(program: string, args: readonly string[]): Promise<string>;
  relayTicket: string;
  indexTicket: string;
  close(): Promise<void>;
}

/** `servers`: start a strelay and a stindex (payments need routes). `camera`: Chromium films the
 *  Y4M file `film` writes (blank at first). */
export async function startWorld(prefix: string, opts: { readonly servers: boolean; readonly camera: boolean }): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let servers: TicketedServers | undefined;
  const ok = async (program: string, args: readonly string[]): Promise<string> => {
    const r = await runBin(program, args, dir);
    if (r.code !== 0) throw new Error(`${program} ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  let relayTicket = '';
  let indexTicket = '';
  const rendererDir = join(dir, 'renderer');
  const video = join(dir, 'camera.y4m');
  writeFileSync(video, qrVideoY4m(undefined));
  const setup: Promise<unknown>[] = [buildRenderer(rendererDir)];
  if (opts.servers) {
    setup.push(startTicketedServers(dir).then((started) => {
      servers = started;
      ({ relayTicket, indexTicket } = started);
    }));
  }
  await Promise.all(setup);
  const [wallet, browser] = await Promise.all([
    startWallet(rendererDir, join(dir, 'wallet')),
    launchChromium(opts.camera ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`] : []),
  ]);
  return {
    dir, wallet, browser, ok, relayTicket, indexTicket,
    // rewritten in place at the same size (no truncation): Chromium keeps reading the file while
    // it films, and a short read would end the capture
    film: (text) => {
      const fd = openSync(video, 'r+');
      try {
        const bytes = qrVideoY4m(text);
        writeSync(fd, bytes, 0, bytes.length, 0);
      } finally {
        closeSync(fd);
      }
    },
    async close() {
      await browser.close();
      await wallet.stop();
      await servers?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Window { readonly page: Page; readonly context: BrowserContext; readonly problems: string[] }

/** A window on the wallet; the first one sets the password (later ones find it unlocked). */
export async function openWindow(world: World, first: boolean, url = world.wallet.url): Promise<Window> {
  return openWalletWindow(world.browser, url, { width: 1100, acceptDownloads: true, ...(first ? { password: PASSWORD } : {}) });
}

/** One window with cards Shop and Buyer, a second window on Buyer's, both with the relay and
 *  index server added (counter mode and links start here). */
export async function shopAndBuyer(world: World): Promise<{ shop: Window; buyer: Window }> {
  const shop = await openWindow(world, true);
  await shop.page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
  await createCard(shop.page, 'Shop');
  await createCard(shop.page, 'Buyer');
  const buyer = await openWindow(world, false);
  await buyer.page.getByRole('button', { name: 'Open Buyer' }).waitFor();
  await addServers(world, shop.page, 'Shop');
  await addServers(world, buyer.page, 'Buyer');
  return { shop, buyer };
}


export function addServers(world: World, page: Page, card: string): Promise<void> {
  return addServerTickets(page, card, { relay: world.relayTicket, index: world.indexTicket });
}

export async function friendFile(page: Page, card: string): Promise<string> {
  await show(page, card, 'Friends');
  const toggle = page.getByRole('button', { name: 'Show my friend file' });
  if (await toggle.isVisible()) await toggle.click();
  return (await page.getByLabel('My friend file').textContent()) ?? '';
}

/** Adds a friend from its file text; with `online`, lets it owe 100, opens requests, enables it. */
export async function befriend(page: Page, card: string, file: string | undefined, friend: string, online = true): Promise<void> {
  await show(page, card, 'Friends');
  if (file !== undefined) { // undefined: added already (from a link)
    await page.getByLabel('Friend file', { exact: true }).fill(file);
    await page.getByRole('button', { name: 'Add friend' }).click();
    await status(page, 'Friend added');
  }
  if (!online) return;
  const item = page.getByRole('listitem', { name: `Friend ${friend}` });
  await item.getByLabel(`Max debt for ${friend} (FST)`).fill('100');
  await item.getByRole('button', { name: 'Set max debt' }).click();
  await item.getByText('lets owe 100').waitFor();
  await item.getByRole('button', { name: 'Open requests' }).click();
  await item.getByText('requests open').waitFor();
  await item.getByRole('button', { name: `Enable ${friend}` }).click();
  await item.getByText(/^enabled/).waitFor();
}

export async function friendsOnline(page: Page, card: string, friend: string): Promise<void> {
  await show(page, card, 'Friends');
  await page.getByRole('listitem', { name: `Friend ${friend}` }).getByText('enabled · online').waitFor({ timeout: 45_000 });
}

export async function balanceWith(page: Page, card: string, friend: string, amount: string): Promise<void> {
  await show(page, card, 'Friends');
  await page.getByRole('listitem', { name: `Friend ${friend}` }).locator('.balance').filter({ hasText: new RegExp(`^${amount} FST$`) }).waitFor({ timeout: 30_000 });
}

/** The text of the QR code an <img> on the page shows (read back in node with jsqr). */
export async function qrTextOf(img: Locator): Promise<string> {
  await img.waitFor();
  const pixels = await img.evaluate(async (el: HTMLImageElement) => {
    await el.decode();
    const canvas = document.createElement('canvas');
    canvas.width = el.naturalWidth;
    canvas.height = el.naturalHeight;
    const g = canvas.getContext('2d');
    if (g === null) throw new Error('no 2d context');
    g.drawImage(el, 0, 0);
    const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { w: canvas.width, h: canvas.height, base64: btoa(binary) };
  });
  const r = readQrPixels(new Uint8ClampedArray(Buffer.from(pixels.base64, 'base64')), pixels.w, pixels.h);
  if (!r.ok) throw new Error(`no QR code read from the picture: ${r.error.kind}`);
  return r.value;
}

/** Clicks "Check invoice and fee" until the quote shows (the index server learns of new
 *  capacities on its own schedule; bounded). */
export async function quoteShown(page: Page): Promise<Locator> {
  const quote = page.getByRole('group', { name: 'Payment quote' });
  const end = Date.now() + 45_000;
  for (;;) {
    await page.getByRole('button', { name: 'Check invoice and fee' }).click();
    const noRoute = page.getByRole('alert').filter({ hasText: 'No route can carry' });
    await Promise.race([quote.waitFor(), noRoute.waitFor()]);
    if (await quote.isVisible()) return quote;
    if (Date.now() > end) throw new Error(`no quote: ${await noRoute.textContent()}`);
    await page.waitForTimeout(300); // bounded poll of the index server (see above)
  }
}

export async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: artifactPath(name), fullPage: true });
}

export function noProblems(...windows: Window[]): void {
  for (const w of windows) expect(w.problems).toEqual([]);
}
