/** Mediator fees: fee(x) = floor(x·mul / 2^32) + add, in arbitrary precision (reference/funder.md §3.2). */
import type { Rate } from '../proto/index.ts';
import { U128_MAX } from './amounts.ts';

export const ZERO_RATE: Rate = { mul: 0, add: 0 };

/** undefined when the fee does not fit a u128 (the mediator then cancels). */
export function calcFee(rate: Rate, destPayment: bigint): bigint | undefined {
  const fee = ((destPayment * BigInt(rate.mul)) >> 32n) + BigInt(rate.add);
  return fee <= U128_MAX ? fee : undefined;
}

/** The largest x with x + fee(x) ≤ capacity (real-valued solve, floored), as Rate::max_payable. */
export function maxPayable(rate: Rate, capacity: bigint): bigint {
  const add = BigInt(rate.add);
  if (capacity < add) return 0n;
  return ((capacity - add) << 32n) / (BigInt(rate.mul) + (1n << 32n));
}

export function rateEquals(a: Rate, b: Rate): boolean {
  return a.mul === b.mul && a.add === b.add;
}
