/** Card backups in a real Chromium (browser mode, real node engines): export a card's backup
 *  (downloaded), remove the card (the backup is offered first; removing stays disabled until
 *  then), a wrong backup password refused with nothing added, the card imported back with the
 *  same key, and imported into a second wallet ("another machine") with its friend and balance. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Background, background, freePort, runBin } from '../src-core/node/it/procs.ts';
import { buildRenderer } from '../src-main/build.node.ts';
import { artifactPath, createCard, launchChromium, type RunningWallet, startWallet } from './support.ts';

let dir = '';
let walletA: RunningWallet | undefined;
let walletB: RunningWallet | undefined;
let browser: Browser | undefined;
let stnode: Background | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offset-e2e-backup-'));
  const rendererDir = join(dir, 'renderer');
  await buildRenderer(rendererDir);
  [walletA, walletB, browser] = await Promise.all([startWallet(rendererDir, join(dir, 'a')), startWallet(rendererDir, join(dir, 'b')), launchChromium()]);
}, 180_000);

afterAll(async () => {
  await stnode?.stop('SIGKILL');
  await browser?.close();
  await walletA?.stop();
  await walletB?.stop();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const BACKUP_PW = 'backup password 1';

/** The public key the wallet in `data` keeps for the card named `name` (its vault file). */
function vaultKey(data: string, name: string): string | undefined {
  const vault = JSON.parse(readFileSync(join(dir, data, 'wallet.json'), 'utf8')) as { cards: Array<{ name: string; publicKey: string }> };
  return vault.cards.find((c) => c.name === name)?.publicKey;
}

async function openWallet(url: string, password: string): Promise<{ page: Page; problems: string[] }> {
  const context = await (browser as Browser).newContext({ colorScheme: 'light', viewport: { width: 1000, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Set password' }).click();
  await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
  return { page, problems };
}


/** Alice takes Bob as a friend with a starting balance, so her node database has something to carry. */
async function befriend(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Open Bob' }).click();
  await page.getByRole('button', { name: 'Show my friend file' }).click();
  const bobFile = (await page.getByLabel('My friend file').textContent()) ?? '';
  await page.getByRole('button', { name: '← All cards' }).click();
  await page.getByRole('button', { name: 'Open Alice' }).click();
  await page.getByLabel('Friend file', { exact: true }).fill(bobFile);
  await page.getByLabel('Starting balance (what the friend owes you)').fill('-5');
  await page.getByRole('button', { name: 'Add friend' }).click();
  await page.getByRole('status').filter({ hasText: 'Friend added' }).waitFor();
  await page.getByRole('button', { name: '← All cards' }).click();
}

/** Fills the export form and returns the path the downloaded backup was saved to (in folder `saveAs`). */
async function exportBackup(page: Page, form: ReturnType<Page['getByRole']>, saveAs: string): Promise<string> {
  await form.getByLabel('Backup password', { exact: true }).fill(BACKUP_PW);
  await form.getByLabel('Repeat backup password').fill(BACKUP_PW);
  const [download] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Export backup' }).click()]);
  expect(download.suggestedFilename()).toBe('Alice.offset-card');
  mkdirSync(join(dir, saveAs));
  const path = join(dir, saveAs, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

describe('card backups in Chromium (browser mode)', () => {
  it('exports, removes with the backup offered, and imports back here and in another wallet', async () => {
    const { page, problems } = await openWallet((walletA as RunningWallet).url, 'wallet A password');
    await createCard(page, 'Alice');
    await createCard(page, 'Bob');
    await befriend(page);
    const alice = page.getByRole('listitem', { name: 'Alice' });
    await alice.getByText('-5 FST').waitFor();
    await alice.getByText('Not backed up yet.').waitFor();
    const aliceKey = vaultKey('a', 'Alice');
    expect(aliceKey).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // export: the two passwords must match; then the file is downloaded and the export recorded
    await alice.getByRole('button', { name: 'Export a backup of Alice' }).click();
    const form = page.getByRole('form', { name: 'Export a backup of Alice' });
    await form.getByLabel('Backup password', { exact: true }).fill(BACKUP_PW);
    await form.getByLabel('Repeat backup password').fill('something else');
    await form.getByRole('button', { name: 'Export backup' }).click();
    await form.getByRole('alert').filter({ hasText: 'The two backup passwords are not the same.' }).waitFor();
    // a native save dialog (Electron's preload API; here the page's own stand-in for the OS
    // dialog) that the user cancels: no file, so the card is still not backed up
    await page.evaluate(() => {
      Object.assign(window, { offsetFiles: { save: async () => ({ kind: 'cancelled' }), openText: async () => ({ kind: 'cancelled' }) } });
    });
    await form.getByLabel('Repeat backup password').fill(BACKUP_PW);
    await form.getByRole('button', { name: 'Export backup' }).click();
    await form.getByRole('alert').filter({ hasText: 'The backup file was not saved (cancelled).' }).waitFor();
    await page.evaluate(() => { Reflect.deleteProperty(window, 'offsetFiles'); });
    expect(await alice.getByText('Last backup exported').count()).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'a', 'wallet.json'), 'utf8')).cards.find((c: { name: string }) => c.name === 'Alice').backedUpAt).toBeNull();
    const first = await exportBackup(page, form, 'first');
    await form.getByRole('status').filter({ hasText: 'Backup “Alice.offset-card” made' }).waitFor();
    await alice.getByText('Last backup exported').first().waitFor();
    await page.screenshot({ path: artifactPath('20-backup-exported.png'), fullPage: true });
    await alice.getByRole('button', { name: 'Done' }).click();

    // remove: the backup is offered, and removing waits for it
    await alice.getByRole('button', { name: 'Remove' }).click();
    const confirm = page.getByRole('group', { name: 'Remove Alice?' });
    await confirm.getByRole('heading', { name: 'Export a backup first' }).waitFor();
    const remove = confirm.getByRole('button', { name: 'Remove card' });
    expect(await remove.isDisabled()).toBe(true);
    await page.screenshot({ path: artifactPath('21-remove-offers-backup.png'), fullPage: true });
    const second = await exportBackup(page, confirm.getByRole('form', { name: 'Export a backup of Alice' }), 'second');
    // enabled once the wallet has recorded the saved file
    await expect.poll(() => remove.isEnabled()).toBe(true);
    await remove.click();
    await alice.waitFor({ state: 'detached' });
    expect(vaultKey('a', 'Alice')).toBeUndefined();

    // import with a wrong password: a clear error, nothing added
    const importForm = page.getByRole('form', { name: 'Import a card' });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), importForm.getByRole('button', { name: 'Open a card file…' }).click()]);
    await chooser.setFiles(second);
    await importForm.getByText('A card backup: it opens with its backup password.').waitFor();
    expect(await importForm.getByLabel('Name for the imported card').inputValue()).toBe('Alice');
    await importForm.getByLabel('Backup password').fill('not the backup password');
    await importForm.getByRole('button', { name: 'Import card' }).click();
    await importForm.getByRole('alert').filter({ hasText: 'the backup password is wrong' }).waitFor();
    await page.screenshot({ path: artifactPath('22-import-wrong-password.png'), fullPage: true });
    expect(await page.getByRole('list', { name: 'Cards' }).getByRole('listitem').count()).toBe(1);
    // the right password: Alice is back, the same key, her friend and balance with her
    await importForm.getByLabel('Backup password').fill(BACKUP_PW);
    await importForm.getByRole('button', { name: 'Import card' }).click();
    await importForm.getByRole('status').filter({ hasText: 'Card “Alice” imported.' }).waitFor();
    await page.getByRole('listitem', { name: 'Alice' }).getByText('-5 FST').waitFor();
    expect(vaultKey('a', 'Alice')).toBe(aliceKey);
    await page.screenshot({ path: artifactPath('23-import-back.png'), fullPage: true });

    // another machine: a second wallet with its own password; the backup's text pasted
    const other = await openWallet((walletB as RunningWallet).url, 'wallet B password');
    const otherForm = other.page.getByRole('form', { name: 'Import a card' });
    await otherForm.getByLabel('Card file text').fill(readFileSync(first, 'utf8'));
    await otherForm.getByLabel('Name for the imported card').fill('Alice');
    await otherForm.getByLabel('Backup password').fill(BACKUP_PW);
    await otherForm.getByRole('button', { name: 'Import card' }).click();
    const moved = other.page.getByRole('listitem', { name: 'Alice' });
    await moved.getByText('-5 FST').waitFor();
    expect(vaultKey('b', 'Alice')).toBe(aliceKey);
    // the friend came along in the node database
    await other.page.getByRole('button', { name: 'Open Alice' }).click();
    await other.page.getByRole('listitem', { name: 'Friend Bob' }).waitFor();
    await other.page.screenshot({ path: artifactPath('24-import-other-wallet.png'), fullPage: true });
    // the card's Settings tab offers the same export (imported from a backup: counts as backed up)
    await other.page.getByRole('tab', { name: 'Settings' }).click();
    const settingsExport = other.page.getByRole('form', { name: 'Export a backup of Alice' });
    await settingsExport.getByText('Last backup exported').waitFor();
    await settingsExport.getByLabel('Backup password', { exact: true }).waitFor();
    // a file that is not a card: refused before anything is sent
    await other.page.getByRole('button', { name: '← All cards' }).click();
    await otherForm.getByLabel('Card file text').fill('{"kind":"friend"}');
    await otherForm.getByLabel('Name for the imported card').fill('X');
    await otherForm.getByRole('button', { name: 'Import card' }).click();
    await otherForm.getByRole('alert').filter({ hasText: 'This is not a card file.' }).waitFor();
    expect(await other.page.getByRole('list', { name: 'Cards' }).getByRole('listitem').count()).toBe(1);

    expect(problems).toEqual([]);
    expect(other.problems).toEqual([]);
    await page.context().close();
    await other.page.context().close();
  }, 180_000);

  it('imports a remote card (.rcard from stmgr) and shows it with its badge, address and node state', async () => {
    const node = join(dir, 'remote-node');
    mkdirSync(join(node, 'trusted'), { recursive: true });
    const sh = async (...args: string[]): Promise<void> => {
      const r = await runBin('stmgr', args, node);
      if (r.code !== 0) throw new Error(`stmgr ${args.join(' ')}: ${r.stderr}`);
    };
    await sh('gen-ident', '--output', 'node.ident');
    await sh('gen-ident', '--output', 'app.ident');
    await sh('init-node-db', '--idfile', 'node.ident', '--output', 'node.db');
    await sh('app-ticket', '--idfile', 'app.ident', '--pconfig', '--pfunds', '--proutes', '--pseller', '--output', 'trusted/app.ticket');
    const address = `127.0.0.1:${await freePort()}`;
    await sh('node-entry', '--address', address, '--appid', 'app.ident', '--nodeid', 'node.ident', '--name', 'Shop', '--output', 'shop.rcard');
    stnode = await background(`stnode --database node.db --idfile node.ident --laddr ${address} --trusted trusted`, node, /listening/);

    const context = await (browser as Browser).newContext({ colorScheme: 'dark', viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto((walletB as RunningWallet).url);
    // wallet B is still unlocked from the first test, unless it locked itself meanwhile
    await page.getByRole('heading', { level: 1, name: /^(Cards|Wallet locked)$/ }).waitFor();
    if ((await page.getByRole('heading', { level: 1 }).textContent()) === 'Wallet locked') {
      await page.getByLabel('Password', { exact: true }).fill('wallet B password');
      await page.getByRole('button', { name: 'Unlock' }).click();
    }
    const form = page.getByRole('form', { name: 'Import a card' });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), form.getByRole('button', { name: 'Open a card file…' }).click()]);
    await chooser.setFiles(join(node, 'shop.rcard'));
    await form.getByText('A remote card: the wallet will connect to its node.').waitFor();
    expect(await form.getByLabel('Name for the imported card').inputValue()).toBe('Shop');
    expect(await form.getByLabel('Backup password').count()).toBe(0); // a remote card has none
    await form.getByRole('button', { name: 'Import card' }).click();
    const shop = page.getByRole('listitem', { name: 'Shop' });
    await shop.getByText(`node at ${address} · online`).waitFor();
    await shop.getByText('remote', { exact: true }).waitFor();
    expect(await shop.getByRole('button', { name: 'Export a backup of Shop' }).count()).toBe(0);
    // the same node again: refused, nothing added
    const [again] = await Promise.all([page.waitForEvent('filechooser'), form.getByRole('button', { name: 'Open a card file…' }).click()]);
    await again.setFiles(join(node, 'shop.rcard'));
    await form.getByLabel('Name for the imported card').fill('Shop twice');
    await form.getByRole('button', { name: 'Import card' }).click();
    await form.getByRole('alert').filter({ hasText: 'This node is already a card in the wallet' }).waitFor();
    await page.screenshot({ path: artifactPath('25-remote-card.png'), fullPage: true });
    // its card page works as for a local card: the node's report through app.connect
    await page.getByRole('button', { name: 'Open Shop' }).click();
    await page.getByRole('heading', { name: 'Shop', level: 1 }).waitFor();
    await page.getByText('No friends yet').waitFor();
    await page.screenshot({ path: artifactPath('26-remote-card-page.png'), fullPage: true });
    await page.getByRole('button', { name: '← All cards' }).click();
    // the node goes away: the card says so
    await stnode.stop('SIGKILL');
    await shop.getByText(`node at ${address} · offline`).waitFor();
    await shop.getByText(`The connection to the node of this card at ${address} ended`).or(shop.getByText(`Cannot reach the node of this card at ${address}`)).first().waitFor();
    await page.screenshot({ path: artifactPath('28-remote-card-offline.png'), fullPage: true });
    // removing a remote card: a plain confirmation, the node keeps its data
    await shop.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('group', { name: 'Remove Shop?' }).getByText('keeps its friends and balances').waitFor();
    await page.getByRole('button', { name: 'Remove card' }).click();
    await shop.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('moves a node made with stmgr into the wallet as a local card', async () => {
    const node = join(dir, 'cli-node');
    mkdirSync(node);
    for (const args of [
      ['gen-ident', '--output', 'mover.ident'], ['init-node-db', '--idfile', 'mover.ident', '--output', 'mover.db'],
      ['gen-ident', '--output', 'phone.ident'], ['app-ticket', '--idfile', 'phone.ident', '--proutes', '--output', 'phone.ticket'],
    ]) {
      const r = await runBin('stmgr', args, node);
      if (r.code !== 0) throw new Error(r.stderr);
    }
    const key = (JSON.parse(readFileSync(join(node, 'mover.ident'), 'utf8')) as { publicKey: string }).publicKey;
    const context = await (browser as Browser).newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.goto((walletB as RunningWallet).url);
    await page.getByRole('heading', { level: 1, name: /^(Cards|Wallet locked)$/ }).waitFor();
    if ((await page.getByRole('heading', { level: 1 }).textContent()) === 'Wallet locked') {
      await page.getByLabel('Password', { exact: true }).fill('wallet B password');
      await page.getByRole('button', { name: 'Unlock' }).click();
    }
    await page.getByText('Move a node from the command line tools').click();
    const form = page.getByRole('form', { name: 'Move a node into the wallet' });
    await form.getByRole('button', { name: 'Move node into wallet' }).click();
    await form.getByRole('alert').filter({ hasText: 'Open the node’s identity file and its database first.' }).waitFor();
    const [identChooser] = await Promise.all([page.waitForEvent('filechooser'), form.getByRole('button', { name: 'Open its identity file…' }).click()]);
    await identChooser.setFiles(join(node, 'mover.ident'));
    const [dbChooser] = await Promise.all([page.waitForEvent('filechooser'), form.getByRole('button', { name: 'Open its database…' }).click()]);
    await dbChooser.setFiles(join(node, 'mover.db'));
    await form.getByText('Identity: mover.ident · Database: mover.db').waitFor();
    expect(await form.getByLabel('Name for the moved card').inputValue()).toBe('mover');
    await form.getByRole('button', { name: 'Move node into wallet' }).click();
    await form.getByRole('status').filter({ hasText: 'The node is now the card “mover”' }).waitFor();
    await page.getByRole('listitem', { name: 'mover' }).getByText('On this computer · online').waitFor();
    expect(vaultKey('b', 'mover')).toBe(key);
    await page.screenshot({ path: artifactPath('27-moved-node.png'), fullPage: true });
    // its Settings: trust an app that made its own identity, by its app ticket
    await page.getByRole('button', { name: 'Open mover' }).click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const trust = page.getByRole('form', { name: 'Trust an app ticket' });
    await trust.getByLabel('App ticket').fill('{"kind":"friend"}');
    await trust.getByLabel('Who or what it is for').fill('Phone');
    await trust.getByRole('button', { name: 'Trust this app' }).click();
    await trust.getByRole('alert').filter({ hasText: 'The app was not trusted' }).waitFor();
    const [ticketChooser] = await Promise.all([page.waitForEvent('filechooser'), trust.getByRole('button', { name: 'Open an app ticket…' }).click()]);
    await ticketChooser.setFiles(join(node, 'phone.ticket'));
    await trust.getByRole('button', { name: 'Trust this app' }).click();
    await trust.getByRole('status').filter({ hasText: '“Phone” is trusted (routes)' }).waitFor();
    await page.getByRole('list', { name: 'App tickets' }).getByText('Phone').first().waitFor();
    await page.screenshot({ path: artifactPath('29-trusted-app-ticket.png'), fullPage: true });
    await context.close();
  }, 120_000);
});
