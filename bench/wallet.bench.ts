/** Wallet cold start in browser mode (shared/BENCH.md `wallet.cold_start_ms`): from spawning the
 *  host process (`src-main/start.node.ts --browser --no-build`, as `npm start -- --browser` runs
 *  it) to the card list rendered in Chromium with every card of the wallet listed.
 *
 *  The wallet (default scrypt cost, `CARDS` local cards with node databases) is made once; every
 *  run starts a new host process on it. A wallet always starts locked, so a run includes the
 *  unlock (scrypt at the default cost, every card's node started) with the password typed by the
 *  test at once. Chromium is already running (a person's browser is), the renderer already built.
 *  Extras, p50 each: `to_url_ms` (process start to the printed address: node, tsx, host, vault)
 *  and `unlock_to_list_ms` (the Unlock click to the full list: scrypt, the nodes started). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, launchChromium, startWallet } from '../e2e/support.ts';
import { buildRenderer } from '../src-main/build.node.ts';
import { openWalletHost } from '../src-main/host.node.ts';
import { type BenchContext, percentile } from './figure.ts';

const CARDS = 4;
const PASSWORD = 'bench wallet password';

async function makeWallet(dataDir: string): Promise<void> {
  const h = await openWalletHost(dataDir, (e) => { throw e; });
  try {
    let id = 0;
    const call = async (name: string, args: unknown): Promise<void> => {
      const r = JSON.parse(await h.dispatcher.handle(JSON.stringify({ id: ++id, name, args }))) as { ok: boolean; error?: { message: string } };
      if (!r.ok) throw new Error(`${name}: ${r.error?.message ?? ''}`);
    };
    await call('wallet.create', { password: PASSWORD });
    for (let i = 0; i < CARDS; i++) await call('cards.create', { name: `Card ${i + 1}` });
  } finally {
    await h.close();
  }
}

export async function run(ctx: BenchContext): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    ctx.log(`wallet.cold_start_ms skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set OFFSET_CHROMIUM)`);
    return;
  }
  const runs = ctx.quick ? 2 : 5;
  const dir = mkdtempSync(join(tmpdir(), 'offset-bench-wallet-'));
  const browser = await launchChromium();
  try {
    const rendererDir = join(dir, 'renderer');
    const dataDir = join(dir, 'data');
    await buildRenderer(rendererDir);
    await makeWallet(dataDir);
    const total: number[] = [];
    const toUrl: number[] = [];
    const unlockToList: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      const wallet = await startWallet(rendererDir, dataDir);
      const t1 = performance.now();
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(wallet.url);
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        const tLock = performance.now();
        await page.getByRole('button', { name: 'Unlock' }).click();
        await page.getByRole('list', { name: 'Cards' }).getByRole('listitem').nth(CARDS - 1).waitFor();
        const t2 = performance.now();
        if (i > 0) { // the first run warms the OS caches and the tsx cache
          total.push(t2 - t0);
          toUrl.push(t1 - t0);
          unlockToList.push(t2 - tLock);
        }
        ctx.log(`wallet cold start ${i === 0 ? '(warm-up) ' : ''}${Math.round(t2 - t0)} ms (address after ${Math.round(t1 - t0)} ms)`);
      } finally {
        await context.close();
        await wallet.stop();
      }
    }
    const p50 = (xs: number[]): number => Math.round(percentile([...xs].sort((a, b) => a - b), 50));
    ctx.report({ figure: 'wallet.cold_start_ms', value: p50(total), unit: 'ms', runs, cards: CARDS, to_url_ms: p50(toUrl), unlock_to_list_ms: p50(unlockToList), mode: 'browser, host process, includes unlock' });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
