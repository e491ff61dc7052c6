import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../src-core/crypto/index.ts';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { ManualClock } from '../src-core/net/index.ts';
import { createDispatcher, EventHub } from './dispatcher.ts';
import { nodeScryptKdf } from './kdf.node.ts';
import { createPasswordLimiter, DEFAULT_SAFETY_SETTINGS } from './safety.ts';
import { decodeSafetySettings, encodeSafetySettings, loadSafetySettings, saveSafetySettings } from './safety-storage.node.ts';
import { fileVaultStorage, loadVault } from './vault-storage.node.ts';
import { createWalletHost } from './wallet-host.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Answer = { ok?: boolean; value?: unknown; error?: { code: string; message: string } };
const PW = 'correct horse battery';

/** A real wallet host (vault and safety files in a temp dir) on a manual clock. */
async function openHost() {
  const dir = mkdtempSync(join(tmpdir(), 'offset-safety-'));
  dirs.push(dir);
  const clock = new ManualClock(1_000_000);
  const events = new EventHub();
  const seen: Array<{ name: string; payload: unknown }> = [];
  events.subscribe((m) => seen.push(JSON.parse(m) as { name: string; payload: unknown }));
  const safetyPath = join(dir, 'safety.json');
  let autoLocks = 0;
  const host = createWalletHost({
    vault: await loadVault(join(dir, 'wallet.json')),
    save: fileVaultStorage(join(dir, 'wallet.json')).save,
    events,
    crypto: nodeBackend,
    kdf: nodeScryptKdf,
    random: seededRandom(5),
    cost: { logN: 4, r: 8, p: 1 },
    safety: { settings: await loadSafetySettings(safetyPath), save: saveSafetySettings(safetyPath), clock },
  });
  const dispatcher = createDispatcher(host.handlers);
  let id = 0;
  const call = async (name: string, args: unknown = {}): Promise<Answer> => JSON.parse(await dispatcher.handle(JSON.stringify({ id: ++id, name, args }))) as Answer;
  const locked = async (): Promise<boolean> => ((await call('wallet.status')).value as { locked: boolean }).locked;
  /** Lets the auto-lock's async lock run to its end. */
  const settle = async (): Promise<void> => { for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); };
  return { dir, clock, call, locked, settle, seen, safetyPath, host, autoLocks: () => autoLocks, countAutoLock: () => autoLocks++ };
}

const settings = (autoLockSeconds: number, other: string | null = null, per: Array<{ currency: string; amount: string }> = []) =>
  ({ autoLockSeconds, payPasswordAbove: per, payPasswordAboveOther: other });

describe('auto-lock after idle time', () => {
  it('locks the wallet (host side) once no input came for the setting, and input postpones it', async () => {
    const h = await openHost();
    expect(await h.call('wallet.create', { password: PW })).toMatchObject({ ok: true });
    expect(await h.call('safety.set', { settings: settings(60), password: PW })).toMatchObject({ ok: true });
    h.clock.advance(59_000);
    await h.settle();
    expect(await h.locked()).toBe(false);
    expect(await h.call('wallet.activity')).toMatchObject({ ok: true });
    h.clock.advance(59_000); // 118 s since the setting, 59 s since the input
    await h.settle();
    expect(await h.locked()).toBe(false);
    h.clock.advance(1_000);
    await h.settle();
    expect(await h.locked()).toBe(true);
    expect(h.seen.filter((e) => e.name === 'wallet.changed').at(-1)?.payload).toEqual({ locked: true, hasPassword: true });
    // locked: no timer left; unlocking starts a new idle period
    expect(h.clock.pendingCount).toBe(0);
    expect(await h.call('wallet.unlock', { password: PW })).toMatchObject({ ok: true });
    h.clock.advance(60_000);
    await h.settle();
    expect(await h.locked()).toBe(true);
  });

  it('never locks with the setting 0, and stops its timer when the host closes', async () => {
    const h = await openHost();
    await h.call('wallet.create', { password: PW });
    expect(h.clock.pendingCount).toBe(1); // the default 15 minutes
    await h.call('safety.set', { settings: settings(0), password: PW });
    expect(h.clock.pendingCount).toBe(0);
    h.clock.advance(10 * 24 * 3600_000);
    await h.settle();
    expect(await h.locked()).toBe(false);
    await h.call('safety.set', { settings: settings(30), password: PW });
    await h.host.close();
    expect(h.clock.pendingCount).toBe(0);
  });
});

describe('wallet.verifyPassword', () => {
  it('answers whether the password is right and changes nothing', async () => {
    const h = await openHost();
    expect(await h.call('wallet.verifyPassword', { password: PW })).toMatchObject({ ok: false, error: { code: 'locked' } });
    await h.call('wallet.create', { password: PW });
    const vault = readFileSync(join(h.dir, 'wallet.json'), 'utf8');
    const events = h.seen.length;
    expect(await h.call('wallet.verifyPassword', { password: PW })).toEqual({ kind: 'response', id: expect.any(Number), ok: true, value: null });
    expect(await h.call('wallet.verifyPassword', { password: 'not the password' })).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
    expect(readFileSync(join(h.dir, 'wallet.json'), 'utf8')).toBe(vault);
    expect(h.seen.length).toBe(events);
    expect(await h.locked()).toBe(false);
    await h.call('wallet.lock');
    expect(await h.call('wallet.verifyPassword', { password: PW })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await h.locked()).toBe(true);
  });

  it('is rate-limited after five wrong passwords, shared with unlock, and the right one resets it', async () => {
    const h = await openHost();
    await h.call('wallet.create', { password: PW });
    for (let i = 0; i < 5; i++) expect(await h.call('wallet.verifyPassword', { password: `wrong ${i}` })).toMatchObject({ error: { code: 'wrong-password' } });
    const limited = await h.call('wallet.verifyPassword', { password: PW });
    expect(limited).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
    expect(limited.error?.message).toMatch(/Wait 1 second/);
    h.clock.advance(1_000);
    expect(await h.call('wallet.verifyPassword', { password: 'wrong 6' })).toMatchObject({ error: { code: 'wrong-password' } });
    // the wait doubles; unlock (after a lock) is under the same limit
    await h.call('wallet.lock');
    expect(await h.call('wallet.unlock', { password: PW })).toMatchObject({ error: { code: 'rate-limited', message: expect.stringMatching(/Wait 2 seconds/) } });
    h.clock.advance(2_000);
    expect(await h.call('wallet.unlock', { password: PW })).toMatchObject({ ok: true });
    for (let i = 0; i < 4; i++) expect(await h.call('wallet.verifyPassword', { password: `wrong ${i}` })).toMatchObject({ error: { code: 'wrong-password' } });
    expect(await h.call('wallet.verifyPassword', { password: PW })).toMatchObject({ ok: true });
  });

  it('counts parallel guesses before they are checked', () => {
    const clock = new ManualClock(0);
    const l = createPasswordLimiter(clock, { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 4000 });
    expect([l.begin(), l.begin(), l.begin(), l.begin()]).toEqual([0, 0, 0, 1000]);
    clock.advance(1000);
    expect(l.begin()).toBe(0);
    expect(l.begin()).toBe(2000);
    clock.advance(10_000);
    l.begin();
    clock.advance(10_000);
    l.begin();
    expect(l.begin()).toBe(4000); // capped
    l.succeeded();
    expect(l.begin()).toBe(0);
  });
});

describe('safety settings', () => {
  it('are changed only with the password, saved to safety.json, announced, and read back', async () => {
    const h = await openHost();
    expect(await h.call('safety.get')).toMatchObject({ ok: true, value: { autoLockSeconds: 900, payPasswordAbove: [], payPasswordAboveOther: null } });
    const next = settings(120, '500', [{ currency: 'FST', amount: '100' }]);
    expect(await h.call('safety.set', { settings: next, password: PW })).toMatchObject({ ok: false, error: { code: 'locked' } });
    await h.call('wallet.create', { password: PW });
    expect(await h.call('safety.set', { settings: next, password: 'not the password' })).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
    expect(await h.call('safety.set', { settings: settings(1, null, [{ currency: 'FST', amount: '1' }, { currency: 'FST', amount: '2' }]), password: PW }))
      .toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await h.call('safety.set', { settings: { ...next, autoLockSeconds: -1 }, password: PW })).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    expect(await h.call('safety.get')).toMatchObject({ value: { autoLockSeconds: 900 } });
    expect(await h.call('safety.set', { settings: next, password: PW })).toMatchObject({ ok: true });
    expect(await h.call('safety.get')).toMatchObject({ value: next });
    expect(h.seen.at(-1)).toEqual({ kind: 'event', name: 'safety.changed', payload: next });
    expect(await loadSafetySettings(h.safetyPath)).toEqual({ autoLockSeconds: 120, payPasswordAbove: [{ currency: 'FST', amount: 100n }], payPasswordAboveOther: 500n });
  });

  it('refuse to start from a damaged file rather than drop a threshold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offset-safety-file-'));
    dirs.push(dir);
    const p = join(dir, 'safety.json');
    expect(await loadSafetySettings(p)).toEqual(DEFAULT_SAFETY_SETTINGS);
    writeFileSync(p, '{"autoLockSeconds": 5}');
    await expect(loadSafetySettings(p)).rejects.toThrow(/damaged/);
    expect(decodeSafetySettings(encodeSafetySettings(DEFAULT_SAFETY_SETTINGS))).toEqual({ ok: true, value: DEFAULT_SAFETY_SETTINGS });
    expect(decodeSafetySettings('{"autoLockSeconds":5,"payPasswordAbove":[],"payPasswordAboveOther":"05"}').ok).toBe(false);
  });
});
