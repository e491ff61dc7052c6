import { describe, expect, it } from 'vitest';
import type { FriendCurrencyReport, FriendReport, NodeReport } from '../../src-core/app/index.ts';
import { cardExposure, describeRate } from './exposure.ts';

const key = (b: number): Uint8Array => new Uint8Array(32).fill(b);

function cur(currency: string, o: Partial<FriendCurrencyReport> = {}): FriendCurrencyReport {
  return {
    currency, balance: 0n, localMaxDebt: 0n, remoteMaxDebt: 0n, localPendingDebt: 0n, remotePendingDebt: 0n,
    rate: { mul: 0, add: 0 }, localRequestsOpen: true, remoteRequestsOpen: true, ...o,
  };
}

function friend(b: number, name: string, currencies: FriendCurrencyReport[], o: Partial<FriendReport> = {}): FriendReport {
  return { publicKey: key(b), name, relays: [], enabled: true, online: true, channel: { kind: 'consistent' }, currencies, ...o };
}

function report(friends: FriendReport[]): NodeReport {
  return { localPublicKey: key(9), relays: [], indexServers: [], connectedIndexServer: undefined, friends, openInvoices: [], openPayments: [] };
}

describe('cardExposure', () => {
  it('counts what friends owe us plus what we froze towards them as the exposure', () => {
    const r = report([
      friend(1, 'Bob', [cur('FST', { balance: 30n, localMaxDebt: 100n, remoteMaxDebt: 50n, localPendingDebt: 7n, remotePendingDebt: 4n })]),
      friend(2, 'Carol', [cur('FST', { balance: -20n, localMaxDebt: 40n, remoteMaxDebt: 10n, localPendingDebt: 5n })]),
    ]);
    const [fst] = cardExposure(r);
    expect(fst).toMatchObject({
      currency: 'FST',
      owedToUs: 30n, owedByUs: 20n, frozenOut: 12n, frozenIn: 4n,
      totalExposure: 42n, // 30 owed by Bob + 7 frozen towards Bob + 5 frozen towards Carol
      capacityToPay: 123n + 15n, // Bob: 100 + 30 − 7; Carol: 40 − 20 − 5
      capacityToReceive: 16n + 30n, // Bob: 50 − 30 − 4; Carol: 10 + 20
    });
    expect(fst?.friends.map((f) => [f.name, f.atRisk, f.canPay, f.canReceive])).toEqual([['Bob', 37n, 123n, 16n], ['Carol', 5n, 15n, 30n]]);
  });

  it('never counts negative room: a friend over its limit gives zero capacity, not less', () => {
    const [x] = cardExposure(report([friend(1, 'Bob', [cur('FST', { balance: 60n, remoteMaxDebt: 50n, remotePendingDebt: 3n, localMaxDebt: 0n, localPendingDebt: 70n })])]));
    expect(x).toMatchObject({ capacityToPay: 0n, capacityToReceive: 0n, totalExposure: 130n });
  });

  it('groups by currency in the node\'s byte order and keeps friend state per row', () => {
    const r = report([
      friend(1, 'Bob', [cur('USD', { balance: 1n }), cur('EUR', { balance: -2n })], { online: false }),
      friend(2, 'Carol', [cur('EUR', { balance: 3n })], { channel: { kind: 'inconsistent', localResetTerms: [], remoteResetTerms: undefined } }),
    ]);
    const e = cardExposure(r);
    expect(e.map((c) => [c.currency, c.friends.map((f) => f.name)])).toEqual([['EUR', ['Bob', 'Carol']], ['USD', ['Bob']]]);
    expect(e[0]?.friends.map((f) => [f.online, f.inconsistent])).toEqual([[false, false], [true, true]]);
  });

  it('keeps exact values beyond 2^53', () => {
    const big = 2n ** 100n + 1n;
    const [x] = cardExposure(report([friend(1, 'Bob', [cur('FST', { balance: big, remoteMaxDebt: big * 2n })])]));
    expect(x?.totalExposure).toBe(big);
    expect(x?.capacityToReceive).toBe(big - 1n + 1n);
  });

  it('is empty for a card without friends', () => {
    expect(cardExposure(report([]))).toEqual([]);
  });
});

describe('describeRate', () => {
  it('says the proportional part in percent and the fixed part in credits', () => {
    expect(describeRate({ mul: 0, add: 0 })).toBe('free');
    expect(describeRate({ mul: 0, add: 3 })).toBe('3');
    expect(describeRate({ mul: 2 ** 31, add: 0 })).toBe('50 %');
    expect(describeRate({ mul: 42949673, add: 1 })).toBe('1 % + 1'); // 2^32 / 100 rounded up
    expect(describeRate({ mul: 1, add: 0 })).toBe('0 %');
  });
});
