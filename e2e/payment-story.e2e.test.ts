/** The payment story of issue 8 in a real Chromium, against real programs: a `strelay` and a
 *  `stindex` process, and two wallets in browser mode (two `npm start` hosts, each with its own
 *  data folder): Alice's wallet holds cards Alice and Carol, Bob's wallet holds Bob and Mediator.
 *  Cards become friends by scanning each other's friend QR pictures; Alice invoices 60, Bob scans
 *  the invoice picture, sees the fee, pays and shows the commit QR, Alice scans it and collects;
 *  Bob's receipt verifies with `stregister verify-receipt`. Then Alice pays Carol through
 *  Mediator, who charges a fee (the invoice picture pasted from the clipboard, the commit read by
 *  Chromium's fake camera; the mediator raises its fee between quote and payment, and the stale
 *  quote is caught before anything is paid). A payment split over two mediators. Then bad input,
 *  each refused with a message, nothing changed; and a payment to a public key without invoice. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatQrPayload, parseCommit } from '../src-core/files/index.ts';
import { buildRenderer } from '../src-main/build.node.ts';
import { qrPixels } from '../src-renderer/qr/qr-pixels.ts';
import { runBin } from '../src-core/node/it/procs.ts';
import {
  addServerTickets, alert, artifactPath, createCard, launchChromium, openWalletWindow, type RunningWallet, show, startWallet, status, type WalletWindow,
} from './support.ts';
import { befriend as addFriend } from './money-world.ts';
import { type TicketedServers, startTicketedServers } from './servers.ts';

const PASSWORD = 'payment story password';
let dir = '';
let browser: Browser | undefined;
const wallets: RunningWallet[] = [];
let servers: TicketedServers | undefined;
let relayTicket = '';
let indexTicket = '';

/** What Chromium's fake camera films: a Y4M video of a QR code, centred on white (as in
 *  camera-scan.e2e.test.ts). Rewritten before each scan; the camera opens the file when it starts. */
const VIDEO_W = 640;
const VIDEO_H = 480;
function filmQr(text: string): void {
  const { pixels, size } = qrPixels(text, 4);
  const y = Buffer.alloc(VIDEO_W * VIDEO_H, 235);
  const ox = Math.floor((VIDEO_W - size) / 2);
  const oy = Math.floor((VIDEO_H - size) / 2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) if ((pixels[(r * size + c) * 4] as number) < 128) y[(oy + r) * VIDEO_W + ox + c] = 16;
  }
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, Buffer.alloc((VIDEO_W / 2) * (VIDEO_H / 2) * 2, 128)]);
  writeFileSync(join(dir, 'camera.y4m'), Buffer.concat([Buffer.from(`YUV4MPEG2 W${VIDEO_W} H${VIDEO_H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]));
}

async function ok(program: string, args: readonly string[]): Promise<string> {
  const r = await runBin(program, args, dir);
  if (r.code !== 0) throw new Error(`${program} ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offset-e2e-story-'));
  const rendererDir = join(dir, 'renderer');
  const [started] = await Promise.all([startTicketedServers(dir), buildRenderer(rendererDir)]);
  servers = started;
  ({ relayTicket, indexTicket } = started);
  wallets.push(...await Promise.all([startWallet(rendererDir, join(dir, 'alice-wallet')), startWallet(rendererDir, join(dir, 'bob-wallet'))]));
  filmQr('nothing to see yet');
  browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${join(dir, 'camera.y4m')}`]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const w of wallets) await w.stop();
  await servers?.stop();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** One wallet's window (a new wallet: its password set), with the page's errors collected. */
type Window = WalletWindow;

async function openWindow(wallet: RunningWallet): Promise<Window> {
  if (browser === undefined) throw new Error('no browser');
  const w = await openWalletWindow(browser, wallet.url, { password: PASSWORD, acceptDownloads: true });
  await w.page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
  return w;
}




function addServers(page: Page, card: string): Promise<void> {
  return addServerTickets(page, card, { relay: relayTicket, index: indexTicket }, { relay: 'story relay', index: 'story index' });
}

/** The friend QR code the card shows, as the PNG on screen. */
async function friendQr(page: Page, card: string): Promise<Buffer> {
  await show(page, card, 'Friends');
  const toggle = page.getByRole('button', { name: 'Show my friend file' });
  if (await toggle.isVisible()) await toggle.click();
  const img = page.getByRole('img', { name: 'My friend file as a QR code' });
  await img.waitFor();
  return img.screenshot();
}

/** Adds a friend by scanning its QR picture, lets it owe 100, opens requests and enables it. */
async function befriend(page: Page, card: string, qr: Buffer, friend: string): Promise<void> {
  await show(page, card, 'Friends');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Read a QR picture…' }).click()]);
  await chooser.setFiles({ name: `${friend}.png`, mimeType: 'image/png', buffer: qr });
  await page.waitForFunction((n) => (document.querySelector('textarea') as HTMLTextAreaElement | null)?.value.includes(`"name": "${n}"`) === true, friend);
  await page.getByRole('button', { name: 'Add friend' }).click();
  await status(page, 'Friend added');
  await addFriend(page, card, undefined, friend); // added already: lets it owe 100, opens requests, enables it
}

async function friendsOnline(page: Page, card: string, friend: string): Promise<void> {
  await show(page, card, 'Friends');
  await page.getByRole('listitem', { name: `Friend ${friend}` }).getByText('enabled · online').waitFor({ timeout: 45_000 });
}

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: readFileSync(path) };
}

/** Picks `picture` in the file dialog that `button` opens. */
async function choosePicture(page: Page, button: string, name: string, picture: Buffer): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: button }).click()]);
  await chooser.setFiles({ name, mimeType: 'image/png', buffer: picture });
}

/** Clicks "Check invoice and fee" until the quote shows: the index server hears of new friends'
 *  capacities on its own schedule, so "no route" is retried (bounded). */
async function quoteShown(page: Page): Promise<Locator> {
  const quote = page.getByRole('group', { name: 'Payment quote' });
  const end = Date.now() + 45_000;
  for (;;) {
    await page.getByRole('button', { name: 'Check invoice and fee' }).click();
    // not yet: no route, or the card's index server connection is not up yet
    const noRoute = page.getByRole('alert').filter({ hasText: /No route can carry|could not be asked for routes|could not look for routes/ }).first();
    const seen = (l: Locator): Promise<void> => l.waitFor().catch(() => undefined); // the loser must not reject unheard
    await Promise.race([seen(quote), seen(noRoute)]);
    if (await quote.isVisible()) return quote;
    if (Date.now() > end) throw new Error(`no quote: ${await noRoute.textContent({ timeout: 1000 }).catch(() => 'no message shown')}`);
    await page.waitForTimeout(300); // bounded poll of the index server (see above)
  }
}

/** Reads a picture of a QR code into the Pay tab and pays the invoice; returns the commit's PNG. */
async function payInvoicePicture(
  page: Page, card: string, invoicePng: Buffer, expectFee: string, how: 'file' | 'clipboard', beforePay: (quote: Locator) => Promise<void> = async () => {},
): Promise<{ commitPng: Buffer; commitFile: string; quote: string }> {
  await show(page, card, 'Pay');
  if (how === 'file') await choosePicture(page, 'Read an invoice QR picture…', 'invoice.png', invoicePng);
  else {
    // the picture pasted from the clipboard into the invoice field
    await page.getByRole('textbox', { name: 'Invoice (file text or QR text)' }).evaluate((el, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'copied.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, invoicePng.toString('base64'));
  }
  await page.waitForFunction(() => [...document.querySelectorAll('textarea')].some((t) => t.value.startsWith('offset:invoice:')));
  const quote = await quoteShown(page);
  await expect.poll(() => quote.getByLabel('Fee', { exact: true }).textContent()).toBe(expectFee);
  const text = (await quote.textContent()) ?? '';
  await page.screenshot({ path: artifactPath(`pay-${card.toLowerCase()}-quote.png`), fullPage: true });
  await beforePay(quote);
  await quote.getByRole('button', { name: /^Pay / }).click();
  await status(page, 'Paid. Give the seller the commit');
  const img = page.getByRole('img', { name: 'Commit as a QR code' }).first();
  await img.waitFor();
  const file = await download(page, () => page.getByRole('button', { name: 'Save commit file' }).first().click());
  return { commitPng: await img.screenshot(), commitFile: file.bytes.toString('utf8'), quote: text };
}

async function setFee(page: Page, card: string, friend: string, fee: string): Promise<void> {
  await show(page, card, 'Friends');
  await page.getByRole('button', { name: `${friend}'s page` }).click();
  await page.getByLabel('Fixed fee (FST)').fill(fee);
  await page.getByRole('button', { name: 'Set fee' }).click();
  await status(page, `The fee for ${friend} in FST is set.`);
}

/** Reads the invoice picture on `card`'s Pay tab and checks it until its quote shows `fee` (the
 *  index server hears of a new rate on its own schedule; bounded), then leaves it unpaid. */
async function quoteUntilFee(page: Page, card: string, invoicePng: Buffer, fee: string): Promise<void> {
  await show(page, card, 'Pay');
  await choosePicture(page, 'Read an invoice QR picture…', 'invoice.png', invoicePng);
  const end = Date.now() + 45_000;
  for (;;) {
    const quote = await quoteShown(page);
    if ((await quote.getByLabel('Fee', { exact: true }).textContent()) === fee) break;
    if (Date.now() > end) throw new Error(`the quote never showed a fee of ${fee}`);
    await page.waitForTimeout(300); // bounded poll of the index server
  }
  await page.getByRole('button', { name: "Don't pay" }).click();
}

async function balanceWith(page: Page, card: string, friend: string, amount: string): Promise<void> {
  await show(page, card, 'Friends');
  await page.getByRole('listitem', { name: `Friend ${friend}` }).locator('.balance').filter({ hasText: new RegExp(`^${amount} FST$`) }).waitFor({ timeout: 30_000 });
}

describe('the payment story in Chromium (two wallets in browser mode, real strelay and stindex)', () => {
  it('befriends by QR pictures, pays an invoice by QR, collects by the commit QR, verifies the receipt, pays through a fee-charging mediator and refuses bad input', async () => {
    const [aliceWallet, bobWallet] = wallets as [RunningWallet, RunningWallet];
    const alice = await openWindow(aliceWallet);
    const bob = await openWindow(bobWallet);
    const a = alice.page;
    const b = bob.page;
    // the two windows are driven side by side where they do not depend on each other
    const both = (x: () => Promise<void>, y: () => Promise<void>): Promise<unknown> => Promise.all([x(), y()]);
    await both(() => createCard(a, 'Alice'), () => createCard(b, 'Bob'));
    await both(() => createCard(a, 'Carol'), () => createCard(b, 'Mediator'));
    await both(() => addServers(a, 'Alice'), () => addServers(b, 'Bob'));
    await both(() => addServers(a, 'Carol'), () => addServers(b, 'Mediator'));
    await a.screenshot({ path: artifactPath('pay-01-settings-carol.png'), fullPage: true });

    // friends by QR pictures: Alice–Bob, Alice–Mediator, Mediator–Carol
    const [alice1, bob1] = await Promise.all([friendQr(a, 'Alice'), friendQr(b, 'Bob')]);
    const [carol1, mediator1] = await Promise.all([friendQr(a, 'Carol'), friendQr(b, 'Mediator')]);
    const qr = { alice: alice1, bob: bob1, carol: carol1, mediator: mediator1 };
    await both(() => befriend(a, 'Alice', qr.bob, 'Bob'), () => befriend(b, 'Bob', qr.alice, 'Alice'));
    await both(() => befriend(a, 'Alice', qr.mediator, 'Mediator'), () => befriend(b, 'Mediator', qr.alice, 'Alice'));
    await both(() => befriend(a, 'Carol', qr.mediator, 'Mediator'), () => befriend(b, 'Mediator', qr.carol, 'Carol'));
    await friendsOnline(a, 'Alice', 'Bob');
    await friendsOnline(a, 'Alice', 'Mediator');
    await a.screenshot({ path: artifactPath('pay-02-alice-friends.png'), fullPage: true });
    await friendsOnline(b, 'Bob', 'Alice');
    await b.screenshot({ path: artifactPath('pay-03-bob-friends.png'), fullPage: true });

    // Alice invoices 60 and saves the invoice's QR picture and file
    await show(a, 'Alice', 'Get paid');
    await a.screenshot({ path: artifactPath('pay-04-alice-get-paid-empty.png'), fullPage: true });
    await a.getByLabel('Amount').fill('60');
    await a.getByLabel('Description (what it is for)').fill('Two concert tickets');
    await a.getByRole('button', { name: 'Create invoice' }).click();
    await status(a, 'Invoice for 60 FST made');
    const invoicePng = await download(a, () => a.getByRole('button', { name: 'Save QR picture' }).click());
    expect(invoicePng.name).toMatch(/^invoice-.*\.png$/);
    const invoiceFile = await download(a, () => a.getByRole('button', { name: 'Save invoice file' }).click());
    writeFileSync(join(dir, 'tickets.invoice'), invoiceFile.bytes);
    expect(JSON.parse(invoiceFile.bytes.toString('utf8'))).toMatchObject({ kind: 'invoice', currency: 'FST', totalDestPayment: '60', description: 'Two concert tickets' });
    const invoiceItem = a.getByRole('listitem', { name: 'Invoice 60 FST Two concert tickets' });
    await invoiceItem.getByText('open: waiting for payment').waitFor();
    await a.screenshot({ path: artifactPath('pay-05-alice-invoice.png'), fullPage: true });

    // Bob scans the invoice picture, sees the fee (none: Alice is his friend), pays, shows the commit
    const first = await payInvoicePicture(b, 'Bob', invoicePng.bytes, '0 FST', 'file');
    expect(first.quote).toContain('Two concert tickets');
    expect(first.quote).toContain('60 FST through no mediator');
    await b.getByRole('listitem', { name: 'Payment 60 FST Two concert tickets' }).getByText('paid: waiting for the seller to collect').waitFor();
    await b.screenshot({ path: artifactPath('pay-06-bob-paid-commit.png'), fullPage: true });

    // Alice scans the commit picture and collects
    await show(a, 'Alice', 'Get paid');
    await invoiceItem.getByText("paid: waiting for the buyer's commit").waitFor();
    if (!(await a.getByRole('heading', { name: 'Invoice for 60 FST' }).isVisible())) await invoiceItem.getByRole('button', { name: 'Show invoice' }).click();
    await choosePicture(a, 'Read a commit QR picture…', 'commit.png', first.commitPng);
    await a.waitForFunction(() => [...document.querySelectorAll('textarea')].some((t) => t.value.startsWith('offset:commit:')));
    await a.screenshot({ path: artifactPath('pay-07-alice-commit-read.png'), fullPage: true });
    await a.getByRole('button', { name: 'Collect', exact: true }).click();
    await status(a, 'Commit accepted');
    await invoiceItem.getByText('collected', { exact: true }).waitFor();
    await a.screenshot({ path: artifactPath('pay-08-alice-collected.png'), fullPage: true });

    // both lists and balances show it; Bob keeps the receipt, and it verifies with stregister
    const bobPayment = b.getByRole('listitem', { name: 'Payment 60 FST Two concert tickets' });
    await bobPayment.getByText('collected by the seller: receipt kept').waitFor();
    await bobPayment.getByRole('button', { name: 'View receipt' }).click();
    await b.getByLabel('Receipt').waitFor();
    await b.screenshot({ path: artifactPath('pay-09-bob-receipt.png'), fullPage: true });
    const receipt = await download(b, () => bobPayment.getByRole('button', { name: 'Save receipt file' }).click());
    writeFileSync(join(dir, 'tickets.receipt'), receipt.bytes);
    const verified = await runBin('stregister', ['verify-receipt', '-i', 'tickets.invoice', '-r', 'tickets.receipt'], dir);
    expect(verified).toMatchObject({ code: 0 });
    await balanceWith(a, 'Alice', 'Bob', '60');
    await balanceWith(b, 'Bob', 'Alice', '-60');
    await a.screenshot({ path: artifactPath('pay-10-alice-balance.png'), fullPage: true });
    await b.screenshot({ path: artifactPath('pay-11-bob-balance.png'), fullPage: true });
    // the cards' History tabs (the node's history rows) show it too
    await show(a, 'Alice', 'History');
    await a.getByRole('table', { name: 'History' }).getByRole('row').filter({ hasText: 'Invoice' }).filter({ hasText: '60 FST' }).filter({ hasText: 'collected' }).waitFor();
    await a.screenshot({ path: artifactPath('pay-11a-alice-history.png'), fullPage: true });
    await show(b, 'Bob', 'History');
    const bobRow = b.getByRole('table', { name: 'History' }).getByRole('row').filter({ hasText: 'Payment' }).filter({ hasText: '60 FST' }).filter({ hasText: 'Alice' });
    await bobRow.filter({ hasText: 'paid' }).getByRole('button', { name: 'Receipt' }).waitFor();
    await b.screenshot({ path: artifactPath('pay-11b-bob-history.png'), fullPage: true });

    // three cards: Mediator charges Alice a fixed fee of 2; Carol invoices 30; Alice pays through Mediator
    await setFee(b, 'Mediator', 'Alice', '2');
    await b.screenshot({ path: artifactPath('pay-12-mediator-fee.png'), fullPage: true });
    await b.getByRole('button', { name: '← All friends' }).click();
    await friendsOnline(a, 'Carol', 'Mediator');
    await show(a, 'Carol', 'Get paid');
    await a.getByLabel('Amount').fill('30');
    await a.getByLabel('Description (what it is for)').fill('Bread');
    await a.getByRole('button', { name: 'Create invoice' }).click();
    await status(a, 'Invoice for 30 FST made');
    const breadPng = await download(a, () => a.getByRole('button', { name: 'Save QR picture' }).click());
    const second = await payInvoicePicture(a, 'Alice', breadPng.bytes, '2 FST', 'clipboard', async (quote) => {
      // the quote goes stale before Alice confirms: Mediator raises its fee to 3; once the index
      // server knows (Bob's quote for the same invoice, through Alice and Mediator, shows it),
      // Alice's Pay re-checks, pays nothing and shows the new fee to confirm again
      await setFee(b, 'Mediator', 'Alice', '3');
      await b.getByRole('button', { name: '← All friends' }).click();
      await quoteUntilFee(b, 'Bob', breadPng.bytes, '3 FST');
      await quote.getByRole('button', { name: 'Pay 32 FST' }).click();
      await alert(a, 'The fee changed from 2 FST to 3 FST. Nothing was paid');
      await expect.poll(() => quote.getByLabel('Fee', { exact: true }).textContent()).toBe('3 FST');
      await a.screenshot({ path: artifactPath('pay-13a-alice-fee-changed.png'), fullPage: true });
    });
    expect(second.quote).toContain('30 FST through Mediator: fee 2 FST (rate 2, 2 hops)');
    expect(second.quote).toContain('32 FST');
    await show(a, 'Carol', 'Get paid');
    const bread = a.getByRole('listitem', { name: 'Invoice 30 FST Bread' });
    await bread.getByText("paid: waiting for the buyer's commit").waitFor();
    await bread.getByRole('button', { name: 'Show invoice' }).click();
    // this commit comes through the camera: Chromium's fake camera films the commit's QR code
    const commit = parseCommit(second.commitFile);
    if (!commit.ok) throw new Error(commit.error.message);
    filmQr(formatQrPayload({ kind: 'commit', commit: commit.value }));
    await a.getByRole('button', { name: 'Scan with the camera' }).click();
    await a.waitForFunction(() => [...document.querySelectorAll('textarea')].some((t) => t.value.startsWith('offset:commit:')));
    await a.getByRole('button', { name: 'Collect', exact: true }).click();
    await bread.getByText('collected', { exact: true }).waitFor();
    await a.screenshot({ path: artifactPath('pay-13-carol-collected.png'), fullPage: true });
    await balanceWith(a, 'Alice', 'Mediator', '-33');
    await balanceWith(a, 'Carol', 'Mediator', '30');
    await balanceWith(b, 'Mediator', 'Alice', '33');
    await balanceWith(b, 'Mediator', 'Carol', '-30');
    await b.screenshot({ path: artifactPath('pay-14-mediator-balances.png'), fullPage: true });
    await show(a, 'Alice', 'Pay');
    await a.getByRole('listitem', { name: 'Payment 30 FST Bread' }).getByText('collected by the seller: receipt kept').waitFor();
    await a.screenshot({ path: artifactPath('pay-15-alice-payments.png'), fullPage: true });

    // bad input on Bob's Pay tab: each a clear message, no quote, nothing paid
    await show(b, 'Bob', 'Pay');
    const payments = b.getByRole('list', { name: 'Payments' }).getByRole('listitem');
    const before = await payments.count();
    await choosePicture(b, 'Read an invoice QR picture…', 'notes.png', Buffer.from('these are notes, not a picture'));
    await alert(b, 'No invoice QR code was read from notes.png: This file is not an image');
    await choosePicture(b, 'Read an invoice QR picture…', 'friend.png', qr.alice);
    await b.getByRole('button', { name: 'Check invoice and fee' }).click();
    await alert(b, 'This is a friend file, not an invoice.');
    const aliceKey = (JSON.parse(readFileSync(join(dir, 'tickets.invoice'), 'utf8')) as { destPublicKey: string }).destPublicKey;
    await ok('stregister', ['gen-invoice', '-a', '5', '-p', aliceKey, '-c', 'EUR', '-o', 'euro.invoice']);
    await b.getByRole('textbox', { name: 'Invoice (file text or QR text)' }).fill(readFileSync(join(dir, 'euro.invoice'), 'utf8'));
    await b.getByRole('button', { name: 'Check invoice and fee' }).click();
    await alert(b, 'this card has no friend in EUR');
    await b.screenshot({ path: artifactPath('pay-16-bob-invoice-other-currency.png'), fullPage: true });
    expect(await b.getByRole('group', { name: 'Payment quote' }).count()).toBe(0);
    expect(await payments.count()).toBe(before);

    // bad input on Alice's Get paid tab: too many decimals; a commit of another invoice
    await show(a, 'Alice', 'Get paid');
    const invoices = a.getByRole('list', { name: 'Invoices' }).getByRole('listitem');
    await a.getByLabel('Amount').fill('60.5');
    await a.getByRole('button', { name: 'Create invoice' }).click();
    await alert(a, 'This currency has no decimals: enter a whole number.');
    expect(await invoices.count()).toBe(1);
    await a.screenshot({ path: artifactPath('pay-17-alice-too-many-decimals.png'), fullPage: true });
    await a.getByLabel('Amount').fill('5');
    await a.getByLabel('Description (what it is for)').fill('Coffee');
    await a.getByRole('button', { name: 'Create invoice' }).click();
    await status(a, 'Invoice for 5 FST made');
    await choosePicture(a, 'Read a commit QR picture…', 'commit.png', first.commitPng);
    await a.getByRole('button', { name: 'Collect', exact: true }).click();
    await alert(a, 'This commit is for another invoice');
    const coffee = a.getByRole('listitem', { name: 'Invoice 5 FST Coffee' });
    await coffee.getByText('open: waiting for payment').waitFor();
    await a.screenshot({ path: artifactPath('pay-18-alice-commit-of-another-invoice.png'), fullPage: true });
    // a reload forgets the window's list; the open invoice comes back from the node's report
    await a.reload();
    await a.getByRole('button', { name: 'Open Alice' }).click();
    await a.getByRole('heading', { name: 'Alice', level: 1 }).waitFor();
    // the tabs are keyboard-usable: arrow keys move between them
    await a.getByRole('tab', { name: 'Friends', exact: true }).focus();
    await a.keyboard.press('ArrowRight');
    await a.getByRole('tab', { name: 'Get paid', exact: true, selected: true }).waitFor();
    const rebuilt = a.getByRole('listitem', { name: 'Invoice 5 FST' });
    await rebuilt.getByText('made before this window opened').waitFor();
    await rebuilt.getByText('open: waiting for payment').waitFor();
    await rebuilt.getByRole('button', { name: 'Show invoice' }).click();
    await a.getByRole('button', { name: 'Cancel invoice' }).click();
    await rebuilt.getByText('cancelled', { exact: true }).waitFor();
    await a.screenshot({ path: artifactPath('pay-18b-alice-rebuilt-invoice-cancelled.png'), fullPage: true });
    await balanceWith(a, 'Alice', 'Bob', '60');
    await balanceWith(b, 'Bob', 'Alice', '-60');

    // a payment to a public key, no invoice: Bob sends Alice 5; her card collects by itself
    await show(b, 'Bob', 'Pay');
    await b.getByLabel('Or a friend').selectOption({ label: 'Alice' });
    expect(await b.getByLabel('Public key of the card to pay').inputValue()).toBe(aliceKey);
    await b.getByLabel('Amount to send').fill('5');
    await b.getByRole('button', { name: 'Check the fee' }).click();
    const keyQuote = b.getByRole('group', { name: 'Payment quote' });
    await expect.poll(() => keyQuote.getByLabel('Fee', { exact: true }).textContent()).toBe('0 FST');
    await b.screenshot({ path: artifactPath('pay-19-bob-pay-a-key-quote.png'), fullPage: true });
    await keyQuote.getByRole('button', { name: 'Pay 5 FST' }).click();
    await status(b, 'Paid: the receipt is kept below.');
    await b.getByRole('listitem', { name: 'Payment 5 FST' }).getByText('paid: receipt kept').waitFor();
    await balanceWith(b, 'Bob', 'Alice', '-65');
    await balanceWith(a, 'Alice', 'Bob', '65');
    await b.screenshot({ path: artifactPath('pay-20-bob-balance-after-key-payment.png'), fullPage: true });

    // a payment split over two routes: Nina, a second (free) mediator, joins Alice and Carol;
    // Carol invoices 150, more than the route through Mediator carries alone
    await b.getByRole('button', { name: '← All cards' }).click();
    await createCard(b, 'Nina');
    await addServers(b, 'Nina');
    const ninaQr = await friendQr(b, 'Nina');
    await both(() => befriend(a, 'Alice', ninaQr, 'Nina'), () => befriend(b, 'Nina', qr.alice, 'Alice'));
    await both(() => befriend(a, 'Carol', ninaQr, 'Nina'), () => befriend(b, 'Nina', qr.carol, 'Carol'));
    await friendsOnline(a, 'Carol', 'Nina');
    await friendsOnline(a, 'Alice', 'Nina');
    await show(a, 'Carol', 'Get paid');
    await a.getByLabel('Amount').fill('150');
    await a.getByLabel('Description (what it is for)').fill('Bicycle');
    await a.getByRole('button', { name: 'Create invoice' }).click();
    await status(a, 'Invoice for 150 FST made');
    const bicyclePng = await download(a, () => a.getByRole('button', { name: 'Save QR picture' }).click());
    await show(a, 'Alice', 'Pay');
    await choosePicture(a, 'Read an invoice QR picture…', 'bicycle.png', bicyclePng.bytes);
    const split = await quoteShown(a);
    await split.getByText('split over 2 routes').waitFor();
    const routes = split.getByRole('list', { name: 'Routes' }).getByRole('listitem');
    expect(await routes.count()).toBe(2);
    const routeText = (await routes.allTextContents()).join('\n');
    expect(routeText).toContain('through Mediator');
    expect(routeText).toContain('through Nina');
    await a.screenshot({ path: artifactPath('pay-20a-alice-split-quote.png'), fullPage: true });
    await split.getByRole('button', { name: /^Pay / }).click();
    await status(a, 'Paid. Give the seller the commit');
    const bicycleCommit = await download(a, () => a.getByRole('listitem', { name: 'Payment 150 FST Bicycle' }).getByRole('button', { name: 'Save commit file' }).click());
    await show(a, 'Carol', 'Get paid');
    const bicycle = a.getByRole('listitem', { name: 'Invoice 150 FST Bicycle' });
    await bicycle.getByText("paid: waiting for the buyer's commit").waitFor();
    if (!(await a.getByRole('heading', { name: 'Invoice for 150 FST' }).isVisible())) await bicycle.getByRole('button', { name: 'Show invoice' }).click();
    await a.getByRole('textbox', { name: 'Commit (file text or QR text)' }).fill(bicycleCommit.bytes.toString('utf8'));
    await a.getByRole('button', { name: 'Collect', exact: true }).click();
    await bicycle.getByText('collected', { exact: true }).waitFor();
    // Carol is owed 30 + 150 in all, through both mediators
    await show(a, 'Carol', 'Friends');
    const owed = async (friend: string): Promise<bigint> => BigInt(((await a.getByRole('listitem', { name: `Friend ${friend}` }).locator('.balance').first().textContent()) ?? '').replace(/[^0-9-]/g, ''));
    await expect.poll(async () => (await owed('Mediator')) + (await owed('Nina'))).toBe(180n);
    expect(await owed('Nina')).toBeGreaterThan(0n);
    await a.screenshot({ path: artifactPath('pay-20b-carol-split-collected.png'), fullPage: true });
    await show(b, 'Bob', 'Pay');
    await b.getByLabel('Theme').selectOption('dark');
    await b.getByRole('listitem', { name: 'Payment 60 FST Two concert tickets' }).getByRole('button', { name: 'View receipt' }).click();
    await b.screenshot({ path: artifactPath('pay-21-bob-pay-dark.png'), fullPage: true });

    expect(alice.problems).toEqual([]);
    expect(bob.problems).toEqual([]);
    await alice.context.close();
    await bob.context.close();
  }, 300_000);
});
