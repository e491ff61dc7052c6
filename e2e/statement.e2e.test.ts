/** Verifiable statements in a real Chromium (browser mode, real node engines): two cards of one
 *  wallet become friends over a real relay and pay each other (set up through the cards' own
 *  command line access, as stctrl would); Alice's Statement tab shows every line "verified",
 *  saves the file, which the real `stverify statement` accepts; a tampered copy opened in the
 *  tab shows the failing line and why. */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppClient, type NodeReport, executePayment, findFriend, quotePayment } from '../src-core/app/index.ts';
import { nodeBackend as crypto } from '../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../src-core/crypto/index.ts';
import { parseIdent, parseNodeTicket } from '../src-core/files/index.ts';
import { listenIndexServer, type RunningIndexServer } from '../src-core/index/server.node.ts';
import { secureChannel, systemClock } from '../src-core/net/index.ts';
import { tcpConnect } from '../src-core/net/tcp.node.ts';
import { befriendByApp, until } from '../src-core/node/it/harness.ts';
import { type RelayServer, startRelayServer } from '../src-core/relay/server.node.ts';
import { parseStatement, verifyStatement } from '../src-core/statement/index.ts';
import { runBin } from '../src-core/cli/it/spawn.ts';
import { artifactPath, type BrowserWallet, createCard, openBrowserWallet, openCard, ROOT } from './support.ts';

let session: BrowserWallet | undefined;
let browser: Browser;
let relay: RelayServer;
let index: RunningIndexServer;
const clients: AppClient[] = [];
const relaySigner = identityFromSeed(crypto, new Uint8Array(32).fill(221));
const indexSigner = identityFromSeed(crypto, new Uint8Array(32).fill(222));

beforeAll(async () => {
  [session, relay, index] = await Promise.all([
    openBrowserWallet('offset-e2e-statement-'),
    startRelayServer({ identity: relaySigner, crypto, clock: systemClock, laddr: '127.0.0.1:0' }),
    listenIndexServer({ identity: indexSigner, crypto, trusted: [], clientAddress: '127.0.0.1:0', serverAddress: '127.0.0.1:0' }),
  ]);
  browser = session.browser;
}, 180_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await session?.close();
  await relay?.close();
  await index?.close();
});

const PASSWORD = 'e2e statement password';



/** Turns on the card's command line access in its Settings tab and connects to it as stctrl would. */
async function cliClient(page: Page, name: string): Promise<AppClient> {
  await openCard(page, name);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Turn on command line access' }).click();
  const details = page.getByLabel('Command line access details');
  await details.waitFor();
  const paths = await details.locator('dd code').allTextContents();
  const ticket = parseNodeTicket(await readFile(paths[0] as string, 'utf8'));
  const ident = parseIdent(await readFile(paths[1] as string, 'utf8'), crypto);
  if (!ticket.ok || !ident.ok) throw new Error('unreadable command line access files');
  const ch = await secureChannel(await tcpConnect(ticket.value.address), {
    identity: identityFromSeed(crypto, ident.value.privateKey), crypto, clock: systemClock, expectedRemote: ticket.value.publicKey,
  });
  const c = await AppClient.connect(ch, { random: (n) => crypto.randomBytes(n) });
  clients.push(c);
  return c;
}

function befriend(a: AppClient, friend: Uint8Array, name: string): Promise<void> {
  return befriendByApp(a, friend, name, {
    relay: { publicKey: relaySigner.publicKey, address: relay.address }, index: { publicKey: indexSigner.publicKey, address: index.clientAddress },
  });
}

async function pay(from: AppClient, dest: Uint8Array, amount: bigint): Promise<void> {
  const end = Date.now() + 30_000;
  for (;;) {
    const q = await quotePayment(from, { destination: dest, currency: 'FST', amount });
    if (q.ok) {
      const out = await executePayment(from, {
        paymentId: crypto.randomBytes(16), invoiceId: crypto.randomBytes(32), currency: 'FST', totalDestPayment: amount, destPublicKey: dest, autoCollect: true,
      }, q.value, (n) => crypto.randomBytes(n));
      expect(out.kind).toBe('receipt');
      return;
    }
    if (Date.now() > end) throw new Error(`no route for ${amount}`);
    await new Promise((r) => setTimeout(r, 100)); // bounded poll: the index server hears capacities on its own schedule
  }
}

describe('the Statement tab in Chromium (browser mode)', () => {
  it('shows each line verified, saves a file stverify accepts, and marks a tampered file FAILED', async () => {
    const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1100, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(session?.wallet.url as string);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'Cards', level: 1 }).waitFor();
    await createCard(page, 'Alice');
    await createCard(page, 'Bob');
    const alice = await cliClient(page, 'Alice');
    const bob = await cliClient(page, 'Bob');
    const keyA = alice.report.localPublicKey;
    const keyB = bob.report.localPublicKey;
    await befriend(alice, keyB, 'Bob');
    await befriend(bob, keyA, 'Alice');
    const online = (friend: Uint8Array) => (r: NodeReport): boolean => {
      const f = findFriend(r, friend);
      return f?.online === true && f.currencies.some((c) => c.remoteRequestsOpen && c.localMaxDebt === 100n);
    };
    await until(alice, online(keyB), 'Alice to see Bob open');
    await until(bob, online(keyA), 'Bob to see Alice open');
    await pay(alice, keyB, 30n);
    await pay(alice, keyB, 12n);
    await pay(bob, keyA, 5n);
    await until(alice, (r) => findFriend(r, keyB)?.currencies[0]?.balance === -37n, 'Alice to owe Bob 37');

    await openCard(page, 'Alice');
    await page.getByRole('tab', { name: 'Statement' }).click();
    await page.getByRole('button', { name: 'Make statement' }).click();
    const view = page.getByRole('region', { name: 'Statement lines' });
    await view.getByText('Verified: all 3 lines are backed by valid signatures').waitFor();
    const rows = view.getByRole('table', { name: 'Statement' }).locator('tbody tr');
    expect(await rows.count()).toBe(3);
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(2).map((td) => td.textContent ?? '')));
    // lines are in time order; a payment's row time is its last status change, so compare as a set
    expect(cells.sort((a, b) => (a.join() < b.join() ? -1 : 1))).toEqual([
      ['payment', 'Bob', '-12 FST', 'verified'],
      ['payment', 'Bob', '-30 FST', 'verified'],
      ['received', '—', '5 FST', 'verified'],
    ]);
    await view.getByText(/^Balance -?\d+ FST as Bob last signed it: verified$/).waitFor();
    await page.screenshot({ path: artifactPath('40-statement-verified.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), view.getByRole('button', { name: 'Save statement file' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^Alice - Bob FST \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\.statement$/);
    const saved = artifactPath('statement-alice-bob.statement');
    await download.saveAs(saved);
    const text = await readFile(saved, 'utf8');
    const parsed = parseStatement(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(verifyStatement(crypto, parsed.value).ok).toBe(true);
    const cli = await runBin('stverify', ['statement', saved], ROOT);
    expect(cli.stdout).toContain('Statement is valid! (3 lines)');
    expect(cli.code).toBe(0);

    // a copy with one amount changed, opened in the tab: that line fails, with the reason
    const tampered = text.replace(',FST,-12,', ',FST,-2,');
    expect(tampered).not.toBe(text);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Check a statement file…' }).click()]);
    await chooser.setFiles({ name: 'tampered.statement', mimeType: 'application/json', buffer: Buffer.from(tampered) });
    const checked = page.getByRole('region', { name: 'Statement lines' });
    await checked.getByRole('heading', { name: 'File tampered.statement' }).waitFor();
    await checked.getByText('Not valid: 1 of 3 lines failed.').waitFor();
    await checked.getByRole('cell', { name: 'FAILED: the receipt is for 12, the line says 2' }).waitFor();
    await page.screenshot({ path: artifactPath('41-statement-tampered.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);
});
