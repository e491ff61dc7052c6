import { describe, expect, it } from 'vitest';
import { hostileInputs, truncationsAndExtensions } from './index.ts';

describe('hostileInputs', () => {
  it('names every input uniquely and includes the empty input and a 4 GiB length prefix', () => {
    const inputs = hostileInputs();
    expect(new Set(inputs.map((i) => i.name)).size).toBe(inputs.length);
    expect(inputs.some((i) => i.bytes.length === 0)).toBe(true);
    expect(inputs.some((i) => i.bytes.length === 4 && i.bytes.every((b) => b === 0xff))).toBe(true);
  });

  it('hands out fresh copies, so a test that scribbles on one does not spoil the next', () => {
    const first = hostileInputs();
    for (const i of first) i.bytes.fill(0x5a);
    expect(hostileInputs()).not.toEqual(first);
    expect(hostileInputs()).toEqual(hostileInputs());
  });
});

describe('truncationsAndExtensions', () => {
  it('lists every strict prefix and two one-byte extensions', () => {
    const out = truncationsAndExtensions(Uint8Array.of(1, 2, 3));
    expect(out.map((o) => Array.from(o.bytes))).toEqual([[], [1], [1, 2], [1, 2, 3, 0], [1, 2, 3, 0xff]]);
  });
});
