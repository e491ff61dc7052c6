/** The card page in a real Chromium (browser mode, real node engines behind the cards): two
 *  cards of one wallet become each other's friends by pasting each other's friend file text,
 *  bad input is refused with a message, and a friend's limits and requests are set. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, type BrowserWallet, createCard, openBrowserWallet, openWalletWindow, type RunningWallet } from './support.ts';
import { qrTextOf } from './money-world.ts';

let session: BrowserWallet | undefined;
let wallet: RunningWallet;
let browser: Browser;

beforeAll(async () => {
  session = await openBrowserWallet('offset-e2e-friends-');
  ({ wallet, browser } = session);
});

afterAll(async () => {
  await session?.close();
});

const PASSWORD = 'e2e friends password';


async function friendFileOf(page: Page, card: string): Promise<string> {
  await page.getByRole('button', { name: `Open ${card}` }).click();
  await page.getByRole('heading', { name: card, level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Show my friend file' }).click();
  const text = await page.getByLabel('My friend file').textContent();
  const img = page.getByRole('img', { name: 'My friend file as a QR code' });
  expect(await qrTextOf(img)).toEqual(text); // the QR code on screen carries the same text
  return text ?? '';
}

async function addFriend(page: Page, fileText: string, name: string, balance: string): Promise<void> {
  await page.getByLabel('Friend file', { exact: true }).fill(fileText);
  await page.getByLabel("Friend's name").fill(name);
  await page.getByLabel('Starting balance (what the friend owes you)').fill(balance);
  await page.getByRole('button', { name: 'Add friend' }).click();
}

describe('card page in Chromium (browser mode)', () => {
  it('makes two cards friends through their friend files and sets limits', async () => {
    const { page, context, problems } = await openWalletWindow(browser, wallet.url, { password: PASSWORD });
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    await createCard(page, 'Alice');
    await createCard(page, 'Bob');

    const bobFile = await friendFileOf(page, 'Bob');
    expect(JSON.parse(bobFile)).toMatchObject({ kind: 'friend', name: 'Bob' });
    await page.getByText('No friends yet').waitFor();
    await page.screenshot({ path: artifactPath('10-card-bob-empty.png'), fullPage: true });
    await page.getByRole('button', { name: '← All cards' }).click();

    const aliceFile = await friendFileOf(page, 'Alice');
    const aliceQr = await page.getByRole('img', { name: 'My friend file as a QR code' }).screenshot();
    // bad input: a clear message, no friend added
    await addFriend(page, '{"kind":"invoice"}', 'Bob', '');
    await page.getByRole('alert').filter({ hasText: 'This is not a friend file we can read' }).waitFor();
    await addFriend(page, bobFile, 'Bob', '1.5');
    await page.getByRole('alert').filter({ hasText: 'The starting balance' }).waitFor();
    await addFriend(page, aliceFile, 'Me', '');
    await page.getByRole('alert').filter({ hasText: 'this card itself' }).waitFor();
    await page.screenshot({ path: artifactPath('11-add-friend-error.png'), fullPage: true });
    expect(await page.getByRole('list', { name: 'Friends' }).count()).toBe(0);

    await addFriend(page, bobFile, '', '-5');
    await page.getByRole('status').filter({ hasText: 'Friend added' }).waitFor();
    const bob = page.getByRole('listitem', { name: 'Friend Bob' });
    await bob.getByText('disabled · offline').waitFor();
    await bob.getByText('-5 FST').waitFor();
    await bob.getByLabel('Max debt for Bob (FST)').fill('-3');
    await bob.getByRole('button', { name: 'Set max debt' }).click();
    await bob.getByRole('alert').filter({ hasText: 'The max debt' }).waitFor();
    await bob.getByLabel('Max debt for Bob (FST)').fill('100');
    await bob.getByRole('button', { name: 'Set max debt' }).click();
    await bob.getByText('lets owe 100').waitFor();
    await bob.getByRole('button', { name: 'Open requests' }).click();
    await bob.getByText('requests open').waitFor();
    await bob.getByRole('button', { name: 'Enable Bob' }).click();
    await bob.getByText(/^enabled/).waitFor();
    await page.screenshot({ path: artifactPath('12-card-alice-friend-bob.png'), fullPage: true });

    await page.getByRole('button', { name: '← All cards' }).click();
    await page.getByRole('button', { name: 'Open Bob' }).click();
    await page.getByRole('heading', { name: 'Bob', level: 1 }).waitFor();
    // Alice's file read from her QR picture instead of pasted: first a picture with no code
    const [blank] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Read a QR picture…' }).click()]);
    await blank.setFiles({ name: 'blank.png', mimeType: 'image/png', buffer: Buffer.from(await page.screenshot({ clip: { x: 0, y: 0, width: 40, height: 40 } })) });
    await page.getByRole('alert').filter({ hasText: 'No friend QR code was read from blank.png' }).waitFor();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Read a QR picture…' }).click()]);
    await chooser.setFiles({ name: 'alice.png', mimeType: 'image/png', buffer: aliceQr });
    await page.waitForFunction((t) => (document.querySelector('textarea') as HTMLTextAreaElement | null)?.value === t, aliceFile);
    await page.getByLabel('Starting balance (what the friend owes you)').fill('5');
    await page.getByRole('button', { name: 'Add friend' }).click();
    await page.getByRole('status').filter({ hasText: 'Friend added' }).waitFor();
    const alice = page.getByRole('listitem', { name: 'Friend Alice' });
    await alice.getByText('5 FST', { exact: true }).waitFor();
    await alice.getByRole('button', { name: 'Enable Alice' }).click();
    await alice.getByText(/^enabled/).waitFor();
    await page.screenshot({ path: artifactPath('13-card-bob-friend-alice.png'), fullPage: true });

    // the page follows the host: a reload opens the cards list, and Bob's page shows Alice again
    await page.reload();
    await page.getByRole('button', { name: 'Open Bob' }).click();
    await page.getByRole('listitem', { name: 'Friend Alice' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
