/** u128 / i128 ranges for money, computed in unbounded bigint and checked on every result
 *  (reference/funder.md §0.3, §7.4; STYLE §6). */
import { I128_MAX, I128_MIN, U128_MAX, U64_MAX } from '../codec/index.ts';

export { I128_MAX, I128_MIN, U128_MAX, U64_MAX };

export const inU128 = (x: bigint): boolean => x >= 0n && x <= U128_MAX;
export const inI128 = (x: bigint): boolean => x >= I128_MIN && x <= I128_MAX;

/** a + b if it stays a u128, else undefined. */
export function addU128(a: bigint, b: bigint): bigint | undefined {
  const s = a + b;
  return s <= U128_MAX ? s : undefined;
}
