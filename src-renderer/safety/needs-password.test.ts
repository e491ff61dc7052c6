import { describe, expect, it } from 'vitest';
import { needsPassword, passwordThreshold } from './needs-password.ts';

const settings = { autoLockSeconds: 0, payPasswordAbove: [{ currency: 'FST', amount: 100n }, { currency: 'EUR', amount: 0n }], payPasswordAboveOther: 1000n };

describe('needsPassword', () => {
  it('asks above the currency\'s own threshold, not at it', () => {
    expect(needsPassword(100n, 'FST', settings)).toBe(false);
    expect(needsPassword(101n, 'FST', settings)).toBe(true);
    expect(needsPassword(1n, 'EUR', settings)).toBe(true); // 0: every payment
    expect(needsPassword(0n, 'EUR', settings)).toBe(false);
  });

  it('uses the threshold for other currencies, and never asks when that is null', () => {
    expect(passwordThreshold('USD', settings)).toBe(1000n);
    expect(needsPassword(1000n, 'USD', settings)).toBe(false);
    expect(needsPassword(1001n, 'USD', settings)).toBe(true);
    expect(needsPassword(10n ** 30n, 'USD', { ...settings, payPasswordAboveOther: null })).toBe(false);
  });

  it('asks when the settings are not known', () => {
    expect(needsPassword(1n, 'FST', undefined)).toBe(true);
  });
});
