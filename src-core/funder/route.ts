/** Route validity (reference/funder.md §6.1, §8.1 test_friends_is_route_valid). */
import { MAX_ROUTE_LEN } from '../proto/index.ts';
import { toHex } from './hex.ts';

function distinct(keys: readonly Uint8Array[]): boolean {
  return new Set(keys.map(toHex)).size === keys.length;
}

/** A full route [buyer, …, seller]: ≥ 2 keys, ≤ 32, no repeats except first = last for a cycle of ≥ 3. */
export function isRouteValid(route: readonly Uint8Array[]): boolean {
  if (route.length < 2 || route.length > MAX_ROUTE_LEN) return false;
  if (distinct(route)) return true;
  const first = route[0] as Uint8Array;
  const last = route[route.length - 1] as Uint8Array;
  return route.length >= 4 && toHex(first) === toHex(last) && distinct(route.slice(1));
}

/** The remaining route inside a request: ≤ 32 keys, no repeats (empty = we are the destination). */
export function isRoutePartValid(route: readonly Uint8Array[]): boolean {
  return route.length <= MAX_ROUTE_LEN && distinct(route);
}
