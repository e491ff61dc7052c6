import { describe, expect, it } from 'vitest';
import { feeAboveCap, feeCapOf, parseFeeCap } from './fee-cap.ts';

describe('fee caps', () => {
  it('are found per currency, none by default', () => {
    const caps = [{ currency: 'FST', cap: 3n }, { currency: 'EUR', cap: 0n }];
    expect(feeCapOf(caps, 'FST')).toBe(3n);
    expect(feeCapOf(caps, 'EUR')).toBe(0n);
    expect(feeCapOf(caps, 'USD')).toBeUndefined();
    expect(feeCapOf(undefined, 'FST')).toBeUndefined();
  });

  it('read an amount, or nothing for no cap, and refuse the rest with a sentence', () => {
    expect(parseFeeCap(' 5 ', 'FST')).toEqual({ ok: true, value: 5n });
    expect(parseFeeCap('0', 'FST')).toEqual({ ok: true, value: 0n });
    expect(parseFeeCap('', 'FST')).toEqual({ ok: true, value: null });
    expect(parseFeeCap('-1', 'FST')).toMatchObject({ ok: false, error: expect.stringMatching(/^The fee cap: /) });
    expect(parseFeeCap('1.5', 'FST')).toMatchObject({ ok: false });
  });

  it('let a fee up to the cap through and stop one above it', () => {
    expect(feeAboveCap(2n, 2n, 'FST')).toBeUndefined();
    expect(feeAboveCap(2n, undefined, 'FST')).toBeUndefined();
    expect(feeAboveCap(3n, 2n, 'FST')).toBe("The fee 3 FST is above this card's fee cap of 2 FST: it cannot be paid. Raise the cap (Settings) or try later, when a cheaper route may be found.");
  });
});
