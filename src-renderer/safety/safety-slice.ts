/** Safety habits, renderer side (issue 11 item 7): the host's safety settings, checking the
 *  wallet password before a large payment, and telling the host about user input so its idle
 *  auto-lock (src-main/safety.ts) knows when the user is away. docs/wallet.md "Safety habits". */
import type { StateCreator } from 'zustand/vanilla';
import type { Bridge, BridgeError, Result, SafetySettings } from '../../src-main/bridge.ts';
import type { AppState } from '../store/app-store.ts';

export interface SafetySlice {
  /** undefined until the host answered. */
  readonly safety: SafetySettings | undefined;
  loadSafety(): Promise<Result<void, BridgeError>>;
  /** Needs the wallet password; the host refuses a wrong one (rate-limited). */
  saveSafety(settings: SafetySettings, password: string): Promise<Result<void, BridgeError>>;
  /** Checks the wallet password, changing nothing. */
  verifyPassword(password: string): Promise<Result<void, BridgeError>>;
  /** The user did something: tells the host, at most once per quarter of the idle time. */
  reportActivity(): void;
}

/** How often input is reported: a quarter of the idle time, between 250 ms and 30 s. */
export function activityInterval(settings: SafetySettings | undefined): number {
  if (settings === undefined || settings.autoLockSeconds === 0) return 30_000;
  return Math.min(30_000, Math.max(250, (settings.autoLockSeconds * 1000) / 4));
}

export const createSafetySlice = (bridge: Bridge, now: () => number = () => Date.now()): StateCreator<AppState, [], [], SafetySlice> => (set, get) => {
  bridge.onEvent('safety.changed', (safety) => set({ safety }));
  let lastReport = Number.NEGATIVE_INFINITY;
  return {
    safety: undefined,
    async loadSafety() {
      const r = await bridge.call('safety.get', {});
      if (!r.ok) return r;
      set({ safety: r.value });
      return { ok: true, value: undefined };
    },
    async saveSafety(settings, password) {
      const r = await bridge.call('safety.set', { settings, password });
      if (r.ok) set({ safety: settings });
      return r;
    },
    verifyPassword: (password) => bridge.call('wallet.verifyPassword', { password }),
    reportActivity() {
      const w = get().wallet;
      if (w === undefined || w.locked) return;
      const t = now();
      if (t - lastReport < activityInterval(get().safety)) return;
      lastReport = t;
      void bridge.call('wallet.activity', {});
    },
  };
};
