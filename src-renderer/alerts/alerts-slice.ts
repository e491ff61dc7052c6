/** Credit alerts of the open card (issue 11 item 2): re-checked whenever its report changes and
 *  on every `checkAlerts()` (the alert list ticks it each second), with the injected clock.
 *  Settings and when each friend was last seen online are kept in the renderer's storage
 *  (localStorage): they protect no money, and last-seen is what this renderer has watched.
 *  New alerts go to the notifier the UI registers (the OS notification). docs/wallet.md. */
import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from '../store/app-store.ts';
import {
  type Alert, type AlertBook, type AlertSettings, currentAlerts, dismissAlert, EMPTY_ALERT_BOOK, type LastSeen,
  parseAlertSettings, parseLastSeen, trackLastSeen, updateAlertBook,
} from './alerts.ts';

/** The part of the Web Storage API the slice uses (localStorage; a Map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface AlertsDeps {
  readonly now?: () => number;
  readonly storage?: KeyValueStorage;
}

export const ALERT_SETTINGS_KEY = 'offset.alertSettings';
export const lastSeenKey = (cardId: string): string => `offset.lastSeen.${cardId}`;

export interface AlertsSlice {
  readonly alertSettings: AlertSettings;
  /** The open card's alerts that hold and were not dismissed. */
  readonly alerts: readonly Alert[];
  setAlertSettings(settings: AlertSettings): void;
  dismissAlert(key: string): void;
  /** Re-checks now (time-based alerts need a tick). */
  checkAlerts(): void;
  /** Who hears about new alerts (the OS notification); returns the unregister function. */
  onNewAlert(listener: (alert: Alert) => void): () => void;
}

function defaultStorage(): KeyValueStorage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage denied (sandboxed frame, privacy settings)
  }
}

export const createAlertsSlice = (deps: AlertsDeps = {}): StateCreator<AppState, [], [], AlertsSlice> => (set, get, api) => {
  const now = deps.now ?? (() => Date.now());
  const storage = deps.storage ?? defaultStorage();
  const listeners = new Set<(a: Alert) => void>();
  let cardId: string | undefined;
  let lastSeen: LastSeen = {};
  let book: AlertBook = EMPTY_ALERT_BOOK;

  const write = (key: string, value: string): void => {
    try {
      storage?.setItem(key, value);
    } catch {
      // a full or denied storage loses only last-seen times and settings, never money
    }
  };
  const read = (key: string): string | null => {
    try {
      return storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  };

  function check(): void {
    const s = get().cardSession;
    if (s.kind !== 'open') {
      if (cardId !== undefined) {
        cardId = undefined;
        book = EMPTY_ALERT_BOOK;
        if (get().alerts.length > 0) set({ alerts: [] });
      }
      return;
    }
    const t = now();
    if (s.cardId !== cardId) {
      cardId = s.cardId;
      book = EMPTY_ALERT_BOOK;
      lastSeen = parseLastSeen(read(lastSeenKey(cardId)));
    }
    const seen = trackLastSeen(lastSeen, s.report, t);
    if (JSON.stringify(seen) !== JSON.stringify(lastSeen)) write(lastSeenKey(s.cardId), JSON.stringify(seen));
    lastSeen = seen;
    const r = updateAlertBook(book, currentAlerts(s.report, lastSeen, get().alertSettings, t));
    book = r.book;
    const prev = get().alerts;
    if (prev.length !== r.shown.length || prev.some((a, i) => a.key !== r.shown[i]?.key)) set({ alerts: r.shown });
    for (const a of r.fired) for (const l of [...listeners]) l(a);
  }

  api.subscribe((s, prev) => {
    if (s.cardSession !== prev.cardSession) check();
  });

  return {
    alertSettings: parseAlertSettings(read(ALERT_SETTINGS_KEY)),
    alerts: [],
    setAlertSettings(settings) {
      write(ALERT_SETTINGS_KEY, JSON.stringify(settings));
      set({ alertSettings: settings });
      check();
    },
    dismissAlert(key) {
      book = dismissAlert(book, key);
      set({ alerts: get().alerts.filter((a) => a.key !== key) });
    },
    checkAlerts: check,
    onNewAlert(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};
