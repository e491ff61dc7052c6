import { describe, expect, it } from 'vitest';
import { U128_MAX } from '../codec/index.ts';
import { capacityEntry, recvCapacity, sendCapacity } from './capacity.ts';

describe('reported capacities', () => {
  it('receive capacity is what we still let the friend owe, saturating', () => {
    expect(recvCapacity({ isOpen: true, remoteMaxDebt: 100n, balance: 0n, remotePendingDebt: 0n })).toBe(100n);
    // the friend owes us 30 and has 20 frozen in requests to us
    expect(recvCapacity({ isOpen: true, remoteMaxDebt: 100n, balance: 30n, remotePendingDebt: 20n })).toBe(50n);
    // we owe the friend 40: it can push 40 back plus what we let it owe
    expect(recvCapacity({ isOpen: true, remoteMaxDebt: 100n, balance: -40n, remotePendingDebt: 0n })).toBe(140n);
    expect(recvCapacity({ isOpen: true, remoteMaxDebt: 10n, balance: 30n, remotePendingDebt: 0n })).toBe(0n);
    expect(recvCapacity({ isOpen: false, remoteMaxDebt: 100n, balance: 0n, remotePendingDebt: 0n })).toBe(0n);
    expect(recvCapacity({ isOpen: true, remoteMaxDebt: U128_MAX, balance: -(1n << 127n), remotePendingDebt: 0n })).toBe(U128_MAX);
  });

  it('send capacity mirrors the friend’s view of us, or is left to the friend when unknown', () => {
    expect(sendCapacity({ localMaxDebt: 50n, balance: 0n, localPendingDebt: 10n })).toBe(40n);
    expect(sendCapacity({ localMaxDebt: 50n, balance: 25n, localPendingDebt: 0n })).toBe(75n);
    expect(sendCapacity({ localMaxDebt: 50n, balance: -60n, localPendingDebt: 0n })).toBe(0n);
    expect(sendCapacity({ balance: 0n, localPendingDebt: 0n })).toBe(U128_MAX);
    expect(sendCapacity({ localMaxDebt: 50n, remoteOpen: false, balance: 0n, localPendingDebt: 0n })).toBe(0n);
  });

  it('reports nothing for a currency we did not open', () => {
    const base = { rate: { mul: 1, add: 2 }, remoteMaxDebt: 9n, balance: 0n, localPendingDebt: 0n, remotePendingDebt: 0n };
    expect(capacityEntry({ ...base, isOpen: false })).toBeUndefined();
    expect(capacityEntry({ ...base, isOpen: true })).toEqual({ sendCapacity: U128_MAX, recvCapacity: 9n, rate: { mul: 1, add: 2 } });
  });
});
