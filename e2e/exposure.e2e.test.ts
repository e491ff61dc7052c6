/** The credit exposure tab and credit alerts (issue 11 item 2) in a real Chromium, browser mode,
 *  real node engines and a real `strelay`: two cards of one wallet become friends (Bob owes
 *  Alice 50), the exposure tab shows the totals, a lower limit for Bob raises a near-limit alert
 *  (in the page and as a web Notification), and when Bob's card disables Alice, Alice's window
 *  raises an offline alert after the short setting. Screenshots in light and dark theme. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../src-main/build.node.ts';
import { type Background, background, freePort, runBin } from '../src-core/node/it/procs.ts';
import { artifactPath, createCard, launchChromium, type RunningWallet, show, startWallet, status } from './support.ts';

const PASSWORD = 'exposure e2e password';
let dir = '';
let browser: Browser | undefined;
let wallet: RunningWallet | undefined;
let relay: Background | undefined;
let relayTicket = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offset-e2e-exposure-'));
  const port = await freePort();
  for (const args of [['gen-ident', '--output', 'relay.ident'], ['relay-ticket', '--address', `127.0.0.1:${port}`, '--idfile', 'relay.ident', '--output', 'relay.ticket']]) {
    const r = await runBin('stmgr', args, dir);
    if (r.code !== 0) throw new Error(`stmgr ${args.join(' ')}: ${r.stderr}`);
  }
  relayTicket = readFileSync(join(dir, 'relay.ticket'), 'utf8');
  const rendererDir = join(dir, 'renderer');
  const [r] = await Promise.all([background(`strelay --idfile relay.ident --laddr 127.0.0.1:${port}`, dir, /listening/), buildRenderer(rendererDir)]);
  relay = r;
  [wallet, browser] = await Promise.all([startWallet(rendererDir, join(dir, 'data')), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await wallet?.stop();
  await relay?.stop();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});




async function addRelay(page: Page, card: string): Promise<void> {
  await show(page, card, 'Settings');
  await page.getByRole('textbox', { name: 'Relay ticket', exact: true }).fill(relayTicket);
  await page.getByRole('textbox', { name: 'Relay name', exact: true }).fill('e2e relay');
  await page.getByRole('button', { name: 'Add relay' }).click();
  await status(page, 'The relay "e2e relay" is added.');
}

async function friendFile(page: Page, card: string): Promise<string> {
  await show(page, card, 'Friends');
  const toggle = page.getByRole('button', { name: 'Show my friend file' });
  if (await toggle.isVisible()) await toggle.click();
  return (await page.getByLabel('My friend file').textContent()) ?? '';
}

async function befriend(page: Page, card: string, file: string, friend: string, balance: string): Promise<Locator> {
  await show(page, card, 'Friends');
  await page.getByLabel('Friend file', { exact: true }).fill(file);
  await page.getByLabel('Starting balance (what the friend owes you)').fill(balance);
  await page.getByRole('button', { name: 'Add friend' }).click();
  await status(page, 'Friend added');
  const item = page.getByRole('listitem', { name: `Friend ${friend}` });
  await setMaxDebt(item, friend, '100');
  await item.getByRole('button', { name: 'Open requests' }).click();
  await item.getByText('requests open').waitFor();
  await item.getByRole('button', { name: `Enable ${friend}` }).click();
  await item.getByText(/^enabled/).waitFor();
  return item;
}

async function setMaxDebt(item: Locator, friend: string, value: string): Promise<void> {
  await item.getByLabel(`Max debt for ${friend} (FST)`).fill(value);
  await item.getByRole('button', { name: 'Set max debt' }).click();
  await item.getByText(`lets owe ${value}`).waitFor();
}

describe('credit exposure and alerts in Chromium (browser mode, real strelay)', () => {
  it('shows what the card could lose and can pay, alerts near a limit and when a friend stays offline', async () => {
    if (browser === undefined || wallet === undefined) throw new Error('not started');
    const context: BrowserContext = await browser.newContext({ colorScheme: 'light', viewport: { width: 1100, height: 900 } });
    await context.grantPermissions(['notifications'], { origin: wallet.origin });
    // record what the page shows as OS notifications (the real Notification is still created)
    await context.addInitScript(() => {
      const Real = window.Notification;
      const shown: Array<{ title: string; body: string | undefined }> = [];
      (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push({ title, body: options?.body });
        }
      }
      Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true });
    });
    const a = await context.newPage();
    const problems: string[] = [];
    a.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    a.on('pageerror', (e) => problems.push(e.message));
    await a.goto(wallet.url);
    await a.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await a.getByLabel('Confirm password').fill(PASSWORD);
    await a.getByRole('button', { name: 'Set password' }).click();
    await a.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    await createCard(a, 'Alice');
    await createCard(a, 'Bob');
    await addRelay(a, 'Alice');
    await addRelay(a, 'Bob');
    const bobFile = await friendFile(a, 'Bob');
    const aliceFile = await friendFile(a, 'Alice');
    const bob = await befriend(a, 'Alice', bobFile, 'Bob', '50');
    await befriend(a, 'Bob', aliceFile, 'Alice', '-50');
    await show(a, 'Alice', 'Friends');
    await bob.getByText('enabled · online').waitFor({ timeout: 45_000 });

    // the exposure tab: Bob owes 50; Bob lets Alice owe 100, Alice lets Bob owe 100
    await show(a, 'Alice', 'Exposure');
    const totals = a.getByRole('group', { name: 'Totals in FST' });
    // at risk, can pay, can be paid
    await expect.poll(() => totals.locator('dd').allTextContents(), { timeout: 30_000 }).toEqual(['50 FST', '150 FST', '50 FST']);
    const row = a.getByRole('row', { name: 'Bob in FST' });
    await row.getByText('online').waitFor();
    await row.getByText('fee free').waitFor();
    // balance, what Alice owes of Bob's limit, what Bob owes of hers, pending, at risk, can pay / be paid
    expect(await row.getByRole('cell').allTextContents()).toEqual(['50', '0 / 1000 %', '50 / 10050 %', '0 / 0', '50', '150 / 50']);
    await a.getByText('New alerts also appear as system notifications.').waitFor(); // granted to this origin
    await a.getByLabel('Alert when a debt reaches (% of its limit)').fill('90');
    await a.getByLabel('Alert when a friend is offline for (seconds)').fill('2');
    await a.getByRole('button', { name: 'Save alert settings' }).click();
    await status(a, 'Alert settings saved.');
    expect(await a.getByRole('list', { name: 'Alerts' }).count()).toBe(0);
    await a.screenshot({ path: artifactPath('exposure-01-light.png'), fullPage: true });

    // a lower limit for Bob: 50 of 55 is 90 %
    await show(a, 'Alice', 'Friends');
    await setMaxDebt(bob, 'Bob', '55');
    const alerts = a.getByRole('list', { name: 'Alerts' });
    const near = alerts.getByRole('alert').filter({ hasText: 'Bob: near its limit in FST' });
    await near.getByText('Bob owes you 50 of the 55 FST you let it owe (90 %).').waitFor();
    await expect.poll(() => a.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications))
      .toEqual([{ title: 'Bob: near its limit in FST', body: 'Bob owes you 50 of the 55 FST you let it owe (90 %).' }]);
    await show(a, 'Alice', 'Exposure');
    await a.getByRole('row', { name: 'Bob in FST' }).getByText('50 / 55').waitFor();
    await a.screenshot({ path: artifactPath('exposure-02-near-limit-light.png'), fullPage: true });
    await near.getByRole('button', { name: 'Dismiss: Bob: near its limit in FST' }).click();
    await near.waitFor({ state: 'detached' });

    // Bob's card, in a second window, disables Alice: Alice's window sees Bob go offline
    const b = await context.newPage();
    await b.goto(wallet.url);
    await show(b, 'Bob', 'Friends');
    await b.getByRole('listitem', { name: 'Friend Alice' }).getByRole('button', { name: 'Disable Alice' }).click();
    await b.getByRole('listitem', { name: 'Friend Alice' }).getByText(/^disabled/).waitFor();
    await b.close();
    const offline = a.getByRole('list', { name: 'Alerts' }).getByRole('alert').filter({ hasText: 'Bob is offline' });
    await offline.getByText(/Bob has not been online for \d+ s\./).waitFor({ timeout: 30_000 });
    await a.getByRole('row', { name: 'Bob in FST' }).getByText('offline').waitFor();
    await a.getByLabel('Theme').selectOption('dark');
    await a.screenshot({ path: artifactPath('exposure-03-offline-dark.png'), fullPage: true });
    const titles = await a.evaluate(() => (window as unknown as { shownNotifications: Array<{ title: string }> }).shownNotifications.map((n) => n.title));
    expect(titles).toEqual(['Bob: near its limit in FST', 'Bob is offline']);
    // the dismissed near-limit alert stays dismissed while its condition holds
    expect(await a.getByRole('alert').filter({ hasText: 'near its limit' }).count()).toBe(0);
    // the cards list says so for every card, open or not: a condition, not a dismissable alert
    await a.getByRole('button', { name: '← All cards' }).click();
    await a.getByRole('listitem', { name: 'Alice' }).getByText('A debt of this card is at 90 % of its limit').waitFor();
    await a.screenshot({ path: artifactPath('exposure-04-cards-near-limit-dark.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});
