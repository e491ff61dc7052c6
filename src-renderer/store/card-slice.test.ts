import { afterEach, describe, expect, it } from 'vitest';
import { findFriend } from '../../src-core/app/index.ts';
import { ownFriendText } from '../card/friend-input.ts';
import { type AppStore } from './app-store.ts';
import { twoCardStores } from './it/two-card-stores.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A real wallet host with node engines on a temp folder, two cards, two windows' stores. */
const twoCards = () => twoCardStores(cleanups, { tmpPrefix: 'offset-card-slice-', password: 'card slice password' });

function report(s: AppStore) {
  const c = s.getState().cardSession;
  if (c.kind !== 'open') throw new Error(`card session is ${c.kind}`);
  return c.report;
}

describe('card slice', () => {
  it('opens a card with its report and adds a friend from the other card\'s friend file', async () => {
    const { a, b } = await twoCards();
    expect(report(a).friends).toEqual([]);
    const bobFile = ownFriendText(report(b), 'Bob');
    expect(await a.getState().addFriend({ fileText: bobFile, name: '', currency: 'FST', balance: '-5' })).toEqual({ ok: true, value: undefined });
    const bob = findFriend(report(a), report(b).localPublicKey);
    expect(bob).toMatchObject({ name: 'Bob', enabled: false, currencies: [{ currency: 'FST', balance: -5n }] });

    const key = report(b).localPublicKey;
    expect(await a.getState().setMaxDebt(key, 'FST', '100')).toEqual({ ok: true, value: undefined });
    expect(await a.getState().cardRequest({ kind: 'open-friend-currency', friendPublicKey: key, currency: 'FST' })).toMatchObject({ ok: true });
    expect(await a.getState().cardRequest({ kind: 'enable-friend', friendPublicKey: key })).toMatchObject({ ok: true });
    expect(findFriend(report(a), key)).toMatchObject({ enabled: true, currencies: [{ remoteMaxDebt: 100n, localRequestsOpen: true }] });
    expect(await a.getState().cardRequest({ kind: 'disable-friend', friendPublicKey: key })).toMatchObject({ ok: true });
    expect(findFriend(report(a), key)?.enabled).toBe(false);
  });

  it('refuses bad friend input with a sentence and changes nothing', async () => {
    const { a, b } = await twoCards();
    const before = report(a);
    const bobFile = ownFriendText(report(b), 'Bob');
    const refused = async (input: Parameters<ReturnType<AppStore['getState']>['addFriend']>[0], pattern: RegExp) => {
      const r = await a.getState().addFriend(input);
      expect(r).toMatchObject({ ok: false });
      if (!r.ok) expect(r.error).toMatch(pattern);
    };
    await refused({ fileText: '', name: 'x', currency: 'FST', balance: '' }, /Paste or open/);
    await refused({ fileText: 'not a friend file', name: 'x', currency: 'FST', balance: '' }, /not a friend file/);
    await refused({ fileText: bobFile, name: 'Bob', currency: 'FST', balance: '1.5' }, /starting balance/);
    await refused({ fileText: bobFile, name: 'Bob', currency: 'FST', balance: '12abc' }, /starting balance/);
    await refused({ fileText: bobFile, name: 'Bob', currency: 'x'.repeat(17), balance: '' }, /currency/);
    await refused({ fileText: ownFriendText(report(a), 'Alice'), name: 'Me', currency: 'FST', balance: '' }, /this card itself/);
    expect(report(a)).toBe(before);
    expect((await a.getState().addFriend({ fileText: bobFile, name: 'Bob', currency: 'FST', balance: '' })).ok).toBe(true);
    await refused({ fileText: bobFile, name: 'Bob again', currency: 'FST', balance: '' }, /already on this card/);
    const key = report(b).localPublicKey;
    const r = await a.getState().setMaxDebt(key, 'FST', '-3');
    expect(r.ok).toBe(false);
    expect(findFriend(report(a), key)?.currencies[0]?.remoteMaxDebt).toBe(0n);
    const unknown = await a.getState().cardRequest({ kind: 'enable-friend', friendPublicKey: new Uint8Array(32).fill(7) });
    expect(unknown).toMatchObject({ ok: false, error: expect.stringMatching(/The card refused/) });
  });

  it('keeps two windows on one card working: each ignores the acks of the other\'s requests', async () => {
    const { a, b } = await twoCards();
    const bobFile = ownFriendText(report(b), 'Bob');
    const bobKey = report(b).localPublicKey;
    const cardA = a.getState().cardSession;
    if (cardA.kind !== 'open') throw new Error('not open');
    await b.getState().openCard(cardA.cardId); // a second window opens Alice too
    expect((await b.getState().addFriend({ fileText: bobFile, name: 'Bob', currency: 'FST', balance: '' })).ok).toBe(true);
    expect((await a.getState().cardRequest({ kind: 'enable-friend', friendPublicKey: bobKey })).ok).toBe(true);
    expect((await b.getState().setMaxDebt(bobKey, 'FST', '7')).ok).toBe(true);
    for (const s of [a, b]) expect(findFriend(report(s), bobKey)).toMatchObject({ enabled: true, currencies: [{ remoteMaxDebt: 7n }] });
  });

  it('says why a card cannot be opened', async () => {
    const { a } = await twoCards();
    await a.getState().openCard('no-such-card');
    expect(a.getState().cardSession).toMatchObject({ kind: 'failed', cardId: 'no-such-card' });
  });
});
