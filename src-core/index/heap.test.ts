import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeHeap } from './heap.ts';

describe('NodeHeap', () => {
  it('pops entries in (primary, secondary) order', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 5 }))), (items) => {
      const h = new NodeHeap();
      items.forEach(([p, s], i) => h.push(p, s, i));
      const out = { primary: 0, secondary: 0 };
      const popped: [number, number][] = [];
      for (let node = h.pop(out); node !== -1; node = h.pop(out)) popped.push([out.primary, out.secondary]);
      const sorted = items.map(([p, s]) => [p, s] as [number, number]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      expect(popped).toEqual(sorted);
    }));
  });
});
