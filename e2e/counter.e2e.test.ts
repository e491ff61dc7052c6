/** Counter mode (issue 11 item 3) in Chromium against real programs: one wallet in browser mode
 *  with two cards, Shop and Buyer, friends through a real strelay, routes from a real stindex.
 *  Shop's counter shows the invoice QR; Buyer reads that picture on the Pay tab and pays; the
 *  commit QR Buyer shows is filmed by Chromium's fake camera; the counter reads it, collects, shows
 *  "Paid" and a receipt that `stverify verify-commit` accepts (printed: only the receipt); Enter
 *  starts the next customer, paid by a commit picture; N the next, where a wrong commit is refused
 *  and the sale cancelled; Escape leaves. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type World, alert, balanceWith, befriend, download, friendFile, friendsOnline, noProblems, shopAndBuyer,
  qrTextOf, quoteShown, shot, show, startWorld, status,
} from './money-world.ts';

let world: World | undefined;
beforeAll(async () => {
  world = await startWorld('offset-e2e-counter-', { servers: true, camera: true });
}, 120_000);
afterAll(async () => {
  await world?.close();
});

describe('counter mode in Chromium (browser mode, real strelay and stindex, a fake camera)', () => {
  it('sells by QR: invoice on screen, commit by camera, collected, receipt verified, next customer, wrong commit refused', async () => {
    const w = world as World;
    const { shop, buyer } = await shopAndBuyer(w);
    const s = shop.page;
    const b = buyer.page;
    const shopFile = await friendFile(s, 'Shop');
    const buyerFile = await friendFile(b, 'Buyer');
    await befriend(s, 'Shop', buyerFile, 'Buyer');
    await befriend(b, 'Buyer', shopFile, 'Shop');
    await friendsOnline(s, 'Shop', 'Buyer');
    await friendsOnline(b, 'Buyer', 'Shop');

    // the seller starts counter mode and charges 25
    await show(s, 'Shop', 'Counter');
    await s.getByRole('button', { name: 'Start counter mode' }).click();
    const counter = s.getByRole('dialog', { name: 'Counter mode: Shop' });
    await counter.getByLabel('Amount to charge').fill('25');
    await counter.getByLabel('What for (optional)').fill('Coffee beans');
    await shot(s, 'counter-01-amount.png');
    await counter.getByLabel('Amount to charge').press('Enter');
    const invoiceImg = counter.getByRole('img', { name: 'Invoice as a QR code' });
    const invoiceQr = await qrTextOf(invoiceImg);
    expect(invoiceQr).toMatch(/^offset:invoice:/);
    await status(counter, 'Waiting for the customer to pay');
    await shot(s, 'counter-02-invoice.png');

    // the buyer reads the picture of the counter's QR code and pays
    await show(b, 'Buyer', 'Pay');
    const [chooser] = await Promise.all([b.waitForEvent('filechooser'), b.getByRole('button', { name: 'Read an invoice QR picture…' }).click()]);
    await chooser.setFiles({ name: 'counter.png', mimeType: 'image/png', buffer: await invoiceImg.screenshot() });
    await b.waitForFunction(() => [...document.querySelectorAll('textarea')].some((t) => t.value.startsWith('offset:invoice:')));
    const quote = await quoteShown(b);
    await quote.getByRole('button', { name: /^Pay / }).click();
    await status(b, 'Paid. Give the seller the commit');
    const commitQr = await qrTextOf(b.getByRole('img', { name: 'Commit as a QR code' }).first());
    expect(commitQr).toMatch(/^offset:commit:/);

    // the counter's camera films the buyer's screen: it reads the commit and collects by itself
    w.film(commitQr);
    await counter.getByRole('status').filter({ hasText: /^Paid$/ }).waitFor({ timeout: 30_000 });
    const receipt = counter.getByRole('region', { name: 'Receipt' });
    await receipt.getByText('Coffee beans').waitFor();
    await shot(s, 'counter-03-paid-receipt.png');
    const commitFile = await download(s, () => counter.getByRole('button', { name: 'Save receipt (commit file)' }).click());
    const invoiceFile = await download(s, () => counter.getByRole('button', { name: 'Save invoice file' }).click());
    expect(commitFile.name).toMatch(/^sale-.*\.commit$/);
    writeFileSync(join(w.dir, 'sale.commit'), commitFile.bytes);
    writeFileSync(join(w.dir, 'sale.invoice'), invoiceFile.bytes);
    expect(await w.ok('stverify', ['verify-commit', '-i', 'sale.invoice', '-c', 'sale.commit'])).toContain('Commit is valid!');
    w.film(undefined);
    // printed, only the receipt shows
    await s.emulateMedia({ media: 'print' });
    await shot(s, 'counter-05-printed-receipt.png');
    expect(await counter.getByRole('button', { name: 'Next customer (Enter or N)' }).isVisible()).toBe(false);
    await s.emulateMedia({ media: 'screen' });

    // next customer with one key; no camera needed: the commit read from a picture
    await s.keyboard.press('Enter');
    await counter.getByLabel('Amount to charge').fill('5');
    await counter.getByLabel('Amount to charge').press('Enter');
    await status(counter, 'Waiting for the customer to pay');
    await show(b, 'Buyer', 'Pay');
    await b.getByRole('textbox', { name: 'Invoice (file text or QR text)' }).fill(await qrTextOf(invoiceImg));
    await (await quoteShown(b)).getByRole('button', { name: /^Pay / }).click();
    await status(b, 'Paid. Give the seller the commit');
    const commitPng = await b.getByRole('img', { name: 'Commit as a QR code' }).first().screenshot();
    await status(counter, 'Paid by the customer');
    await counter.getByText('No camera? Read a picture or paste the commit').click();
    const [picker] = await Promise.all([s.waitForEvent('filechooser'), counter.getByRole('button', { name: 'Read a commit QR picture…' }).click()]);
    await picker.setFiles({ name: 'commit.png', mimeType: 'image/png', buffer: commitPng });
    await counter.getByRole('status').filter({ hasText: /^Paid$/ }).waitFor({ timeout: 30_000 });
    // "Paid" shows as soon as the invoice is collected; N means "next" once the receipt is up
    await receipt.waitFor();

    // next customer (N); a commit of another invoice is refused, nothing collected
    await s.keyboard.press('n');
    await counter.getByLabel('Amount to charge').fill('7');
    await counter.getByLabel('Amount to charge').press('Enter');
    await status(counter, 'Waiting for the customer to pay');
    await counter.getByText('No camera? Read a picture or paste the commit').click();
    await counter.getByLabel('Commit (file text or QR text)').fill(commitQr);
    await counter.getByRole('button', { name: 'Collect with this commit' }).click();
    await alert(counter, 'This commit is for another invoice');
    await counter.getByLabel('Commit (file text or QR text)').fill(invoiceQr);
    await counter.getByRole('button', { name: 'Collect with this commit' }).click();
    await alert(counter, 'This is an invoice, not a commit.');
    await shot(s, 'counter-04-wrong-commit.png');
    await counter.getByRole('button', { name: 'Cancel this sale' }).click();
    await counter.getByLabel('Amount to charge').waitFor();
    await s.keyboard.press('Escape');
    await counter.waitFor({ state: 'detached' });
    await s.getByRole('button', { name: 'Start counter mode' }).waitFor();

    // the sale is in the Get paid list and the balances
    await show(s, 'Shop', 'Get paid');
    await s.getByRole('listitem', { name: 'Invoice 25 FST Coffee beans' }).getByText('collected', { exact: true }).waitFor();
    await s.getByRole('listitem', { name: /^Invoice 7 FST/ }).getByText('cancelled', { exact: true }).waitFor();
    await balanceWith(s, 'Shop', 'Buyer', '30');
    await balanceWith(b, 'Buyer', 'Shop', '-30');
    noProblems(shop, buyer);
  }, 300_000);
});
