/** Which credit alerts hold for a card now (issue 11 item 2). Pure: the report, when each friend
 *  was last seen online, the settings and the time in, alerts out. docs/wallet.md "Alerts".
 *
 *  - near-limit: a debt, counting the credits frozen in pending requests, reaches the setting's
 *    percentage of its limit: what we owe (−balance + LPD) against LMD, or what the friend owes
 *    (balance + RPD) against RMD. A zero limit never alerts: LMD reads 0 until the friend has
 *    told us its limit, and a new friend's starting balance comes before any limit is set.
 *  - offline: an enabled friend not online for at least the setting (a disabled friend is offline
 *    by our own choice and does not alert).
 *  - inconsistent: the channel with the friend is inconsistent (it needs a reset).
 *  An alert's key stays the same while its condition holds, so the UI fires each one once and a
 *  dismissed one stays dismissed until its condition clears. */
import { debtSides, hexOf, measurable, type NodeReport, percentOfLimit } from '../../src-core/app/index.ts';

export interface AlertSettings {
  /** 1..100: a debt at or above this share of its limit alerts. */
  readonly nearLimitPercent: number;
  /** An enabled friend offline at least this long alerts (seconds, ≥ 1). */
  readonly offlineAfterSeconds: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { nearLimitPercent: 90, offlineAfterSeconds: 600 };
export const MAX_OFFLINE_AFTER_SECONDS = 30 * 24 * 3600;

export type Alert =
  | {
    readonly kind: 'near-limit';
    readonly key: string;
    readonly friendKey: string;
    readonly friendName: string;
    readonly currency: string;
    /** `we-owe`: our debt against the friend's limit for us (LMD); `friend-owes`: against ours (RMD). */
    readonly side: 'we-owe' | 'friend-owes';
    readonly debt: bigint;
    readonly limit: bigint;
    readonly percent: number;
  }
  | { readonly kind: 'offline'; readonly key: string; readonly friendKey: string; readonly friendName: string; readonly lastSeenMs: number }
  | { readonly kind: 'inconsistent'; readonly key: string; readonly friendKey: string; readonly friendName: string };

/** Per friend (hex key), the time (ms) it was last seen online — or first seen at all, for a
 *  friend never seen online while watched. */
export type LastSeen = Readonly<Record<string, number>>;

/** The next last-seen map: online friends are seen now, new friends are first seen now, friends
 *  no longer in the report are dropped. */
export function trackLastSeen(prev: LastSeen, report: NodeReport, nowMs: number): LastSeen {
  const next: Record<string, number> = {};
  for (const f of report.friends) {
    const k = hexOf(f.publicKey);
    const before = Object.prototype.hasOwnProperty.call(prev, k) ? prev[k] : undefined;
    next[k] = f.online || before === undefined ? nowMs : before;
  }
  return next;
}

export function currentAlerts(report: NodeReport, lastSeen: LastSeen, settings: AlertSettings, nowMs: number): readonly Alert[] {
  const out: Alert[] = [];
  for (const f of report.friends) {
    const friendKey = hexOf(f.publicKey);
    const friendName = f.name;
    if (f.channel.kind === 'inconsistent') out.push({ kind: 'inconsistent', key: `inconsistent:${friendKey}`, friendKey, friendName });
    const seen = Object.prototype.hasOwnProperty.call(lastSeen, friendKey) ? lastSeen[friendKey] : undefined;
    if (f.enabled && !f.online && seen !== undefined && nowMs - seen >= settings.offlineAfterSeconds * 1000) {
      out.push({ kind: 'offline', key: `offline:${friendKey}`, friendKey, friendName, lastSeenMs: seen });
    }
    for (const c of f.currencies) {
      for (const s of debtSides(c)) {
        const percent = percentOfLimit(s.debt, s.limit);
        if (measurable(s) && percent >= settings.nearLimitPercent) {
          out.push({ kind: 'near-limit', key: `near-limit:${friendKey}:${s.side}:${c.currency}`, friendKey, friendName, currency: c.currency, ...s, percent });
        }
      }
    }
  }
  return out;
}

export interface AlertBook {
  /** Keys of the alerts that held at the last check (each fired once when it appeared). */
  readonly activeKeys: readonly string[];
  /** Dismissed keys whose condition still holds. */
  readonly dismissed: readonly string[];
}

export const EMPTY_ALERT_BOOK: AlertBook = { activeKeys: [], dismissed: [] };

/** Folds the alerts that hold now into the book: which are new (to notify once), which to show
 *  (not dismissed), and the next book (a dismissal is forgotten once its condition cleared). */
export function updateAlertBook(book: AlertBook, now: readonly Alert[]): { readonly book: AlertBook; readonly fired: readonly Alert[]; readonly shown: readonly Alert[] } {
  const before = new Set(book.activeKeys);
  const keys = new Set(now.map((a) => a.key));
  const dismissed = book.dismissed.filter((k) => keys.has(k));
  const gone = new Set(dismissed);
  return {
    book: { activeKeys: [...keys], dismissed },
    fired: now.filter((a) => !before.has(a.key) && !gone.has(a.key)),
    shown: now.filter((a) => !gone.has(a.key)),
  };
}

export function dismissAlert(book: AlertBook, key: string): AlertBook {
  return book.dismissed.includes(key) ? book : { ...book, dismissed: [...book.dismissed, key] };
}

/** A title and one sentence, for the in-app list and the OS notification. Amounts as whole
 *  credits (the card page's CARD_DECIMALS is 0). */
export function describeAlert(a: Alert, nowMs: number): { readonly title: string; readonly body: string } {
  switch (a.kind) {
    case 'near-limit':
      return a.side === 'we-owe'
        ? { title: `${a.friendName}: near your limit in ${a.currency}`, body: `You owe ${a.friendName} ${a.debt} of the ${a.limit} ${a.currency} it lets you owe (${a.percent} %).` }
        : { title: `${a.friendName}: near its limit in ${a.currency}`, body: `${a.friendName} owes you ${a.debt} of the ${a.limit} ${a.currency} you let it owe (${a.percent} %).` };
    case 'offline':
      return { title: `${a.friendName} is offline`, body: `${a.friendName} has not been online for ${describeDuration(nowMs - a.lastSeenMs)}.` };
    case 'inconsistent':
      return { title: `${a.friendName}: channel inconsistent`, body: `Your channel with ${a.friendName} is inconsistent: no payments pass through it until it is reset.` };
  }
}

export function describeDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} days`;
}

/** Settings from untrusted storage text; anything unreadable falls back to the defaults. */
export function parseAlertSettings(text: string | null): AlertSettings {
  if (text === null) return DEFAULT_ALERT_SETTINGS;
  try {
    const j = JSON.parse(text) as unknown;
    if (typeof j !== 'object' || j === null) return DEFAULT_ALERT_SETTINGS;
    const o = j as Record<string, unknown>;
    const p = checkNearLimitPercent(o['nearLimitPercent']);
    const s = checkOfflineAfterSeconds(o['offlineAfterSeconds']);
    return { nearLimitPercent: p ?? DEFAULT_ALERT_SETTINGS.nearLimitPercent, offlineAfterSeconds: s ?? DEFAULT_ALERT_SETTINGS.offlineAfterSeconds };
  } catch {
    return DEFAULT_ALERT_SETTINGS;
  }
}

export function checkNearLimitPercent(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 100 ? v : undefined;
}

export function checkOfflineAfterSeconds(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_OFFLINE_AFTER_SECONDS ? v : undefined;
}

/** A last-seen map from untrusted storage text (bad entries dropped). */
export function parseLastSeen(text: string | null): LastSeen {
  if (text === null) return {};
  try {
    const j = JSON.parse(text) as unknown;
    if (typeof j !== 'object' || j === null || Array.isArray(j)) return {};
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(j)) if (/^[0-9a-f]{64}$/.test(k) && typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) out[k] = v;
    return out;
  } catch {
    return {};
  }
}
