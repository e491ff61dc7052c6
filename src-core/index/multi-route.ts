/** The buyer's split of one payment over several routes (reference/funder.md §6.2, the original's
 *  `safe_multi_route_amounts`): each route may deliver at most maxPayable(rate, capacity); the amount is
 *  spread evenly (water-filling from the smallest route up), so the parts add up to the amount exactly. */
import { type Rate, calcFee, maxPayable } from './rate.ts';

export interface RouteCapacity {
  readonly capacity: bigint;
  readonly rate: Rate;
}

export interface RoutePart {
  /** Index into the routes given. */
  readonly index: number;
  /** dest_payment sent along this route. */
  readonly amount: bigint;
  /** Fees the buyer attaches: calcFee(route.rate, amount). */
  readonly fees: bigint;
}

/** Parts (each ≤ its route's payable amount, none zero) summing to `amount`, or undefined when the
 *  routes together cannot deliver it. */
export function splitPayment(routes: readonly RouteCapacity[], amount: bigint): RoutePart[] | undefined {
  if (amount <= 0n) return undefined;
  const payable = routes.map((r, index) => ({ index, max: maxPayable(r.rate, r.capacity) }));
  let total = 0n;
  for (const p of payable) total += p.max;
  if (total < amount) return undefined;
  payable.sort((a, b) => (a.max < b.max ? -1 : a.max > b.max ? 1 : a.index - b.index));
  const parts: RoutePart[] = [];
  let remaining = amount;
  for (let k = 0; k < payable.length && remaining > 0n; k++) {
    const p = payable[k] as { index: number; max: bigint };
    const left = BigInt(payable.length - k);
    const share = (remaining + left - 1n) / left;
    const give = share < p.max ? share : p.max;
    if (give === 0n) continue;
    const route = routes[p.index] as RouteCapacity;
    parts.push({ index: p.index, amount: give, fees: calcFee(route.rate, give) });
    remaining -= give;
  }
  return remaining === 0n ? parts.sort((a, b) => a.index - b.index) : undefined;
}
