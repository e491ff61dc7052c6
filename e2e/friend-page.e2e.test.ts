/** A friend added with the camera (Chromium's fake camera films the other card's friend QR code)
 *  and its page in a real Chromium (browser mode, real node engines behind the cards): rename,
 *  fee rate shown as "x% + y" (bad rates refused, nothing changed), currencies added and removed,
 *  and removing a friend the card owes, after a warning that says so. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../src-main/build.node.ts';
import { qrVideoY4m as y4mOf } from './qr-video.ts';
import { artifactPath, createCard, launchChromium, openWalletWindow, type RunningWallet, startWallet } from './support.ts';

let dir: string;
let wallet: RunningWallet | undefined;
let browser: Browser | undefined;
/** The fake camera's film: written once Bob's friend file is known (Chromium opens it when the
 *  camera starts). */
let video: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offset-e2e-friend-page-'));
  video = join(dir, 'camera.y4m');
  writeFileSync(video, y4mOf('not yet'));
  await buildRenderer(join(dir, 'renderer'));
  [wallet, browser] = await Promise.all([
    startWallet(join(dir, 'renderer'), join(dir, 'data')),
    launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await wallet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const PASSWORD = 'e2e friend page password';


describe('friend page in Chromium (browser mode)', () => {
  it('adds a friend by the camera, renames it, sets its fee rate, edits currencies and removes it after a warning', async () => {
    if (wallet === undefined || browser === undefined) throw new Error('not started');
    const { page, context, problems } = await openWalletWindow(browser, wallet.url, { password: PASSWORD });
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    await createCard(page, 'Alice');
    await createCard(page, 'Bob');

    await page.getByRole('button', { name: 'Open Bob' }).click();
    await page.getByRole('button', { name: 'Show my friend file' }).click();
    const bobFile = (await page.getByLabel('My friend file').textContent()) ?? '';
    await page.getByRole('button', { name: '← All cards' }).click();

    await page.getByRole('button', { name: 'Open Alice' }).click();
    // Bob's code filmed by the camera fills in the friend file
    writeFileSync(video, y4mOf(bobFile));
    await page.getByRole('button', { name: "Scan a friend's code with the camera" }).click();
    await page.waitForFunction((t) => [...document.querySelectorAll('textarea')].some((a) => a.value === t), bobFile, { timeout: 30_000 });
    await page.getByLabel('Starting balance (what the friend owes you)').fill('-5');
    await page.getByRole('button', { name: 'Add friend' }).click();
    await page.getByRole('status').filter({ hasText: 'Friend added' }).waitFor();
    await page.getByRole('button', { name: "Bob's page" }).click();
    await page.getByRole('heading', { name: 'Bob', level: 2 }).waitFor();

    await page.getByLabel('New name for Bob').fill('Bobby');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('heading', { name: 'Bobby', level: 2 }).waitFor();

    // relays from a newer friend file: another card's file is refused, Bob's own is taken
    await page.getByText('Reached through 0 relays').click();
    const aliceFile = bobFile.replace(/"publicKey": "[^"]+"/, `"publicKey": "${'A'.repeat(43)}"`);
    await page.getByLabel("Bobby's new friend file (after Bobby changed relays)").fill(aliceFile);
    await page.getByRole('button', { name: 'Update relays' }).click();
    await page.getByRole('alert').filter({ hasText: "This friend file is not Bobby's" }).waitFor();
    await page.getByLabel("Bobby's new friend file (after Bobby changed relays)").fill(bobFile);
    await page.getByRole('button', { name: 'Update relays' }).click();
    await page.getByRole('status').filter({ hasText: "Bobby's relays are updated." }).waitFor();

    const fee = page.getByLabel('Fee rate for Bobby (FST)');
    await fee.getByText('no fee').waitFor();
    await page.getByLabel('Fee percentage (FST)').fill('1.5');
    await page.getByLabel('Fixed fee (FST)').fill('2');
    await page.getByRole('button', { name: 'Set fee' }).click();
    await fee.getByText('1.5% + 2 FST', { exact: true }).waitFor();
    expect(await fee.textContent()).toContain('forwarding 1,000 FST earns 17 FST');

    // bad rates: a clear message, the rate stays
    await page.getByLabel('Fee percentage (FST)').fill('-1');
    await page.getByRole('button', { name: 'Set fee' }).click();
    await page.getByRole('alert').filter({ hasText: 'The percentage cannot be negative' }).waitFor();
    await page.getByLabel('Fee percentage (FST)').fill('0.00001');
    await page.getByRole('button', { name: 'Set fee' }).click();
    await page.getByRole('alert').filter({ hasText: 'too many decimals' }).waitFor();
    await page.screenshot({ path: artifactPath('20-friend-page-fee-refused.png'), fullPage: true });
    expect(await fee.getByText('1.5% + 2 FST', { exact: true }).count()).toBe(1);

    await page.getByLabel('Max debt for Bobby (FST)').fill('100');
    await page.getByRole('button', { name: 'Set max debt' }).click();
    await page.getByRole('group', { name: 'Bobby FST' }).getByText(/lets owe 100/).waitFor();
    await page.getByRole('button', { name: 'Open requests' }).click();
    await page.getByRole('group', { name: 'Bobby FST' }).getByText(/requests open/).waitFor();

    await page.getByLabel('New currency with Bobby').fill('USD');
    await page.getByRole('button', { name: 'Add currency' }).click();
    await page.getByRole('group', { name: 'Bobby USD' }).waitFor();
    await page.screenshot({ path: artifactPath('21-friend-page.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: artifactPath('23-friend-page-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Remove USD' }).click();
    await page.getByRole('group', { name: 'Bobby USD' }).waitFor({ state: 'detached' });
    // FST has a balance: it cannot be removed
    await page.getByRole('button', { name: 'Remove FST' }).click();
    await page.getByRole('alert').filter({ hasText: 'FST cannot be removed while its balance' }).waitFor();

    await page.getByRole('button', { name: 'Remove Bobby…' }).click();
    await page.getByText('You owe Bobby 5 FST: after removing, this card forgets it, but Bobby will not.').waitFor();
    await page.screenshot({ path: artifactPath('22-friend-remove-confirm.png'), fullPage: true });
    await page.getByRole('button', { name: 'Yes, remove Bobby' }).click();
    await page.getByText('No friends yet').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
