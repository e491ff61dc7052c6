import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isStoreError } from '../src-core/store/index.ts';
import { openWalletHost, VAULT_FILE } from './host.node.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'offset-host-'));
  dirs.push(d);
  return join(d, 'data');
};
const COST = { cost: { logN: 4, r: 8, p: 1 } };
const call = async (h: Awaited<ReturnType<typeof openWalletHost>>, name: string, args: unknown = {}) =>
  JSON.parse(await h.dispatcher.handle(JSON.stringify({ id: 1, name, args }))) as { ok: boolean; value?: unknown };

describe('openWalletHost', () => {
  it('keeps a second host off the same data folder until the first closes', async () => {
    const dir = tempDir();
    const first = await openWalletHost(dir, () => {}, COST);
    await call(first, 'wallet.create', { password: 'host password' });
    await call(first, 'cards.create', { name: 'Kept' });
    const second = await openWalletHost(dir, () => {}, COST).then(() => 'opened', (e: unknown) => (isStoreError(e, 'locked') ? 'locked' : e));
    expect(second).toBe('locked');
    await first.close();
    const again = await openWalletHost(dir, () => {}, COST);
    expect(await call(again, 'cards.list')).toMatchObject({ ok: true, value: { cards: [{ name: 'Kept' }] } });
    await again.close();
  });

  it('refuses a damaged wallet file and leaves the folder unlocked', async () => {
    const dir = tempDir();
    await (await openWalletHost(dir, () => {}, COST)).close();
    writeFileSync(join(dir, VAULT_FILE), '{"version":1');
    await expect(openWalletHost(dir, () => {}, COST)).rejects.toThrow(/not JSON/);
    writeFileSync(join(dir, VAULT_FILE), '{"version":1,"lock":null,"cards":[]}');
    const h = await openWalletHost(dir, () => {}, COST);
    expect(await call(h, 'wallet.status')).toMatchObject({ value: { locked: true, hasPassword: false } });
    await h.close();
  });
});
