import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './hex.ts';

/** The first implementation, kept as the reference the table-driven one must match. */
const referenceToHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
function referenceFromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

describe('hex keys', () => {
  it('encode every byte value as two lower-case digits and decode them back', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toHex(all)).toBe(referenceToHex(all));
    expect(fromHex(toHex(all))).toEqual(all);
    expect(toHex(new Uint8Array(0))).toBe('');
  });

  it('read anything else exactly as parseInt reads each pair', () => {
    for (const h of ['ABcdEF', '0g', 'g0', ' a', '-a', '+f', 'zz', 'abc', '\u{1F600}1', 'ff\u00e9']) {
      expect(fromHex(h)).toEqual(referenceFromHex(h));
    }
  });
});
