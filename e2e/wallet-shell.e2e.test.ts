/** The wallet shell in a real Chromium, against the wallet started in browser mode. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, openBrowserWallet, type BrowserWallet, type RunningWallet } from './support.ts';

let session: BrowserWallet | undefined;
let wallet: RunningWallet;
let browser: Browser;

beforeAll(async () => {
  session = await openBrowserWallet('offset-e2e-');
  ({ wallet, browser } = session);
});

afterAll(async () => {
  await session?.close();
});

/** A fresh page that records what the page itself reports as broken (CSP violations, errors). */
async function openPage(url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1000, height: 720 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { page, problems };
}

const PASSWORD = 'e2e wallet password';

describe('wallet shell in Chromium (browser mode)', () => {
  it('guides a first run from a password to a card, through the bridge', async () => {
    const { page, problems } = await openPage(wallet.url);
    await page.getByRole('heading', { name: 'Welcome to Offset', level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe(''); // the token left the address bar
    await page.screenshot({ path: artifactPath('00-first-run-password.png'), fullPage: true });

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill('something else');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two passwords differ' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();

    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    await page.getByText('No cards yet').waitFor();
    await page.screenshot({ path: artifactPath('01-cards-empty.png'), fullPage: true });

    await page.getByRole('button', { name: 'Create card' }).click();
    await page.getByRole('alert').filter({ hasText: 'Give the card a name' }).waitFor();
    await page.screenshot({ path: artifactPath('02-create-card-error.png'), fullPage: true });

    await page.getByLabel('Card name').fill('Groceries');
    await page.getByRole('button', { name: 'Create card' }).click();
    await page.getByRole('status').filter({ hasText: 'Card “Groceries” created.' }).waitFor();
    const cards = page.getByRole('list', { name: 'Cards' });
    await cards.getByText('Groceries').waitFor();
    expect(await page.getByText('No cards yet').count()).toBe(0);
    expect(await page.getByLabel('Card name').inputValue()).toBe('');
    await page.screenshot({ path: artifactPath('03-card-created.png'), fullPage: true });

    // the host kept it: a reload (token kept for this tab) lists it again
    await page.reload();
    await page.getByRole('list', { name: 'Cards' }).getByText('Groceries').waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows a card created in another tab, through the host event', async () => {
    const a = await openPage(wallet.url);
    const b = await openPage(wallet.url);
    await b.page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    await a.page.getByLabel('Card name').fill('Travel');
    await a.page.getByLabel('Card name').press('Enter');
    await b.page.getByRole('list', { name: 'Cards' }).getByText('Travel').waitFor();
    expect([...a.problems, ...b.problems]).toEqual([]);
    await a.page.context().close();
    await b.page.context().close();
  });

  it('locks, refuses a wrong password with a clear message, and unlocks', async () => {
    const { page, problems } = await openPage(wallet.url);
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Wallet locked', level: 1 }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill('not my password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor();
    await page.screenshot({ path: artifactPath('05-unlock-wrong-password.png'), fullPage: true });
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await page.getByRole('list', { name: 'Cards' }).getByText('Groceries').waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('follows the dark theme and can switch it by keyboard', async () => {
    const { page, problems } = await openPage(wallet.url, 'dark');
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    const background = (): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(15, 20, 25)');
    // a destructive secondary button keeps the danger colour, not the accent of .secondary
    const remove = page.getByRole('button', { name: 'Remove', exact: true }).first();
    expect(await remove.evaluate((b) => getComputedStyle(b).color)).toBe('rgb(255, 123, 114)');
    await page.screenshot({ path: artifactPath('04-cards-dark.png'), fullPage: true });
    await page.getByLabel('Theme').selectOption('light');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
    expect(await background()).toBe('rgb(246, 247, 249)');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('refuses a page without the token, or with a wrong one', async () => {
    for (const url of [`${wallet.origin}/`, `${wallet.origin}/#token=${'A'.repeat(43)}`]) {
      const { page } = await openPage(url);
      await page.getByRole('heading', { name: 'Offset cannot reach the wallet' }).waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(/address printed by `npm start`|refused the connection/);
      await page.screenshot({ path: artifactPath(url.includes('token') ? '07-wrong-token.png' : '06-no-token.png'), fullPage: true });
      await page.context().close();
    }
  });

  it('renames a card, and removes one only after confirming', async () => {
    const { page, problems } = await openPage(wallet.url);
    await page.getByLabel('Card name').fill('Temp');
    await page.getByRole('button', { name: 'Create card' }).click();
    const item = page.getByRole('listitem', { name: 'Temp' });
    await item.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name for Temp').fill('Temporary');
    await page.getByRole('button', { name: 'Save name' }).click();
    const renamed = page.getByRole('listitem', { name: 'Temporary' });
    await renamed.waitFor();

    await renamed.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('group', { name: 'Remove Temporary?' }).waitFor();
    await page.screenshot({ path: artifactPath('08-remove-confirm.png'), fullPage: true });
    await page.getByRole('button', { name: 'Keep card' }).click();
    await renamed.getByRole('button', { name: 'Remove' }).click();
    // removing stays disabled until a backup is exported or the person says they need none
    expect(await page.getByRole('button', { name: 'Remove card' }).isDisabled()).toBe(true);
    await page.getByLabel('I have a backup of this card, or I remove it without one').check();
    await page.getByRole('button', { name: 'Remove card' }).click();
    await renamed.waitFor({ state: 'detached' });
    expect(await page.getByRole('listitem', { name: 'Groceries' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('changes the wallet password; only the new one unlocks', async () => {
    const { page, problems } = await openPage(wallet.url);
    const NEW = 'a brand new password';
    await page.getByLabel('Current password').fill('wrong current one');
    await page.getByLabel('New password', { exact: true }).fill(NEW);
    await page.getByLabel('Confirm new password').fill(NEW);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'current password is wrong' }).waitFor();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
    await page.screenshot({ path: artifactPath('09-password-changed.png'), fullPage: true });

    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill(NEW);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  // last: it stops the wallet
  it('tells the person when the wallet host stops', async () => {
    const { page } = await openPage(wallet.url);
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    await wallet.stop();
    await page.getByRole('alert').filter({ hasText: 'The connection to the wallet was lost' }).waitFor();
    await page.screenshot({ path: artifactPath('10-host-stopped.png'), fullPage: true });
    await page.getByLabel('Card name').fill('After the end');
    await page.getByRole('button', { name: 'Create card' }).click();
    await page.getByRole('alert').filter({ hasText: 'The card was not created' }).waitFor();
    await page.context().close();
  });
});
