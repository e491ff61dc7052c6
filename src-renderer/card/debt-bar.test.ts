import { describe, expect, it } from 'vitest';
import { debtBar } from './debt-bar.ts';

describe('debtBar', () => {
  it('puts zero and the balance between minus the local and plus the remote max debt', () => {
    expect(debtBar(0n, 100n, 100n, 0n, 0n)).toEqual({ zero: 0.5, balance: 0.5, localPendingTo: 0.5, remotePendingTo: 0.5 });
    expect(debtBar(50n, 100n, 100n, 0n, 0n)).toMatchObject({ zero: 0.5, balance: 0.75 });
    expect(debtBar(-100n, 100n, 300n, 0n, 0n)).toMatchObject({ zero: 0.25, balance: 0 });
  });

  it('shows pending debts beside the balance and widens when they pass the limits', () => {
    expect(debtBar(0n, 100n, 100n, 20n, 40n)).toEqual({ zero: 0.5, balance: 0.5, localPendingTo: 0.4, remotePendingTo: 0.7 });
    expect(debtBar(-10n, 0n, 0n, 0n, 0n)).toMatchObject({ balance: 0, zero: 1 });
  });

  it('keeps huge amounts exact enough and a zero span in the middle', () => {
    const big = 1n << 120n;
    expect(debtBar(big, big, big, 0n, 0n)).toMatchObject({ zero: 0.5, balance: 1 });
    expect(debtBar(0n, 0n, 0n, 0n, 0n).balance).toBe(0.5);
  });
});
