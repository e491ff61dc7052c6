/** A card's Settings and History tabs in a real Chromium (browser mode, real node engines) with a
 *  real strelay and stindex: relays and index servers added from a ticket file, pasted text and the
 *  camera (Chromium's fake camera films the index ticket's QR code), bad tickets refused; command
 *  line access turned on, and the real stctrl with the command the page shows lists the same
 *  friends; two cards pay each other through stctrl; the History tab shows it, its CSV download
 *  is checked, and the buyer's saved receipt verifies with stregister. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Background, background, freePort, poll, runBin } from '../src-core/node/it/procs.ts';
import { buildRenderer } from '../src-main/build.node.ts';
import { CSV_HEADER, parseCsv } from '../src-renderer/history/history-csv.ts';
import { qrVideoY4m as y4mOf } from './qr-video.ts';
import { artifactPath, createCard, launchChromium, openCard, openWalletWindow, type RunningWallet, startWallet } from './support.ts';

let dir: string;
let wallet: RunningWallet | undefined;
let browser: Browser | undefined;
const servers: Background[] = [];

async function ok(program: string, args: readonly string[]): Promise<string> {
  const r = await runBin(program, args, dir);
  if (r.code !== 0) throw new Error(`${program} ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offset-e2e-settings-'));
  const [relayPort, lclient, lserver] = [await freePort(), await freePort(), await freePort()];
  mkdirSync(join(dir, 'index', 'trusted'), { recursive: true });
  await ok('stmgr', ['gen-ident', '--output', 'relay.ident']);
  await ok('stmgr', ['relay-ticket', '--address', `127.0.0.1:${relayPort}`, '--idfile', 'relay.ident', '--output', 'my_relay.ticket']);
  await ok('stmgr', ['gen-ident', '--output', 'index/index.ident']);
  await ok('stmgr', ['index-ticket', '--address', `127.0.0.1:${lclient}`, '--idfile', 'index/index.ident', '--output', 'index_client.ticket']);
  servers.push(await background(`strelay --idfile relay.ident --laddr 127.0.0.1:${relayPort}`, dir, /listening/));
  servers.push(await background(`stindex --idfile index/index.ident --lclient 127.0.0.1:${lclient} --lserver 127.0.0.1:${lserver} --trusted index/trusted`, dir, /listening/));
  writeFileSync(join(dir, 'index.y4m'), y4mOf(readFileSync(join(dir, 'index_client.ticket'), 'utf8')));
  await buildRenderer(join(dir, 'renderer'));
  [wallet, browser] = await Promise.all([
    startWallet(join(dir, 'renderer'), join(dir, 'data')),
    launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${join(dir, 'index.y4m')}`]),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await wallet?.stop();
  for (const s of servers) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

const PASSWORD = 'e2e settings password';



const tab = (page: Page, name: string) => page.getByRole('tab', { name }).click();

async function chooseFile(page: Page, button: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: button }).click()]);
  await chooser.setFiles(file);
}

/** Opens a ticket file and waits until the page has read it into the ticket field (the read is
 *  asynchronous; a click on "Add" before it would send the field's old text). */
async function openTicketFile(page: Page, kind: 'relay' | 'index server', file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const article = kind === 'relay' ? 'a' : 'an';
  const field = kind === 'relay' ? 'Relay ticket' : 'Index server ticket';
  await chooseFile(page, `Open ${article} ${kind} ticket file…`, file);
  await poll(`${file.name} in the ${field} field`, async () => ((await page.getByLabel(field, { exact: true }).inputValue()) === file.buffer.toString() ? true : undefined), 10_000, 50);
}

async function friendFile(page: Page): Promise<string> {
  await tab(page, 'Friends');
  await page.getByRole('button', { name: 'Show my friend file' }).click();
  return (await page.getByLabel('My friend file').textContent()) ?? '';
}

async function addFriend(page: Page, text: string): Promise<void> {
  await tab(page, 'Friends');
  await page.getByLabel('Friend file', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Add friend' }).click();
  await page.getByRole('status').filter({ hasText: 'Friend added' }).waitFor();
}

async function trust(page: Page, friend: string): Promise<void> {
  const item = page.getByRole('listitem', { name: `Friend ${friend}` });
  await item.getByLabel(`Max debt for ${friend} (FST)`).fill('100');
  await item.getByRole('button', { name: 'Set max debt' }).click();
  await item.getByText(/lets owe 100/).waitFor();
  await item.getByRole('button', { name: 'Open requests' }).click();
  await item.getByText(/requests open/).waitFor();
  await item.getByRole('button', { name: `Enable ${friend}` }).click();
  await item.getByText(/^enabled/).waitFor();
}

/** Turns command line access on and returns the -I and -T paths the shown command names. */
async function cliOn(page: Page): Promise<{ ident: string; ticket: string; command: string }> {
  await tab(page, 'Settings');
  await page.getByRole('button', { name: 'Turn on command line access' }).click();
  const command = (await page.getByLabel('stctrl command').textContent()) ?? '';
  const m = /^stctrl -I (\S+) -T (\S+) info friends$/.exec(command);
  if (m === null) throw new Error(`unexpected command: ${command}`);
  return { ident: m[1] as string, ticket: m[2] as string, command };
}

describe('card settings and history in Chromium (browser mode)', () => {
  it('adds relays and index servers, gives stctrl access, and shows, filters and exports the history', async () => {
    if (wallet === undefined || browser === undefined) throw new Error('not started');
    const { page, context, problems } = await openWalletWindow(browser, wallet.url, { password: PASSWORD, acceptDownloads: true });
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    await createCard(page, 'Alice');
    await createCard(page, 'Bob');
    const relayTicket = readFileSync(join(dir, 'my_relay.ticket'));
    const indexTicket = readFileSync(join(dir, 'index_client.ticket'));

    // Alice: bad input first, nothing added
    await openCard(page, 'Alice');
    await tab(page, 'Settings');
    await openTicketFile(page, 'relay', { name: 'notes.ticket', mimeType: 'text/plain', buffer: Buffer.from('hello, not a ticket') });
    await page.getByLabel('Relay name', { exact: true }).fill('notes');
    await page.getByRole('button', { name: 'Add relay' }).click();
    await page.getByRole('alert').filter({ hasText: 'This is not a relay ticket we can read' }).waitFor();
    await page.getByLabel('Relay ticket', { exact: true }).fill(indexTicket.toString());
    await page.getByRole('button', { name: 'Add relay' }).click();
    await page.getByRole('alert').filter({ hasText: 'This is an index server ticket: add it under Index servers.' }).waitFor();
    const blank = Buffer.from(await page.screenshot({ clip: { x: 0, y: 0, width: 40, height: 40 } }));
    await chooseFile(page, 'Read a relay QR picture…', { name: 'garbage.png', mimeType: 'image/png', buffer: blank });
    await page.getByRole('alert').filter({ hasText: 'No relay ticket QR code was read from garbage.png' }).waitFor();
    await page.screenshot({ path: artifactPath('30-settings-bad-ticket.png'), fullPage: true });
    await page.getByText('No relays yet').waitFor();

    // a relay from its ticket file, the index server from the camera
    await page.getByLabel('Relay ticket', { exact: true }).fill('');
    await page.getByLabel('Relay name', { exact: true }).fill('');
    await openTicketFile(page, 'relay', { name: 'my_relay.ticket', mimeType: 'application/json', buffer: relayTicket });
    expect(await page.getByLabel('Relay name', { exact: true }).inputValue()).toBe('my relay'); // set with the ticket text
    await page.getByRole('button', { name: 'Add relay' }).click();
    await page.getByRole('listitem', { name: 'relay my relay' }).getByText('connected', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Scan an index server ticket with the camera' }).click();
    await poll('the camera to read the index ticket', async () => ((await page.getByLabel('Index server ticket', { exact: true }).inputValue()) === indexTicket.toString() ? true : undefined), 30_000, 100);
    await page.getByLabel('Index server name', { exact: true }).fill('my index');
    await page.getByRole('button', { name: 'Add index server' }).click();
    const index = page.getByRole('listitem', { name: 'index server my index' });
    await index.getByText('connected', { exact: true }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('31-settings-servers.png'), fullPage: true });

    // Bob: the relay pasted, the index server from its file
    await openCard(page, 'Bob');
    await tab(page, 'Settings');
    await page.getByLabel('Relay ticket', { exact: true }).fill(relayTicket.toString());
    await page.getByLabel('Relay name', { exact: true }).fill('relay');
    await page.getByRole('button', { name: 'Add relay' }).click();
    await page.getByRole('listitem', { name: 'relay relay' }).getByText('connected', { exact: true }).waitFor({ timeout: 30_000 });
    await openTicketFile(page, 'index server', { name: 'index_client.ticket', mimeType: 'application/json', buffer: indexTicket });
    await page.getByRole('button', { name: 'Add index server' }).click();
    await page.getByRole('listitem', { name: 'index server index client' }).getByText('connected', { exact: true }).waitFor({ timeout: 30_000 });

    // friends through the relay
    const bobFile = await friendFile(page);
    await openCard(page, 'Alice');
    const aliceFile = await friendFile(page);
    await addFriend(page, bobFile);
    await trust(page, 'Bob');
    await openCard(page, 'Bob');
    await addFriend(page, aliceFile);
    await trust(page, 'Alice');
    await page.getByRole('listitem', { name: 'Friend Alice' }).getByText(/· online/).waitFor({ timeout: 30_000 });

    // command line access: the real stctrl with the shown command sees the same friends
    const bobCli = await cliOn(page);
    await openCard(page, 'Alice');
    const aliceCli = await cliOn(page);
    await page.screenshot({ path: artifactPath('32-settings-cli.png'), fullPage: true });
    // a reload asks the host: access is still on, with the same command
    await page.reload();
    await openCard(page, 'Alice');
    await tab(page, 'Settings');
    expect(await page.getByLabel('stctrl command').textContent()).toBe(aliceCli.command);
    const friends = await ok('stctrl', ['-I', aliceCli.ident, '-T', aliceCli.ticket, 'info', 'friends']);
    expect(friends).toMatch(/\| E\+ +\| Bob +\|/);
    expect(await ok('stctrl', ['-I', bobCli.ident, '-T', bobCli.ticket, 'info', 'friends'])).toMatch(/\| E\+ +\| Alice +\|/);

    // a payment through stctrl: Alice invoices 60, Bob pays, Alice collects, Bob gets the receipt
    const alice = ['-I', aliceCli.ident, '-T', aliceCli.ticket];
    const bob = ['-I', bobCli.ident, '-T', bobCli.ticket];
    await ok('stctrl', [...alice, 'seller', 'create-invoice', '-a', '7', '-i', 'cancelled.invoice']);
    await ok('stctrl', [...alice, 'seller', 'cancel-invoice', '-i', 'cancelled.invoice']);
    await ok('stctrl', [...alice, 'seller', 'create-invoice', '-a', '60', '-i', 'sixty.invoice']);
    const paid = await poll('a route from Bob to Alice', async () => {
      const r = await runBin('stctrl', [...bob, 'buyer', 'pay-invoice', '-i', 'sixty.invoice', '-c', 'sixty.commit', '--yes', '--force'], dir);
      return r.code === 0 ? r.stdout : undefined;
    }, 60_000, 500);
    const paymentId = /Payment id: (\S+)/.exec(paid)?.[1] ?? '';
    await ok('stctrl', [...alice, 'seller', 'commit-invoice', '-i', 'sixty.invoice', '-c', 'sixty.commit']);
    await poll('the receipt', async () => ((await runBin('stctrl', [...bob, 'buyer', 'payment-status', '-p', paymentId, '-r', 'cli.receipt', '--force'], dir)).code === 0 ? true : undefined), 30_000, 300);

    // Alice's history: filters, search, CSV
    await tab(page, 'History');
    const table = page.getByRole('table', { name: 'History' });
    await table.getByRole('row').filter({ hasText: 'collected' }).getByText('through Bob').waitFor(); // the friend whose channel paid it
    await table.getByRole('row').filter({ hasText: 'cancelled' }).waitFor();
    await page.screenshot({ path: artifactPath('33-history-alice.png'), fullPage: true });
    await page.getByLabel('State').selectOption('collected');
    expect(await table.getByRole('row').count()).toBe(2); // header + 1
    await page.getByLabel('State').selectOption('');
    await page.getByRole('searchbox', { name: 'Search' }).fill('cancelled');
    expect(await table.getByRole('row').count()).toBe(2);
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Export CSV/ }).click()]);
    expect(download.suggestedFilename()).toBe('Alice history.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_HEADER]);
    expect(rows.slice(1).map((r) => [r[1], r[2], r[3], r[4], r[9]]).sort()).toEqual([['invoice', 'canceled', 'FST', '7', ''], ['invoice', 'collected', 'FST', '60', 'Bob=60']]);
    expect(csv.split('\r\n')).toHaveLength(4);

    // Bob's history: the payment, its receipt viewed, saved and verified
    await openCard(page, 'Bob');
    await tab(page, 'History');
    const row = page.getByRole('table', { name: 'History' }).getByRole('row').filter({ hasText: 'Alice' });
    await row.getByText('-60 FST').waitFor();
    await row.getByText('paid').waitFor();
    await row.getByRole('button', { name: 'Receipt' }).click();
    await page.getByLabel('Receipt file').waitFor();
    await page.screenshot({ path: artifactPath('34-history-bob-receipt.png'), fullPage: true });
    const [saved] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save receipt' }).click()]);
    expect(saved.suggestedFilename()).toMatch(/^Bob .+\.receipt$/);
    writeFileSync(join(dir, 'ui.receipt'), readFileSync(await saved.path()));
    expect(await ok('stregister', ['verify-receipt', '--invoice', 'sixty.invoice', '--receipt', 'ui.receipt'])).toContain('Receipt is valid!');

    // command line access off: the same command is refused
    await tab(page, 'Settings');
    await page.getByRole('button', { name: 'Remove relay' }).click();
    await page.getByText('No relays yet').waitFor();
    await page.getByRole('button', { name: 'Turn off command line access' }).click();
    await page.getByRole('status').filter({ hasText: 'Command line access is off' }).waitFor();
    expect((await runBin('stctrl', [...bob, 'info', 'friends'], dir)).code).not.toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
