import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../src-core/codec/index.ts';
import { seededRandom } from '../src-core/crypto/index.ts';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { ManualClock } from '../src-core/net/index.ts';
import type { CardPrefs } from './card-prefs.ts';
import { createDispatcher, EventHub } from './dispatcher.ts';
import { nodeScryptKdf } from './kdf.node.ts';
import { fileVaultStorage, loadVault } from './vault-storage.node.ts';
import { createWalletHost } from './wallet-host.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Answer = { ok: boolean; value?: any; error?: { code: string; message: string } };
const PW = 'card prefs password';
const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
};

/** A real wallet host whose cards have no node engines (so a card cannot take app requests: the
 *  case of a stopped card), on a manual clock; every save of the table is recorded. */
async function openHost() {
  const dir = mkdtempSync(join(tmpdir(), 'offset-prefs-unit-'));
  dirs.push(dir);
  const file = join(dir, 'wallet.json');
  const clock = new ManualClock(1_000_000_000_000);
  const saved: CardPrefs[] = [];
  const host = createWalletHost({
    vault: await loadVault(file), save: fileVaultStorage(file).save, events: new EventHub(), crypto: nodeBackend, kdf: nodeScryptKdf,
    random: seededRandom(5), cost: { logN: 4, r: 8, p: 1 },
    safety: { clock, settings: { autoLockSeconds: 60, payPasswordAbove: [], payPasswordAboveOther: null } },
    cardPrefs: { clock, save: async (p) => { saved.push(p); } },
  });
  const dispatcher = createDispatcher(host.handlers);
  let id = 0;
  const call = async (name: string, args: unknown = {}): Promise<Answer> => JSON.parse(await dispatcher.handle(JSON.stringify({ id: ++id, name, args }))) as Answer;
  return { clock, call, saved, host };
}

describe('the expiry timer', () => {
  it('keeps an expiry a card cannot take now and retries every 5 s; after an idle lock it waits for the unlock', async () => {
    const { clock, call, saved, host } = await openHost();
    await call('wallet.create', { password: PW });
    const card = (await call('cards.create', { name: 'Shop' })).value.card.id as string;
    const nowS = Math.floor(clock.now() / 1000);
    expect(await call('invoices.setExpiry', { cardId: card, invoiceId: toBase64Url(new Uint8Array(32).fill(1)), expiresAt: nowS + 10 })).toMatchObject({ ok: true });
    const mine = (): number => clock.pendingCount - 1; // besides the idle lock's timer
    expect(mine()).toBe(1);
    clock.advance(10_000); // due: the card has no running node, app.request is refused
    await flush();
    expect(saved.at(-1)?.expiries).toHaveLength(1); // kept
    expect(mine()).toBe(1); // one retry timer, 5 s away
    clock.advance(4_999);
    await flush();
    expect(mine()).toBe(1);
    clock.advance(1);
    await flush();
    expect(mine()).toBe(1); // retried once, armed again
    // the idle lock (safety.ts) locks without passing through the table's handlers: the next retry
    // finds the wallet locked and stops until an unlock
    for (let i = 0; i < 12; i++) {
      clock.advance(5_000);
      await flush();
    }
    expect((await call('wallet.status')).value).toMatchObject({ locked: true });
    expect(clock.pendingCount).toBe(0);
    clock.advance(60_000);
    await flush();
    expect(clock.pendingCount).toBe(0);
    await call('wallet.unlock', { password: PW });
    await flush();
    expect(mine()).toBe(1); // swept at unlock, retrying
    expect(saved.at(-1)?.expiries).toHaveLength(1);
    await host.close();
    expect(clock.pendingCount).toBe(0);
  });
});
