/** Amounts in files are decimal strings (ARCHITECTURE §4, STYLE §6): digits only, no sign, no
 *  leading zeros, no exponent, within u128. Never Number(): 2^53 is far below 2^128. */
import { U128_MAX } from '../codec/index.ts';

const DECIMAL = /^(0|[1-9][0-9]*)$/;
/** 2^128 - 1 has 39 digits; a longer string is out of range before BigInt ever sees it. */
const MAX_DIGITS = 39;

export type AmountProblem = 'not-decimal' | 'out-of-range';

export function parseU128Decimal(text: string): { ok: true; value: bigint } | { ok: false; problem: AmountProblem } {
  if (!DECIMAL.test(text)) return { ok: false, problem: 'not-decimal' };
  if (text.length > MAX_DIGITS) return { ok: false, problem: 'out-of-range' };
  const value = BigInt(text);
  if (value > U128_MAX) return { ok: false, problem: 'out-of-range' };
  return { ok: true, value };
}

export function formatU128Decimal(value: bigint): string {
  if (typeof value !== 'bigint' || value < 0n || value > U128_MAX) throw new RangeError(`u128 out of range: ${String(value)}`);
  return value.toString(10);
}
