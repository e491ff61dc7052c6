import { describe, expect, it } from 'vitest';
import { seededRandom } from './index.ts';

describe('seededRandom', () => {
  it('repeats the same bytes for the same seed and differs for another seed', () => {
    expect(seededRandom(7)(64)).toEqual(seededRandom(7)(64));
    expect(seededRandom(7)(64)).not.toEqual(seededRandom(8)(64));
  });

  it('continues the stream across calls instead of restarting it', () => {
    const r = seededRandom(7);
    const first = r(16);
    expect(r(16)).not.toEqual(first);
  });

  it('does not get stuck at zero for seed 0', () => {
    expect(seededRandom(0)(32).some((b) => b !== 0)).toBe(true);
  });
});
