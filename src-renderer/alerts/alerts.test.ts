import { describe, expect, it } from 'vitest';
import { hexOf, type FriendCurrencyReport, type FriendReport, type NodeReport } from '../../src-core/app/index.ts';
import {
  currentAlerts, DEFAULT_ALERT_SETTINGS, describeAlert, dismissAlert, EMPTY_ALERT_BOOK, parseAlertSettings, parseLastSeen,
  trackLastSeen, updateAlertBook,
} from './alerts.ts';

const key = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const hex = (b: number): string => hexOf(key(b));

function cur(o: Partial<FriendCurrencyReport> = {}): FriendCurrencyReport {
  return {
    currency: 'FST', balance: 0n, localMaxDebt: 100n, remoteMaxDebt: 100n, localPendingDebt: 0n, remotePendingDebt: 0n,
    rate: { mul: 0, add: 0 }, localRequestsOpen: true, remoteRequestsOpen: true, ...o,
  };
}
function friend(b: number, o: Partial<FriendReport> = {}, c: FriendCurrencyReport[] = [cur()]): FriendReport {
  return { publicKey: key(b), name: `F${b}`, relays: [], enabled: true, online: true, channel: { kind: 'consistent' }, currencies: c, ...o };
}
const report = (friends: FriendReport[]): NodeReport => ({
  localPublicKey: key(9), relays: [], indexServers: [], connectedIndexServer: undefined, friends, openInvoices: [], openPayments: [],
});
const settings = { nearLimitPercent: 90, offlineAfterSeconds: 60 };

describe('near-limit alerts', () => {
  it('fire at the threshold on either side, counting pending credits, and not below it', () => {
    const r = report([
      friend(1, {}, [cur({ balance: -85n, localPendingDebt: 5n })]), // we owe 90 of 100
      friend(2, {}, [cur({ balance: 89n })]), // friend owes 89 of 100: below
      friend(3, {}, [cur({ balance: 80n, remotePendingDebt: 15n, remoteMaxDebt: 100n })]), // 95 of 100
    ]);
    const alerts = currentAlerts(r, {}, settings, 0);
    expect(alerts.map((a) => a.key)).toEqual([`near-limit:${hex(1)}:we-owe:FST`, `near-limit:${hex(3)}:friend-owes:FST`]);
    expect(alerts[0]).toMatchObject({ side: 'we-owe', debt: 90n, limit: 100n, percent: 90 });
    expect(currentAlerts(r, {}, { ...settings, nearLimitPercent: 89 }, 0)).toHaveLength(3);
  });

  it('never fire against a zero limit (not told yet, or not set yet), nor without a debt', () => {
    const r = report([friend(1, {}, [cur({ balance: 1n, remoteMaxDebt: 0n })]), friend(2, {}, [cur({ balance: -50n, localMaxDebt: 0n })]), friend(3, {}, [cur({ localMaxDebt: 0n, remoteMaxDebt: 0n })])]);
    expect(currentAlerts(r, {}, settings, 0)).toEqual([]);
    expect(currentAlerts(r, {}, { ...settings, nearLimitPercent: 1 }, 0)).toEqual([]);
  });
});

describe('offline alerts', () => {
  it('fire once an enabled friend has not been seen online for the setting', () => {
    let seen = trackLastSeen({}, report([friend(1)]), 1_000);
    const offline = report([friend(1, { online: false }), friend(2, { online: false, enabled: false })]);
    seen = trackLastSeen(seen, offline, 5_000);
    expect(seen).toEqual({ [hex(1)]: 1_000, [hex(2)]: 5_000 });
    expect(currentAlerts(offline, seen, settings, 60_999)).toEqual([]);
    const at = currentAlerts(offline, seen, settings, 61_000);
    expect(at).toEqual([{ kind: 'offline', key: `offline:${hex(1)}`, friendKey: hex(1), friendName: 'F1', lastSeenMs: 1_000 }]);
    // the disabled friend never alerts, however long
    expect(currentAlerts(offline, seen, settings, 10_000_000).map((a) => a.friendKey)).toEqual([hex(1)]);
    expect(describeAlert(at[0]!, 61_000).body).toBe('F1 has not been online for 1 min.');
  });

  it('count a friend never seen online from when it was first watched, and forget removed friends', () => {
    const seen = trackLastSeen({ [hex(7)]: 3 }, report([friend(1, { online: false })]), 2_000);
    expect(seen).toEqual({ [hex(1)]: 2_000 });
    expect(trackLastSeen(seen, report([friend(1, { online: false })]), 9_000)).toEqual({ [hex(1)]: 2_000 });
  });
});

describe('inconsistent alerts', () => {
  it('fire while the channel is inconsistent', () => {
    const r = report([friend(1, { channel: { kind: 'inconsistent', localResetTerms: [], remoteResetTerms: undefined } })]);
    expect(currentAlerts(r, {}, settings, 0)).toEqual([{ kind: 'inconsistent', key: `inconsistent:${hex(1)}`, friendKey: hex(1), friendName: 'F1' }]);
  });
});

describe('the alert book', () => {
  const r = report([friend(1, { channel: { kind: 'inconsistent', localResetTerms: [], remoteResetTerms: undefined } })]);
  const a = currentAlerts(r, {}, settings, 0);

  it('fires an alert once, keeps a dismissed one hidden while it holds, and fires again after it cleared', () => {
    const first = updateAlertBook(EMPTY_ALERT_BOOK, a);
    expect(first.fired).toEqual(a);
    expect(first.shown).toEqual(a);
    const again = updateAlertBook(first.book, a);
    expect(again.fired).toEqual([]);
    const dismissed = updateAlertBook(dismissAlert(again.book, a[0]!.key), a);
    expect(dismissed.shown).toEqual([]);
    expect(dismissed.fired).toEqual([]);
    const cleared = updateAlertBook(dismissed.book, []);
    expect(cleared.book).toEqual(EMPTY_ALERT_BOOK);
    expect(updateAlertBook(cleared.book, a).fired).toEqual(a);
  });
});

describe('stored settings', () => {
  it('read back what was written, and fall back to the defaults on anything else', () => {
    expect(parseAlertSettings(JSON.stringify({ nearLimitPercent: 75, offlineAfterSeconds: 2 }))).toEqual({ nearLimitPercent: 75, offlineAfterSeconds: 2 });
    expect(parseAlertSettings(null)).toEqual(DEFAULT_ALERT_SETTINGS);
    expect(parseAlertSettings('{')).toEqual(DEFAULT_ALERT_SETTINGS);
    expect(parseAlertSettings(JSON.stringify({ nearLimitPercent: 0, offlineAfterSeconds: 1.5 }))).toEqual(DEFAULT_ALERT_SETTINGS);
    expect(parseLastSeen(JSON.stringify({ [hex(1)]: 5, bad: 1, [hex(2)]: -1 }))).toEqual({ [hex(1)]: 5 });
    expect(parseLastSeen('[1]')).toEqual({});
  });
});
