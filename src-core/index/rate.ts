/** Fee rates (reference/funder.md §3.2): `Rate{mul, add}` with u32 entries, fee(x) = floor(x*mul/2^32) + add.
 *  The index adds mediators' rates entry-wise; a u32 overflow drops the route. */

export interface Rate {
  /** A fraction of 2^32 (always < 100 %). u32. */
  readonly mul: number;
  /** A flat fee in credits. u32. */
  readonly add: number;
}

export const ZERO_RATE: Rate = Object.freeze({ mul: 0, add: 0 });
export const U32_MAX = 0xffff_ffff;

export function isRate(r: Rate): boolean {
  return Number.isInteger(r.mul) && Number.isInteger(r.add) && r.mul >= 0 && r.add >= 0 && r.mul <= U32_MAX && r.add <= U32_MAX;
}

/** floor(x * mul / 2^32) + add, exact (bigint). */
export function calcFee(rate: Rate, x: bigint): bigint {
  if (x < 0n) throw new RangeError('calcFee: negative amount');
  return ((x * BigInt(rate.mul)) >> 32n) + BigInt(rate.add);
}

/** The largest x with x + x*mul/2^32 + add ≤ c (over the reals, floored): what a route of capacity c
 *  can deliver to the destination when the buyer also pays the fees. */
export function maxPayable(rate: Rate, capacity: bigint): bigint {
  const add = BigInt(rate.add);
  if (capacity < add) return 0n;
  return ((capacity - add) << 32n) / (BigInt(rate.mul) + (1n << 32n));
}

/** Entry-wise sum; undefined on u32 overflow (the original drops such a route). */
export function addRates(a: Rate, b: Rate): Rate | undefined {
  const mul = a.mul + b.mul;
  const add = a.add + b.add;
  if (mul > U32_MAX || add > U32_MAX) return undefined;
  return { mul, add };
}
