import { describe, expect, it } from 'vitest';
import type { FriendReport, NodeReport } from '../src-core/app/index.ts';
import { cardBalances, cardSummary, sameBalances, sameSummary } from './card-balances.ts';

const friend = (currencies: Array<[string, bigint]>): FriendReport => ({
  publicKey: new Uint8Array(32),
  name: 'f',
  relays: [],
  enabled: true,
  online: false,
  channel: { kind: 'consistent' },
  currencies: currencies.map(([currency, balance]) => ({
    currency, balance, localMaxDebt: 0n, remoteMaxDebt: 0n, localPendingDebt: 0n, remotePendingDebt: 0n,
    rate: { mul: 0, add: 0 }, localRequestsOpen: false, remoteRequestsOpen: false,
  })),
});
const report = (friends: FriendReport[]): NodeReport => ({
  localPublicKey: new Uint8Array(32), relays: [], indexServers: [], connectedIndexServer: undefined, friends, openInvoices: [], openPayments: [],
});

describe('cardBalances', () => {
  it('sums each currency over the friends, exactly, sorted by currency', () => {
    const big = 2n ** 127n - 1n;
    const r = report([friend([['USD', 5n], ['FST', big]]), friend([['FST', -big], ['EUR', -3n]]), friend([['USD', 10n]])]);
    expect(cardBalances(r)).toEqual([{ currency: 'EUR', balance: -3n }, { currency: 'FST', balance: 0n }, { currency: 'USD', balance: 15n }]);
  });

  it('is empty without friends, and compares by currency and amount', () => {
    expect(cardBalances(report([]))).toEqual([]);
    expect(sameBalances([{ currency: 'A', balance: 1n }], [{ currency: 'A', balance: 1n }])).toBe(true);
    expect(sameBalances([{ currency: 'A', balance: 1n }], [{ currency: 'A', balance: 2n }])).toBe(false);
    expect(sameBalances([{ currency: 'A', balance: 1n }], [])).toBe(false);
  });
});

describe('cardSummary', () => {
  it('counts the friends whose channel is inconsistent, next to the balances', () => {
    const broken: FriendReport = { ...friend([['FST', 4n]]), channel: { kind: 'inconsistent', localResetTerms: [], remoteResetTerms: undefined } };
    const s = cardSummary(report([friend([['FST', 1n]]), broken, broken]));
    expect(s).toEqual({ balances: [{ currency: 'FST', balance: 9n }], needsReset: 2, closestToLimit: 0 });
    expect(sameSummary(s, { ...s, needsReset: 2 })).toBe(true);
    expect(sameSummary(s, { ...s, needsReset: 1 })).toBe(false);
    expect(cardSummary(report([friend([])])).needsReset).toBe(0);
  });

  it('says how close the nearest debt is to its limit, so the list can warn for any card', () => {
    const owing: FriendReport = { ...friend([]), currencies: [{ ...friend([['FST', -46n]]).currencies[0]!, localMaxDebt: 50n }] };
    const s = cardSummary(report([friend([['FST', 1n]]), owing]));
    expect(s.closestToLimit).toBe(92);
    expect(sameSummary(s, { ...s, closestToLimit: 91 })).toBe(false);
  });
});
