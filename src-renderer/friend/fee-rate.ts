/** A friend's fee rate as a person types and reads it: "x% + y". The protocol's Rate is
 *  {mul, add} with fee(amount) = floor(amount·mul / 2^32) + add (reference/funder.md §3.2);
 *  a percentage maps to mul only approximately, so (docs/wallet.md "Fee rates"):
 *  - a percentage has at most PERCENT_DECIMALS decimals, 0 ≤ x < 100;
 *  - mul = ceil(x/100 · 2^32): the fee is never below x% of the amount (rounded down), and for
 *    every amount below 2^32/(mul error) it is exactly floor(amount·x/100) + y;
 *  - reading mul back, floor(mul·100·10^4 / 2^32) gives x again; a mul that is not the image of
 *    any such x (set with stctrl) is shown as "about x%".
 *  Pure, bigint only, never floating point. */
import type { Rate } from '../../src-core/proto/index.ts';
import type { Result } from '../../src-main/bridge.ts';
import { formatAmount } from '../format-amount.ts';
import { describeAmountError, parseAmount } from '../parse-amount.ts';

export const PERCENT_DECIMALS = 4;
const SCALE = 10n ** BigInt(PERCENT_DECIMALS); // percent units per 1%
const HUNDRED = 100n * SCALE; // 100% in percent units
const TWO_32 = 1n << 32n;
const U32_MAX = TWO_32 - 1n;

/** fee(amount) exactly as the funder computes it (src-core/funder/rate.ts calcFee). */
export function feeFor(rate: Rate, amount: bigint): bigint {
  return ((amount * BigInt(rate.mul)) >> 32n) + BigInt(rate.add);
}

/** `percentText` (e.g. "1.5", empty = 0) and `addText` (whole credits, empty = 0) → a Rate. */
export function parseFeeRate(percentText: string, addText: string, decimals: number): Result<Rate, string> {
  const p = percentText.trim().replace(/%$/, '').trim();
  let units = 0n;
  if (p !== '') {
    const r = parseAmount(p, PERCENT_DECIMALS);
    if (!r.ok) {
      if (r.error.kind === 'sign') return { ok: false, error: 'The percentage cannot be negative: enter 0 or more.' };
      if (r.error.kind === 'too-many-decimals') return { ok: false, error: `The percentage has too many decimals: use at most ${PERCENT_DECIMALS} (for example 0.25).` };
      return { ok: false, error: `The percentage: ${describeAmountError(r.error)}` };
    }
    units = r.value;
  }
  if (units >= HUNDRED) return { ok: false, error: 'The percentage must be below 100.' };
  let add = 0n;
  if (addText.trim() !== '') {
    const r = parseAmount(addText, decimals);
    if (!r.ok) {
      if (r.error.kind === 'sign') return { ok: false, error: 'The fixed fee cannot be negative: enter 0 or more.' };
      return { ok: false, error: `The fixed fee: ${describeAmountError(r.error)}` };
    }
    add = r.value;
  }
  if (add > U32_MAX) return { ok: false, error: `The fixed fee is at most ${formatAmount(U32_MAX, decimals)}.` };
  const mul = (units * TWO_32 + HUNDRED - 1n) / HUNDRED; // ceil
  return { ok: true, value: { mul: Number(mul), add: Number(add) } };
}

export interface RateView {
  /** The percentage as an exact decimal string (trailing zeros dropped), e.g. "1.5". */
  readonly percent: string;
  /** False when mul is not what the wallet would set for `percent` (then it is "about"). */
  readonly exact: boolean;
  readonly add: bigint;
}

export function rateView(rate: Rate): RateView {
  const mul = BigInt(rate.mul);
  const units = (mul * HUNDRED) / TWO_32;
  const exact = (units * TWO_32 + HUNDRED - 1n) / HUNDRED === mul;
  return { percent: formatAmount(units, PERCENT_DECIMALS, { trimZeros: true }), exact, add: BigInt(rate.add) };
}

/** "1.5% + 2 FST", "no fee", "about 0.0001% + 0 FST". */
export function formatRate(rate: Rate, currency: string, decimals: number): string {
  const v = rateView(rate);
  if (rate.mul === 0 && rate.add === 0) return 'no fee';
  const pct = `${v.exact ? '' : 'about '}${v.percent}%`;
  if (rate.mul === 0) return `${formatAmount(v.add, decimals)} ${currency}`;
  if (v.add === 0n) return pct;
  return `${pct} + ${formatAmount(v.add, decimals)} ${currency}`;
}

/** One sentence: what the friend pays this card for forwarding, with a worked example. */
export function rateInWords(rate: Rate, friendName: string, currency: string, decimals: number, example: bigint): string {
  if (rate.mul === 0 && rate.add === 0) {
    return `Payments of ${friendName} forwarded through this card in ${currency} pay no fee.`;
  }
  const ex = formatAmount(example, decimals, { group: ',' });
  const fee = formatAmount(feeFor(rate, example), decimals, { group: ',' });
  return `Each payment of ${friendName} forwarded through this card in ${currency} pays it ${formatRate(rate, currency, decimals)}`
    + `${rate.mul === 0 ? '' : ' (the percentage rounded down)'}: forwarding ${ex} ${currency} earns ${fee} ${currency}.`;
}
