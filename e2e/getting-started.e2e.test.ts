/** The first run, as a new user meets it (issue 8: "first run guides a new user from nothing to a
 *  card that can be paid"): a new card's page lists what it still lacks, each step with a way to
 *  its tab, and the list goes away once a friend online may owe the card and its requests are
 *  open. One wallet in browser mode, a real strelay and stindex, two cards befriended by their
 *  friend files. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type World, addServers, befriend, createCard, friendFile, friendsOnline, noProblems, openWindow, shot, show, startWorld } from './money-world.ts';

let world: World | undefined;
beforeAll(async () => {
  world = await startWorld('offset-e2e-start-', { servers: true, camera: false });
}, 120_000);
afterAll(async () => {
  await world?.close();
});

describe('getting a new card ready to be paid, in Chromium', () => {
  it('lists the steps left, leads to their tabs, ticks them off and goes away when the card can be paid', async () => {
    const w = world as World;
    const win = await openWindow(w, true);
    const page = win.page;
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    await createCard(page, 'Dana');
    await createCard(page, 'Eli');
    await show(page, 'Dana', 'Friends');
    const guide = page.getByRole('region', { name: 'Before this card can be paid' });
    await guide.waitFor();
    expect(await guide.getByRole('listitem').count()).toBe(5);
    expect(await guide.getByLabel('done').count()).toBe(0);
    await guide.getByText('Add a relay, so friends can reach this card.').waitFor();
    await shot(page, 'start-01-new-card.png');

    await guide.getByRole('button', { name: 'Open Settings' }).first().click();
    await page.getByRole('tab', { name: 'Settings', exact: true, selected: true }).waitFor();

    for (const card of ['Dana', 'Eli']) await addServers(w, page, card);
    await show(page, 'Dana', 'Friends');
    await expect.poll(() => guide.getByLabel('done').count(), { timeout: 30_000 }).toBe(2); // relay and index connected
    await shot(page, 'start-02-servers-connected.png');

    const files = { dana: await friendFile(page, 'Dana'), eli: await friendFile(page, 'Eli') };
    await befriend(page, 'Dana', files.eli, 'Eli');
    await befriend(page, 'Eli', files.dana, 'Dana');
    await friendsOnline(page, 'Dana', 'Eli');
    await guide.waitFor({ state: 'detached', timeout: 30_000 });
    await shot(page, 'start-03-ready.png');
    noProblems(win);
  }, 240_000);
});
