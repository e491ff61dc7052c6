import { describe, expect, it } from 'vitest';
import { seededRandom } from '../crypto/index.ts';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  const opts = { initialMs: 100, maxMs: 10_000 };

  it('doubles the ceiling per failure and keeps each delay between half of it and all of it', () => {
    const random = seededRandom(5);
    for (let k = 0; k < 20; k++) {
      const ceiling = Math.min(10_000, 100 * 2 ** k);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(k, opts, random);
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('spreads delays (jitter) rather than repeating one value', () => {
    const random = seededRandom(9);
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(3, opts, random)));
    expect(seen.size).toBeGreaterThan(20);
  });

  it('stays finite for absurd failure counts', () => {
    expect(backoffDelay(10_000, opts, seededRandom(1))).toBeLessThanOrEqual(10_000);
  });
});
