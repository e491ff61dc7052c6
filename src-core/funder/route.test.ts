import { describe, expect, it } from 'vitest';
import { isRoutePartValid, isRouteValid } from './route.ts';

const k = (...ns: number[]): Uint8Array[] => ns.map((n) => new Uint8Array(32).fill(n));

describe('route validity (reference/funder.md §8.1 test_friends_is_route_valid)', () => {
  it.each([
    ['[1]', k(1), false, true],
    ['[]', k(), false, true],
    ['[1,2,3,4]', k(1, 2, 3, 4), true, true],
    ['[1,2,3,4,1]', k(1, 2, 3, 4, 1), true, false],
    ['[1,1]', k(1, 1), false, false],
    ['[1,2,3,2,4]', k(1, 2, 3, 2, 4), false, false],
  ])('%s: full %s, part %s', (_n, route, full, part) => {
    expect(isRouteValid(route)).toBe(full);
    expect(isRoutePartValid(route)).toBe(part);
  });

  it('refuses routes longer than 32 keys', () => {
    const long = Array.from({ length: 33 }, (_, i) => new Uint8Array(32).fill(i));
    expect(isRouteValid(long)).toBe(false);
    expect(isRoutePartValid(long)).toBe(false);
  });
});
