/** Safety habits (issue 11 item 7) in a real Chromium, browser mode, real node engines, a real
 *  `strelay` and `stindex`: a backup reminder per card until its first backup; safety settings
 *  changed only with the wallet password; the wallet password asked before paying above the
 *  threshold (a wrong one refused, nothing paid); and the host locking the wallet after the
 *  idle time (the lock screen in this window and in a new one). Screenshots in e2e-artifacts/. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../src-main/build.node.ts';
import {
  addServerTickets, alert, artifactPath, createCard, launchChromium, openWalletWindow, type RunningWallet, startWallet, status,
} from './support.ts';
import { befriend as addFriend } from './money-world.ts';
import { type TicketedServers, startTicketedServers } from './servers.ts';

const PASSWORD = 'safety e2e password';
let dir = '';
let browser: Browser | undefined;
let wallet: RunningWallet | undefined;
let servers: TicketedServers | undefined;
let relayTicket = '';
let indexTicket = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offset-e2e-safety-'));
  const rendererDir = join(dir, 'renderer');
  const [started] = await Promise.all([startTicketedServers(dir), buildRenderer(rendererDir)]);
  servers = started;
  ({ relayTicket, indexTicket } = started);
  [wallet, browser] = await Promise.all([startWallet(rendererDir, join(dir, 'data')), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await wallet?.stop();
  await servers?.stop();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});



async function toCards(page: Page): Promise<void> {
  const back = page.getByRole('button', { name: '← All cards' });
  if (await back.isVisible()) await back.click();
  await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
}

async function show(page: Page, card: string, tab: string): Promise<void> {
  const heading = page.getByRole('heading', { name: card, level: 1 });
  if (!(await heading.isVisible())) {
    await toCards(page);
    await page.getByRole('button', { name: `Open ${card}` }).click();
    await heading.waitFor();
  }
  await page.getByRole('tab', { name: tab, exact: true }).click();
  await page.getByRole('tab', { name: tab, exact: true, selected: true }).waitFor();
}

function addServers(page: Page, card: string): Promise<void> {
  return addServerTickets(page, card, { relay: relayTicket, index: indexTicket }, { relay: 'e2e relay', index: 'e2e index' });
}

async function befriend(page: Page, card: string, friend: string): Promise<void> {
  await show(page, friend, 'Friends');
  const toggle = page.getByRole('button', { name: 'Show my friend file' });
  if (await toggle.isVisible()) await toggle.click();
  const file = (await page.getByLabel('My friend file').textContent()) ?? '';
  await addFriend(page, card, file, friend);
}

/** Fills the safety form on the cards page and saves it with `password`. */
async function saveSafety(page: Page, o: { autoLock: string; unit: string; fst: string; password: string }): Promise<void> {
  await toCards(page);
  const form = page.getByRole('region', { name: 'Safety' });
  await form.getByLabel('Lock after no input for (0: never)').fill(o.autoLock);
  await form.getByLabel('Unit').selectOption(o.unit);
  await form.getByLabel('Currency').first().fill('FST');
  await form.getByLabel('Amount in FST').fill(o.fst);
  await form.getByLabel('Wallet password (to change these)').fill(o.password);
  await form.getByRole('button', { name: 'Save safety settings' }).click();
}

describe('safety habits in Chromium (browser mode, real strelay and stindex)', () => {
  it('reminds to back up until the first backup, asks the password above the threshold, and locks when idle', async () => {
    if (browser === undefined || wallet === undefined) throw new Error('not started');
    const { page, context, problems } = await openWalletWindow(browser, wallet.url, { password: PASSWORD, acceptDownloads: true });
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    await createCard(page, 'Alice');
    await createCard(page, 'Bob');

    // a reminder per card until its first backup
    const reminders = page.getByRole('list', { name: 'Backup reminders' });
    await reminders.getByText('Back up “Alice”').waitFor();
    await reminders.getByText('Back up “Bob”').waitFor();
    await page.screenshot({ path: artifactPath('safety-01-backup-reminders.png'), fullPage: true });
    await page.getByRole('listitem', { name: 'Alice' }).getByRole('button', { name: 'Export a backup of Alice' }).click();
    const exportForm = page.getByRole('form', { name: 'Export a backup of Alice' });
    await exportForm.getByLabel('Backup password', { exact: true }).fill('alice backup password');
    await exportForm.getByLabel('Repeat backup password').fill('alice backup password');
    const [download] = await Promise.all([page.waitForEvent('download'), exportForm.getByRole('button', { name: 'Export backup' }).click()]);
    expect(download.suggestedFilename()).toBe('Alice.offset-card');
    await reminders.getByText('Back up “Alice”').waitFor({ state: 'detached' });
    await page.getByRole('listitem', { name: 'Alice' }).getByRole('button', { name: 'Done' }).click();
    await reminders.getByText('Back up “Bob”').waitFor();
    await page.screenshot({ path: artifactPath('safety-02-reminder-after-backup.png'), fullPage: true });

    // safety settings need the wallet password: a wrong one changes nothing
    await saveSafety(page, { autoLock: '0', unit: 'seconds', fst: '10', password: 'not the password' });
    await alert(page, 'That is not the wallet password. Nothing was changed.');
    await saveSafety(page, { autoLock: '0', unit: 'seconds', fst: '10', password: PASSWORD });
    await status(page, 'Safety settings saved.');
    await page.screenshot({ path: artifactPath('safety-03-settings.png'), fullPage: true });

    // Bob invoices 20 FST; Alice pays it: above 10, so the wallet password is asked first
    await addServers(page, 'Alice');
    await addServers(page, 'Bob');
    await befriend(page, 'Alice', 'Bob');
    await befriend(page, 'Bob', 'Alice');
    await page.getByRole('listitem', { name: 'Friend Alice' }).getByText('enabled · online').waitFor({ timeout: 45_000 });
    await show(page, 'Bob', 'Get paid');
    await page.getByLabel('Amount').fill('20');
    await page.getByLabel('Description (what it is for)').fill('Lunch');
    await page.getByRole('button', { name: 'Create invoice' }).click();
    await status(page, 'Invoice for 20 FST made');
    const [invoiceDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save invoice file' }).click()]);
    const invoiceText = readFileSync(await invoiceDownload.path(), 'utf8');
    await show(page, 'Alice', 'Pay');
    await page.getByLabel('Invoice (file text or QR text)').fill(invoiceText);
    const quote = page.getByRole('group', { name: 'Payment quote' });
    const end = Date.now() + 45_000;
    for (;;) { // the index server hears of the new friends on its own schedule: bounded retries
      await page.getByRole('button', { name: 'Check invoice and fee' }).click();
      const noRoute = page.getByRole('alert').filter({ hasText: 'No route can carry' });
      await Promise.race([quote.waitFor(), noRoute.waitFor()]);
      if (await quote.isVisible()) break;
      if (Date.now() > end) throw new Error(`no quote: ${await noRoute.textContent()}`);
      await page.waitForTimeout(300);
    }
    await quote.getByRole('button', { name: 'Pay 20 FST' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm with your wallet password' });
    await confirm.getByText('Pay 20 FST, fees included.').waitFor();
    await confirm.getByLabel('Wallet password').fill('a wrong guess');
    await confirm.getByRole('button', { name: 'Confirm and pay' }).click();
    await alert(confirm, 'That is not the wallet password. Nothing was done.');
    expect(await page.getByRole('list', { name: 'Payments' }).count()).toBe(0);
    await page.screenshot({ path: artifactPath('safety-04-pay-password.png'), fullPage: true });
    await confirm.getByLabel('Wallet password').fill(PASSWORD);
    await confirm.getByRole('button', { name: 'Confirm and pay' }).click();
    await status(page, /^Paid/);
    await page.getByRole('listitem', { name: 'Payment 20 FST Lunch' }).waitFor();

    // auto-lock after 3 s without input: the host locks (a new window finds it locked too)
    await saveSafety(page, { autoLock: '3', unit: 'seconds', fst: '10', password: PASSWORD });
    await status(page, 'Safety settings saved.');
    await page.getByRole('heading', { name: 'Wallet locked', level: 1 }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: artifactPath('safety-05-idle-locked.png'), fullPage: true });
    const other = await context.newPage();
    await other.goto(wallet.url);
    await other.getByRole('heading', { name: 'Wallet locked', level: 1 }).waitFor();
    await other.close();
    // unlocking starts a new idle period; input keeps the wallet open past the idle time
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    for (let i = 0; i < 10; i++) { // 5 s of input, every 0.5 s
      await page.mouse.move(100 + i * 10, 300);
      await page.waitForTimeout(500); // the input's pace is the point of this step
    }
    expect(await page.getByRole('heading', { name: 'Cards', level: 1 }).isVisible()).toBe(true);
    await page.getByRole('heading', { name: 'Wallet locked', level: 1 }).waitFor({ timeout: 20_000 });
    expect(problems).toEqual([]);
    await context.close();
  });
});
