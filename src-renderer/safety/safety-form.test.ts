import { describe, expect, it } from 'vitest';
import { parseSafetyForm, safetyFormInput } from './safety-form.ts';

describe('the safety settings form', () => {
  it('reads the auto-lock time in its unit, thresholds per currency and for the others', () => {
    expect(parseSafetyForm({ autoLock: '15', unit: 'minutes', thresholds: [{ currency: ' FST ', amount: '100' }, { currency: '', amount: '' }], other: '' }))
      .toEqual({ ok: true, value: { autoLockSeconds: 900, payPasswordAbove: [{ currency: 'FST', amount: 100n }], payPasswordAboveOther: null } });
    expect(parseSafetyForm({ autoLock: '0', unit: 'hours', thresholds: [], other: '5' }))
      .toEqual({ ok: true, value: { autoLockSeconds: 0, payPasswordAbove: [], payPasswordAboveOther: 5n } });
  });

  it('refuses what the host would refuse, with a sentence', () => {
    const base = { autoLock: '2', unit: 'seconds' as const, thresholds: [], other: '' };
    expect(parseSafetyForm({ ...base, autoLock: '-1' }).ok).toBe(false);
    expect(parseSafetyForm({ ...base, autoLock: '8', unit: 'hours' }).ok).toBe(true);
    expect(parseSafetyForm({ ...base, autoLock: '169', unit: 'hours' })).toEqual({ ok: false, error: 'The auto-lock time can be at most 7 days.' });
    expect(parseSafetyForm({ ...base, thresholds: [{ currency: 'FST', amount: '1' }, { currency: 'FST', amount: '2' }] })).toEqual({ ok: false, error: 'FST is listed twice.' });
    expect(parseSafetyForm({ ...base, thresholds: [{ currency: 'FST', amount: '1.5' }] }).ok).toBe(false);
    expect(parseSafetyForm({ ...base, thresholds: [{ currency: '', amount: '3' }] }).ok).toBe(false);
    expect(parseSafetyForm({ ...base, other: 'ten' }).ok).toBe(false);
  });

  it('shows stored settings in the largest whole unit and reads them back unchanged', () => {
    for (const s of [
      { autoLockSeconds: 7200, payPasswordAbove: [{ currency: 'EUR', amount: 10n ** 30n }], payPasswordAboveOther: 0n },
      { autoLockSeconds: 90, payPasswordAbove: [], payPasswordAboveOther: null },
      { autoLockSeconds: 0, payPasswordAbove: [], payPasswordAboveOther: null },
    ]) {
      expect(parseSafetyForm(safetyFormInput(s))).toEqual({ ok: true, value: s });
    }
    expect(safetyFormInput({ autoLockSeconds: 7200, payPasswordAbove: [], payPasswordAboveOther: null })).toMatchObject({ autoLock: '2', unit: 'hours' });
  });
});
