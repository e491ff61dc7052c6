import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { inProcessTransport } from '../../src-main/dispatcher.ts';
import { type HostOptions, openWalletHost } from '../../src-main/host.node.ts';
import { createBridgeClient } from '../bridge-client.ts';
import { type AppState, createAppStore } from '../store/app-store.ts';
import { createWalletSlice } from '../store/wallet-slice.ts';
import { activityInterval, createSafetySlice } from './safety-slice.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const PW = 'safety slice password';

/** The host's clock, moved by the test (the renderer may not import src-core/net's ManualClock). */
function manualClock(start: number) {
  let time = start;
  let timers: Array<{ at: number; fn: () => void }> = [];
  const clock: NonNullable<HostOptions['clock']> & { advance(ms: number): void } = {
    now: () => time,
    after(ms, fn) {
      const t = { at: time + ms, fn };
      timers.push(t);
      return { cancel: () => { timers = timers.filter((x) => x !== t); } };
    },
    advance(ms) {
      const end = time + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (due === undefined) break;
        timers = timers.filter((t) => t !== due);
        time = due.at;
        due.fn();
      }
      time = end;
    },
  };
  return clock;
}

/** A real host (temp folder) on a manual clock; windows are stores over in-process bridges. */
async function host() {
  const tmp = mkdtempSync(join(tmpdir(), 'offset-safety-slice-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const clock = manualClock(5_000_000);
  const h = await openWalletHost(join(tmp, 'data'), (e) => { throw e; }, { cost: { logN: 4, r: 8, p: 1 }, clock });
  cleanups.push(() => h.close());
  const bridge = () => createBridgeClient(inProcessTransport(h.dispatcher, h.events));
  const settle = async (): Promise<void> => { for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); };
  return { clock, bridge, settle };
}

describe('safety slice', () => {
  it('loads the host\'s settings, saves them only with the password, and other windows hear of it', async () => {
    const { bridge } = await host();
    const a = createAppStore(bridge());
    const b = createAppStore(bridge());
    expect((await a.getState().createPassword(PW)).ok).toBe(true);
    expect(await a.getState().loadSafety()).toEqual({ ok: true, value: undefined });
    expect(a.getState().safety).toEqual({ autoLockSeconds: 900, payPasswordAbove: [], payPasswordAboveOther: null });
    const next = { autoLockSeconds: 60, payPasswordAbove: [{ currency: 'FST', amount: 10n }], payPasswordAboveOther: null };
    expect(await a.getState().saveSafety(next, 'wrong password')).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
    expect(a.getState().safety?.autoLockSeconds).toBe(900);
    expect(await a.getState().saveSafety(next, PW)).toMatchObject({ ok: true });
    expect(a.getState().safety).toEqual(next);
    expect(b.getState().safety).toEqual(next); // the safety.changed event
    expect(await a.getState().verifyPassword(PW)).toMatchObject({ ok: true });
    expect(await a.getState().verifyPassword('wrong password')).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
  });

  it('reports input to the host at most once per quarter of the idle time, which keeps the wallet unlocked', async () => {
    const { bridge, clock, settle } = await host();
    const br = bridge();
    const view = { t: 0 };
    // the wallet and safety slices alone, with this window's own clock
    const s = createStore<AppState>()((...a) => ({ ...createWalletSlice(br)(...a), ...createSafetySlice(br, () => view.t)(...a) }) as AppState);
    expect((await s.getState().createPassword(PW)).ok).toBe(true);
    expect((await s.getState().saveSafety({ autoLockSeconds: 60, payPasswordAbove: [], payPasswordAboveOther: null }, PW)).ok).toBe(true);
    expect(activityInterval(s.getState().safety)).toBe(15_000);
    clock.advance(50_000);
    s.getState().reportActivity(); // sent: the host's idle time starts again
    await settle();
    clock.advance(50_000);
    view.t += 10_000;
    s.getState().reportActivity(); // within 15 s of the last report: not sent
    await settle();
    expect(s.getState().wallet?.locked).toBe(false);
    clock.advance(10_000); // 60 s after the report that was sent
    await settle();
    await s.getState().loadWallet();
    expect(s.getState().wallet?.locked).toBe(true);
    s.getState().reportActivity(); // locked: nothing to keep open
  });

  it('chooses the report interval from the idle time', () => {
    expect(activityInterval(undefined)).toBe(30_000);
    expect(activityInterval({ autoLockSeconds: 0, payPasswordAbove: [], payPasswordAboveOther: null })).toBe(30_000);
    expect(activityInterval({ autoLockSeconds: 1, payPasswordAbove: [], payPasswordAboveOther: null })).toBe(250);
    expect(activityInterval({ autoLockSeconds: 3600, payPasswordAbove: [], payPasswordAboveOther: null })).toBe(30_000);
  });
});
