import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hexOf } from '../../src-core/app/index.ts';
import { inProcessTransport } from '../../src-main/dispatcher.ts';
import { openWalletHost } from '../../src-main/host.node.ts';
import { createBridgeClient } from '../bridge-client.ts';
import { ownFriendText } from '../card/friend-input.ts';
import { type AppStore, createAppStore } from '../store/app-store.ts';
import type { Alert } from './alerts.ts';
import { ALERT_SETTINGS_KEY, type KeyValueStorage, lastSeenKey } from './alerts-slice.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function mapStorage(): KeyValueStorage & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

function report(s: AppStore) {
  const c = s.getState().cardSession;
  if (c.kind !== 'open') throw new Error(`card session is ${c.kind}`);
  return c.report;
}

/** A real host with node engines; Alice's window has an injected clock and storage. */
async function setup() {
  const tmp = mkdtempSync(join(tmpdir(), 'offset-alerts-slice-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const h = await openWalletHost(join(tmp, 'data'), (e) => { throw e; }, { cost: { logN: 4, r: 8, p: 1 } });
  cleanups.push(() => h.close());
  const bridge = () => createBridgeClient(inProcessTransport(h.dispatcher, h.events));
  const clock = { t: 1_000_000 };
  const storage = mapStorage();
  storage.setItem(ALERT_SETTINGS_KEY, JSON.stringify({ nearLimitPercent: 90, offlineAfterSeconds: 30 }));
  const a = createAppStore(bridge(), { alerts: { now: () => clock.t, storage } });
  const b = createAppStore(bridge());
  cleanups.push(() => { a.getState().closeCard(); b.getState().closeCard(); });
  expect((await a.getState().createPassword('alerts slice password')).ok).toBe(true);
  const ca = await a.getState().createCard('Alice');
  const cb = await a.getState().createCard('Bob');
  if (!ca.ok || !cb.ok) throw new Error('cards not created');
  await a.getState().openCard(ca.value.id);
  await b.getState().openCard(cb.value.id);
  const fired: Alert[] = [];
  a.getState().onNewAlert((x) => fired.push(x));
  return { a, b, clock, storage, fired, aliceId: ca.value.id };
}

async function openHostOnly() {
  const tmp = mkdtempSync(join(tmpdir(), 'offset-alerts-host-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const h = await openWalletHost(join(tmp, 'data'), (e) => { throw e; }, { cost: { logN: 4, r: 8, p: 1 } });
  cleanups.push(() => h.close());
  return createBridgeClient(inProcessTransport(h.dispatcher, h.events));
}

describe('alerts slice', () => {
  it('raises a near-limit alert from the real report, fires it once, and keeps it dismissed', async () => {
    const { a, b, fired } = await setup();
    const bobKey = report(b).localPublicKey;
    const key = `near-limit:${hexOf(bobKey)}:friend-owes:FST`;
    // Bob starts owing 95 before any limit is set: no alert against a zero limit
    expect(await a.getState().addFriend({ fileText: ownFriendText(report(b), 'Bob'), name: '', currency: 'FST', balance: '95' })).toMatchObject({ ok: true });
    expect(a.getState().alerts).toEqual([]);
    expect(await a.getState().setMaxDebt(bobKey, 'FST', '100')).toMatchObject({ ok: true });
    expect(a.getState().alerts).toMatchObject([{ key, debt: 95n, limit: 100n, percent: 95 }]);
    expect(await a.getState().setMaxDebt(bobKey, 'FST', '1000')).toMatchObject({ ok: true });
    expect(a.getState().alerts).toEqual([]);
    expect(await a.getState().setMaxDebt(bobKey, 'FST', '100')).toMatchObject({ ok: true });
    expect(a.getState().alerts).toMatchObject([{ key, debt: 95n, limit: 100n, percent: 95 }]);
    a.getState().checkAlerts();
    expect(fired.map((x) => x.key)).toEqual([key, key]); // once per time the condition began
    a.getState().dismissAlert(key);
    expect(a.getState().alerts).toEqual([]);
    a.getState().checkAlerts();
    expect(a.getState().alerts).toEqual([]);
    expect(fired).toHaveLength(2);
    // a higher threshold clears it
    a.getState().setAlertSettings({ nearLimitPercent: 96, offlineAfterSeconds: 30 });
    expect(a.getState().alerts).toEqual([]);
  });

  it('raises an offline alert for an enabled friend after the setting, with the injected clock, and remembers last-seen', async () => {
    const { a, b, clock, storage, fired, aliceId } = await setup();
    const bobKey = report(b).localPublicKey;
    expect(await a.getState().addFriend({ fileText: ownFriendText(report(b), 'Bob'), name: '', currency: 'FST', balance: '0' })).toMatchObject({ ok: true });
    expect(await a.getState().cardRequest({ kind: 'enable-friend', friendPublicKey: bobKey })).toMatchObject({ ok: true });
    expect(report(a).friends[0]?.online).toBe(false); // Bob has not added Alice: never online
    clock.t += 29_999;
    a.getState().checkAlerts();
    expect(a.getState().alerts).toEqual([]);
    clock.t += 1;
    a.getState().checkAlerts();
    expect(a.getState().alerts).toMatchObject([{ kind: 'offline', friendName: 'Bob', lastSeenMs: 1_000_000 }]);
    expect(fired).toHaveLength(1);
    expect(JSON.parse(storage.map.get(lastSeenKey(aliceId)) ?? '{}')).toEqual({ [hexOf(bobKey)]: 1_000_000 });
    // closing the card clears its alerts
    a.getState().closeCard();
    expect(a.getState().alerts).toEqual([]);
  });

  it('keeps the settings in storage for the next window, and reads unreadable storage as the defaults', async () => {
    const { a, storage } = await setup();
    a.getState().setAlertSettings({ nearLimitPercent: 80, offlineAfterSeconds: 5 });
    expect(JSON.parse(storage.map.get(ALERT_SETTINGS_KEY) ?? '')).toEqual({ nearLimitPercent: 80, offlineAfterSeconds: 5 });
    const h = await openHostOnly();
    expect(createAppStore(h, { alerts: { storage } }).getState().alertSettings).toEqual({ nearLimitPercent: 80, offlineAfterSeconds: 5 });
    storage.setItem(ALERT_SETTINGS_KEY, 'not json');
    expect(createAppStore(h, { alerts: { storage } }).getState().alertSettings).toEqual({ nearLimitPercent: 90, offlineAfterSeconds: 600 });
  });
});
