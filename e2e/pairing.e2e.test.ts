/** Scoped pairing in a real Chromium (browser mode, a real card node): issue an app ticket with
 *  only the seller permission from the card's Settings, save its files, use them with the real
 *  stctrl (reads allowed, config refused), see it listed, revoke it — an app connected with it is
 *  cut off and stctrl is refused from then on. */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppClient } from '../src-core/app/index.ts';
import { nodeBackend as crypto } from '../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../src-core/crypto/index.ts';
import { parseIdent, parseNodeTicket } from '../src-core/files/index.ts';
import { secureChannel, systemClock } from '../src-core/net/index.ts';
import { tcpConnect } from '../src-core/net/tcp.node.ts';
import { runBin } from '../src-core/cli/it/spawn.ts';
import { ROOT, artifactPath, openBrowserWallet, type BrowserWallet } from './support.ts';

let session: BrowserWallet | undefined;

beforeAll(async () => {
  session = await openBrowserWallet('offset-e2e-pairing-');
}, 180_000);

afterAll(async () => {
  await session?.close();
});

async function download(page: Page, button: string, name: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  const path = artifactPath(name);
  await d.saveAs(path);
  return path;
}

describe('app tickets in Chromium (browser mode)', () => {
  it('issues a seller-only ticket that stctrl can read with but not configure, lists it, and revokes it at once', async () => {
    if (session === undefined) throw new Error('no wallet');
    const context = await session.browser.newContext({ colorScheme: 'light', viewport: { width: 1000, height: 1100 }, acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(session.wallet.url);
    await page.getByLabel('Password', { exact: true }).fill('e2e pairing password');
    await page.getByLabel('Confirm password').fill('e2e pairing password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByLabel('Card name').fill('Shop');
    await page.getByRole('button', { name: 'Create card' }).click();
    await page.getByRole('button', { name: 'Open Shop' }).click();
    await page.getByRole('heading', { name: 'Shop', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'App tickets' }).or(page.locator('section.pairing'));
    await section.getByText('No app tickets').waitFor();

    // a ticket needs the card listening, and a name
    const form = page.getByRole('form', { name: 'Issue an app ticket' });
    await form.getByRole('button', { name: 'Issue ticket' }).click();
    await page.getByRole('alert').filter({ hasText: 'Give the ticket a name' }).waitFor();
    await form.getByLabel('Ticket name').fill('till');
    await form.getByRole('button', { name: 'Issue ticket' }).click();
    await page.getByRole('alert').filter({ hasText: 'Turn on command line access first' }).waitFor();

    await page.getByRole('button', { name: 'Turn on command line access' }).click();
    await page.getByLabel('Command line access details').waitFor();
    await form.getByLabel('Ticket name').fill('till');
    await form.getByLabel('Routes: find routes and fees').uncheck();
    await form.getByLabel('Seller: make and collect invoices').check();
    await form.getByRole('button', { name: 'Issue ticket' }).click();
    const issued = page.getByRole('region', { name: 'New app ticket' });
    await issued.getByRole('heading', { name: 'Ticket "till" — invoices' }).waitFor();
    await issued.getByRole('img', { name: 'Remote card as a QR code' }).waitFor();
    const ticketItem = page.getByRole('listitem', { name: 'Ticket till' });
    await ticketItem.getByText('invoices', { exact: true }).waitFor();
    await page.screenshot({ path: artifactPath('50-app-ticket-issued.png'), fullPage: true });

    const identPath = await download(page, 'Save app identity', 'pairing-till.ident');
    const ticketPath = await download(page, 'Save node ticket', 'pairing-till.ticket');
    const rcardPath = await download(page, 'Save remote card file', 'pairing-till.rcard');
    expect(JSON.parse(await readFile(rcardPath, 'utf8'))).toMatchObject({ kind: 'rcard', name: 'till' });
    const cli = ['-I', identPath, '-T', ticketPath];
    expect(await runBin('stctrl', [...cli, 'info', 'friends'], ROOT)).toMatchObject({ code: 0, stdout: 'No configured friends.\n' });
    const config = await runBin('stctrl', [...cli, 'config', 'remove-relay', '-n', 'r'], ROOT);
    expect(config.code).toBe(1);
    expect(config.stderr).toMatch(/config permission/);

    // an app connected with the ticket, open while it is revoked
    const ident = parseIdent(await readFile(identPath, 'utf8'), crypto);
    const ticket = parseNodeTicket(await readFile(ticketPath, 'utf8'));
    if (!ident.ok || !ticket.ok) throw new Error('unreadable ticket files');
    const ch = await secureChannel(await tcpConnect(ticket.value.address), {
      identity: identityFromSeed(crypto, ident.value.privateKey), crypto, clock: systemClock, expectedRemote: ticket.value.publicKey,
    });
    const app = await AppClient.connect(ch, { random: (n) => crypto.randomBytes(n) });
    expect(app.permissions).toEqual({ buyer: false, seller: true, config: false, routes: false });

    await ticketItem.getByRole('button', { name: 'Revoke till' }).click();
    await page.getByRole('status').filter({ hasText: 'Ticket "till" revoked' }).waitFor();
    expect(await app.closed).toMatchObject({ reason: 'closed' });
    await section.getByText('No app tickets').waitFor();
    const after = await runBin('stctrl', [...cli, 'info', 'friends'], ROOT);
    expect(after.code).toBe(1);
    await page.screenshot({ path: artifactPath('51-app-ticket-revoked.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
