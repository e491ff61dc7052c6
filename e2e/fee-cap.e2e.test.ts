/** Fee caps (issue 11 item 4) in Chromium against real programs: one wallet in browser mode with
 *  cards Alice, Mediator and Carol, a real strelay and stindex. Mediator charges Alice a fixed fee
 *  of 2; Alice's cap in FST is 1, so the quote for Carol's invoice shows the fee against the cap
 *  and cannot be confirmed; with the cap raised to 2 it pays, and Carol collects. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type World, addServers, alert, balanceWith, befriend, createCard, friendFile, friendsOnline, noProblems, openWindow,
  qrTextOf, quoteShown, shot, show, startWorld, status,
} from './money-world.ts';

let world: World | undefined;
beforeAll(async () => {
  world = await startWorld('offset-e2e-feecap-', { servers: true, camera: false });
}, 120_000);
afterAll(async () => {
  await world?.close();
});

async function setCap(page: Page, card: string, value: string, expected: string): Promise<void> {
  await show(page, card, 'Settings');
  await page.getByLabel('Fee cap (FST)').fill(value);
  await page.getByRole('button', { name: 'Set fee cap' }).click();
  await status(page, 'The fee cap in FST is set.');
  await expect.poll(() => page.getByLabel('Current fee cap in FST').textContent()).toBe(expected);
}

describe('fee caps in Chromium (browser mode, real strelay and stindex, a fee-charging mediator)', () => {
  it('shows the cap beside the fee, refuses a quote above it, and pays once the cap allows the fee', async () => {
    const w = world as World;
    const main = await openWindow(w, true);
    const a = main.page; // Alice, and Carol
    await a.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    for (const c of ['Alice', 'Mediator', 'Carol']) await createCard(a, c);
    const second = await openWindow(w, false);
    const m = second.page; // Mediator
    await m.getByRole('button', { name: 'Open Mediator' }).waitFor();
    for (const [p, c] of [[a, 'Alice'], [m, 'Mediator'], [a, 'Carol']] as const) await addServers(w, p, c);
    const files = { alice: await friendFile(a, 'Alice'), carol: await friendFile(a, 'Carol'), mediator: await friendFile(m, 'Mediator') };
    await befriend(a, 'Alice', files.mediator, 'Mediator');
    await befriend(m, 'Mediator', files.alice, 'Alice');
    await befriend(m, 'Mediator', files.carol, 'Carol');
    await befriend(a, 'Carol', files.mediator, 'Mediator');

    // no cap by default; bad input refused
    await show(a, 'Alice', 'Settings');
    await a.getByLabel('Current fee cap in FST').getByText('no cap').waitFor();
    await a.getByLabel('Fee cap (FST)').fill('1.5');
    await a.getByRole('button', { name: 'Set fee cap' }).click();
    await alert(a, 'The fee cap: This currency has no decimals');
    await setCap(a, 'Alice', '1', 'cap 1 FST');
    await shot(a, 'fee-cap-01-settings.png');

    // Mediator charges Alice 2
    await show(m, 'Mediator', 'Friends');
    await m.getByRole('button', { name: "Alice's page" }).click();
    await m.getByLabel('Fixed fee (FST)').fill('2');
    await m.getByRole('button', { name: 'Set fee' }).click();
    await status(m, 'The fee for Alice in FST is set.');
    await m.getByRole('button', { name: '← All friends' }).click();
    await friendsOnline(a, 'Alice', 'Mediator');
    await friendsOnline(a, 'Carol', 'Mediator');

    // Carol invoices 30; Alice's quote: fee 2 against the cap 1, cannot be confirmed
    await show(a, 'Carol', 'Get paid');
    await a.getByLabel('Amount').fill('30');
    await a.getByLabel('Description (what it is for)').fill('Bread');
    await a.getByRole('button', { name: 'Create invoice' }).click();
    await status(a, 'Invoice for 30 FST made');
    const invoice = await qrTextOf(a.getByRole('img', { name: 'Invoice as a QR code' }));
    await show(a, 'Alice', 'Pay');
    await a.getByRole('textbox', { name: 'Invoice (file text or QR text)' }).fill(invoice);
    let quote = await quoteShown(a);
    await expect.poll(() => quote.getByLabel('Fee', { exact: true }).textContent(), { timeout: 45_000 }).toBe('2 FST');
    await expect.poll(() => quote.getByLabel('Fee cap').textContent()).toBe('1 FST');
    await alert(quote, "The fee 2 FST is above this card's fee cap of 1 FST: it cannot be paid.");
    expect(await quote.getByRole('button', { name: 'Pay 32 FST' }).isDisabled()).toBe(true);
    await shot(a, 'fee-cap-02-above-cap.png');

    // the cap raised to 2: the same invoice pays
    await setCap(a, 'Alice', '2', 'cap 2 FST');
    await show(a, 'Alice', 'Pay');
    await a.getByRole('textbox', { name: 'Invoice (file text or QR text)' }).fill(invoice);
    quote = await quoteShown(a);
    await expect.poll(() => quote.getByLabel('Fee cap').textContent()).toBe('2 FST');
    await shot(a, 'fee-cap-03-within-cap.png');
    await quote.getByRole('button', { name: 'Pay 32 FST' }).click();
    await status(a, 'Paid. Give the seller the commit');
    const commit = await qrTextOf(a.getByRole('img', { name: 'Commit as a QR code' }).first());
    await show(a, 'Carol', 'Get paid');
    const bread = a.getByRole('listitem', { name: 'Invoice 30 FST Bread' });
    await bread.getByText("paid: waiting for the buyer's commit").waitFor();
    if (!(await a.getByRole('heading', { name: 'Invoice for 30 FST' }).isVisible())) await bread.getByRole('button', { name: 'Show invoice' }).click();
    await a.getByRole('textbox', { name: 'Commit (file text or QR text)' }).fill(commit);
    await a.getByRole('button', { name: 'Collect', exact: true }).click();
    await bread.getByText('collected', { exact: true }).waitFor();
    await balanceWith(a, 'Alice', 'Mediator', '-32');
    await balanceWith(a, 'Carol', 'Mediator', '30');
    noProblems(main, second);
  }, 300_000);
});
