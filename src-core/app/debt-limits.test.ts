import { describe, expect, it } from 'vitest';
import { closestToLimit, debtSides, measurable, percentOfLimit } from './debt-limits.ts';
import type { FriendCurrencyReport, FriendReport, NodeReport } from './node-report.ts';
import { emptyReport } from './report.ts';

const fst = (over: Partial<FriendCurrencyReport>): FriendCurrencyReport => ({
  currency: 'FST', balance: 0n, localMaxDebt: 0n, remoteMaxDebt: 0n, localPendingDebt: 0n, remotePendingDebt: 0n,
  rate: { mul: 0, add: 0 }, localRequestsOpen: false, remoteRequestsOpen: false, ...over,
});
const withCurrencies = (...lists: FriendCurrencyReport[][]): NodeReport => ({
  ...emptyReport(new Uint8Array(32)),
  friends: lists.map((currencies, i): FriendReport => ({
    publicKey: new Uint8Array(32).fill(i + 1), name: `f${i}`, relays: [], enabled: true, online: true, channel: { kind: 'consistent' }, currencies,
  })),
});

describe('percentOfLimit', () => {
  it('rounds down, treats a debt against a zero limit as full, and nothing owed as 0', () => {
    expect(percentOfLimit(89n, 99n)).toBe(89);
    expect(percentOfLimit(90n, 100n)).toBe(90);
    expect(percentOfLimit(5n, 0n)).toBe(100);
    expect(percentOfLimit(0n, 0n)).toBe(0);
    expect(percentOfLimit(-5n, 10n)).toBe(0);
    expect(percentOfLimit(10n ** 30n, 1n)).toBe(1000);
  });
});

describe('debtSides', () => {
  it('counts frozen credits with the debt on each side', () => {
    expect(debtSides(fst({ balance: -30n, localPendingDebt: 5n, localMaxDebt: 50n, remotePendingDebt: 7n, remoteMaxDebt: 10n }))).toEqual([
      { side: 'we-owe', debt: 35n, limit: 50n },
      { side: 'friend-owes', debt: -23n, limit: 10n },
    ]);
  });
});

describe('closestToLimit', () => {
  it('is the highest percent any debt of the card reaches, zero limits and credits aside', () => {
    expect(closestToLimit(withCurrencies())).toBe(0);
    const r = withCurrencies(
      [fst({ balance: -45n, localMaxDebt: 50n })], // we owe 90 %
      [fst({ balance: 20n, remotePendingDebt: 5n, remoteMaxDebt: 100n }), fst({ currency: 'EUR', balance: 99n })], // 25 %; no limit
    );
    expect(closestToLimit(r)).toBe(90);
    expect(measurable({ side: 'we-owe', debt: 5n, limit: 0n })).toBe(false);
  });
});
