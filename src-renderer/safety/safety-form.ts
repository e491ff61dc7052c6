/** The safety settings form's text fields to SafetySettings and back. Pure; amounts exact. */
import { MAX_AUTO_LOCK_SECONDS, type Result, type SafetySettings } from '../../src-main/bridge.ts';
import { CARD_DECIMALS } from '../card/friend-input.ts';
import { formatAmount } from '../format-amount.ts';
import { describeAmountError, parseAmount } from '../parse-amount.ts';

export type LockUnit = 'seconds' | 'minutes' | 'hours';
const UNIT_SECONDS: Readonly<Record<LockUnit, number>> = { seconds: 1, minutes: 60, hours: 3600 };

export interface SafetyFormInput {
  readonly autoLock: string;
  readonly unit: LockUnit;
  readonly thresholds: readonly { readonly currency: string; readonly amount: string }[];
  /** Empty: never ask for currencies without their own threshold. */
  readonly other: string;
}

export function safetyFormInput(s: SafetySettings): SafetyFormInput {
  const unit: LockUnit = s.autoLockSeconds !== 0 && s.autoLockSeconds % 3600 === 0 ? 'hours' : s.autoLockSeconds !== 0 && s.autoLockSeconds % 60 === 0 ? 'minutes' : 'seconds';
  const amount = (v: bigint): string => formatAmount(v, CARD_DECIMALS);
  return {
    autoLock: String(s.autoLockSeconds / UNIT_SECONDS[unit]),
    unit,
    thresholds: s.payPasswordAbove.map((t) => ({ currency: t.currency, amount: amount(t.amount) })),
    other: s.payPasswordAboveOther === null ? '' : amount(s.payPasswordAboveOther),
  };
}

export function parseSafetyForm(f: SafetyFormInput): Result<SafetySettings, string> {
  const n = f.autoLock.trim();
  if (!/^\d{1,9}$/.test(n)) return { ok: false, error: 'The auto-lock time is a whole number (0: never lock by itself).' };
  const autoLockSeconds = Number(n) * UNIT_SECONDS[f.unit];
  if (autoLockSeconds > MAX_AUTO_LOCK_SECONDS) return { ok: false, error: 'The auto-lock time can be at most 7 days.' };
  const payPasswordAbove: Array<{ currency: string; amount: bigint }> = [];
  for (const t of f.thresholds) {
    const currency = t.currency.trim();
    if (currency === '' && t.amount.trim() === '') continue; // an empty row
    if (currency === '' || [...currency].length > 16 || new TextEncoder().encode(currency).length > 16) return { ok: false, error: 'A currency is 1 to 16 characters.' };
    if (payPasswordAbove.some((x) => x.currency === currency)) return { ok: false, error: `${currency} is listed twice.` };
    const a = parseAmount(t.amount.trim(), CARD_DECIMALS);
    if (!a.ok) return { ok: false, error: `The amount for ${currency}: ${describeAmountError(a.error)}` };
    payPasswordAbove.push({ currency, amount: a.value });
  }
  let payPasswordAboveOther: bigint | null = null;
  if (f.other.trim() !== '') {
    const a = parseAmount(f.other.trim(), CARD_DECIMALS);
    if (!a.ok) return { ok: false, error: `The amount for other currencies: ${describeAmountError(a.error)}` };
    payPasswordAboveOther = a.value;
  }
  return { ok: true, value: { autoLockSeconds, payPasswordAbove, payPasswordAboveOther } };
}
