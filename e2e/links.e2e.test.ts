/** offset: links and invoice expiry (issue 11 item 6) in Chromium against real programs: one
 *  wallet in browser mode with cards Shop and Buyer, a real strelay and stindex. A friend link
 *  adds a friend; an invoice link in the page address (#offset:…) opens Buyer's Pay tab with the
 *  quote; a commit link pasted on the cards screen collects on Shop's Get paid; a receipt link is
 *  shown; an rcard link imports a remote card; bad links are refused. An invoice made to expire
 *  a few seconds later is cancelled by the wallet host, and its link is refused on the Pay tab. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nobleBackend } from '../src-core/crypto/index.ts';
import { formatQrPayload, parseFriend, parseRcard, parseReceipt } from '../src-core/files/index.ts';
import {
  type World, alert, balanceWith, befriend, download, friendFile, friendsOnline, noProblems, shopAndBuyer,
  qrTextOf, shot, show, startWorld, status,
} from './money-world.ts';

let world: World | undefined;
beforeAll(async () => {
  world = await startWorld('offset-e2e-links-', { servers: true, camera: false });
}, 120_000);
afterAll(async () => {
  await world?.close();
});

/** Pastes `link` into the cards screen's box and opens it (with `card` when it needs one). */
async function openLink(page: Page, link: string, card?: string): Promise<void> {
  const back = page.getByRole('button', { name: '← All cards' });
  if (await back.isVisible()) await back.click();
  await page.getByLabel('offset: link', { exact: true }).fill(link);
  await page.getByRole('button', { name: 'Open link' }).click();
  if (card === undefined) return;
  const opened = page.getByRole('group', { name: 'Opened link' });
  await opened.getByLabel('Card', { exact: true }).selectOption({ label: card });
  await opened.getByRole('button', { name: 'Open in this card' }).click();
  await page.getByRole('heading', { name: card, level: 1 }).waitFor();
}

const localTime = (page: Page, inMs: number): Promise<string> => page.evaluate((ms) => {
  const d = new Date(Date.now() + ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}, inMs);

describe('offset: links and invoice expiry in Chromium (browser mode, real strelay and stindex)', () => {
  it('opens friend, invoice, commit, receipt and rcard links at the right screen; an expired invoice is cancelled and refused', async () => {
    const w = world as World;
    const { shop, buyer } = await shopAndBuyer(w);
    const s = shop.page;
    const b = buyer.page;

    // bad links: a sentence each, nothing opened
    await openLink(s, 'https://example.org/pay');
    await alert(s, 'This is not an offset: link');
    await openLink(s, 'offset:invoice:AAAA');
    await alert(s, 'This offset: link cannot be read');
    await shot(s, 'links-01-bad-link.png');
    expect(await s.getByRole('group', { name: 'Opened link' }).count()).toBe(0);

    // a friend link: Shop adds Buyer from it
    const buyerFile = await friendFile(b, 'Buyer');
    const parsedFriend = parseFriend(buyerFile);
    if (!parsedFriend.ok) throw new Error(parsedFriend.error.message);
    await openLink(s, formatQrPayload({ kind: 'friend', friend: parsedFriend.value }), 'Shop');
    await s.getByRole('tab', { name: 'Friends', selected: true }).waitFor();
    const banner = s.getByRole('group', { name: 'From an offset: link' });
    await banner.getByText('A friend file from a link (Buyer).').waitFor();
    await shot(s, 'links-02-friend-link.png');
    await banner.getByRole('button', { name: 'Add this friend' }).click();
    await status(banner, 'Friend added from the link.');
    await banner.getByRole('button', { name: 'Done with the link' }).click();
    await befriend(s, 'Shop', undefined, 'Buyer');
    await befriend(b, 'Buyer', await friendFile(s, 'Shop'), 'Shop');
    await friendsOnline(s, 'Shop', 'Buyer');
    await friendsOnline(b, 'Buyer', 'Shop');

    // an invoice link in the page address opens Buyer's Pay tab with the quote
    await show(s, 'Shop', 'Get paid');
    await s.getByLabel('Amount').fill('30');
    await s.getByLabel('Description (what it is for)').fill('Tea');
    await s.getByRole('button', { name: 'Create invoice' }).click();
    await status(s, 'Invoice for 30 FST made');
    const invoiceLink = await qrTextOf(s.getByRole('img', { name: 'Invoice as a QR code' }));
    await b.getByRole('button', { name: '← All cards' }).click();
    await b.evaluate((link) => { window.location.hash = link; }, `#${invoiceLink}`);
    const opened = b.getByRole('group', { name: 'Opened link' });
    await opened.getByText('An invoice for 30 FST (Tea): choose the card to pay it from.').waitFor();
    expect(await b.evaluate(() => window.location.hash)).toBe('');
    await shot(b, 'links-03-invoice-link.png');
    await opened.getByLabel('Card', { exact: true }).selectOption({ label: 'Buyer' });
    const quote = b.getByRole('group', { name: 'Payment quote' });
    const end = Date.now() + 45_000;
    for (;;) { // the index server learns of new capacities on its own schedule (bounded retry)
      await opened.getByRole('button', { name: 'Open in this card' }).click();
      await b.getByRole('tab', { name: 'Pay', selected: true }).waitFor();
      const problem = b.getByRole('group', { name: 'From an offset: link' }).getByRole('alert');
      await Promise.race([quote.waitFor(), problem.waitFor()]);
      if (await quote.isVisible()) break;
      if (Date.now() > end) throw new Error(`no quote: ${await problem.textContent()}`);
      await b.getByRole('button', { name: '← All cards' }).click();
      await b.evaluate((link) => { window.location.hash = link; }, `#${invoiceLink}`);
    }
    await shot(b, 'links-04-pay-from-link.png');
    await quote.getByRole('button', { name: /^Pay / }).click();
    await status(b, 'Paid. Give the seller the commit');
    const commitLink = await qrTextOf(b.getByRole('img', { name: 'Commit as a QR code' }).first());

    // a commit link pasted on Shop's cards screen collects on Get paid
    await openLink(s, commitLink, 'Shop');
    await s.getByRole('tab', { name: 'Get paid', selected: true }).waitFor();
    await s.getByRole('group', { name: 'From an offset: link' }).getByRole('button', { name: 'Collect with this commit' }).click();
    await status(s, 'Commit accepted: the payment is collected.');
    await s.getByRole('listitem', { name: 'Invoice 30 FST Tea' }).getByText('collected', { exact: true }).waitFor();
    await shot(s, 'links-05-commit-link-collected.png');
    await balanceWith(s, 'Shop', 'Buyer', '30');

    // a receipt link is shown as it is
    await show(b, 'Buyer', 'Pay');
    const payment = b.getByRole('listitem', { name: 'Payment 30 FST Tea' });
    await payment.getByText('collected by the seller: receipt kept').waitFor();
    const receiptFile = await download(b, () => payment.getByRole('button', { name: 'Save receipt file' }).click());
    const receipt = parseReceipt(receiptFile.bytes.toString('utf8'));
    if (!receipt.ok) throw new Error(receipt.error.message);
    await openLink(b, formatQrPayload({ kind: 'receipt', receipt: receipt.value }));
    await b.getByRole('group', { name: 'Opened link' }).getByText('A receipt for 30 FST.').waitFor();
    await b.getByRole('group', { name: 'Opened link' }).getByRole('button', { name: 'Dismiss' }).click();

    // an rcard link imports a remote card (its node is not running: it shows offline)
    await w.ok('stmgr', ['gen-ident', '--output', 'node.ident']);
    await w.ok('stmgr', ['gen-ident', '--output', 'app.ident']);
    await w.ok('stmgr', ['node-entry', '--address', '127.0.0.1:9', '--appid', 'app.ident', '--nodeid', 'node.ident', '--name', 'Far node', '--output', 'far.rcard']);
    const rcard = parseRcard(readFileSync(join(w.dir, 'far.rcard'), 'utf8'), nobleBackend);
    if (!rcard.ok) throw new Error(rcard.error.message);
    await openLink(b, formatQrPayload({ kind: 'rcard', rcard: rcard.value }));
    await b.getByRole('group', { name: 'Opened link' }).getByText('A remote card "Far node": import it into this wallet.').waitFor();
    await b.getByRole('button', { name: 'Import remote card' }).click();
    await status(b, 'The remote card "Far node" is imported.');
    await b.getByRole('button', { name: 'Open Far node' }).waitFor();

    // an invoice that expires in a few seconds: the wallet host cancels it; its link is refused
    await show(s, 'Shop', 'Get paid');
    await s.getByLabel('Amount').fill('12');
    await s.getByLabel('Description (what it is for)').fill('Soon gone');
    await s.getByLabel('Expires').selectOption({ label: 'at a chosen time' });
    await s.getByLabel('Expiry time').fill(await localTime(s, 6000));
    await s.getByRole('button', { name: 'Create invoice' }).click();
    await status(s, 'Invoice for 12 FST made');
    const item = s.getByRole('listitem', { name: 'Invoice 12 FST Soon gone' });
    await item.getByText(/^expires /).waitFor();
    await s.getByText(/^Expires .*: this wallet cancels it then/).waitFor();
    const expiringLink = await qrTextOf(s.getByRole('img', { name: 'Invoice as a QR code' }));
    await item.getByText('cancelled', { exact: true }).waitFor({ timeout: 20_000 });
    await shot(s, 'links-06-expired-cancelled.png');
    writeFileSync(join(w.dir, 'expired.link'), expiringLink);
    await openLink(b, expiringLink, 'Buyer');
    await alert(b.getByRole('group', { name: 'From an offset: link' }), 'This invoice expired on');
    expect(await b.getByRole('group', { name: 'Payment quote' }).count()).toBe(0);
    await shot(b, 'links-07-expired-refused.png');
    await balanceWith(b, 'Buyer', 'Shop', '-30');
    noProblems(shop, buyer);
  }, 300_000);
});
