/** base64url without padding, strict: one text form per byte string (RFC 4648 §5, no '=' padding). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './index.ts';

describe('base64url', () => {
  it('agrees with node\'s encoder and decodes its own output, for any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      const text = toBase64Url(b);
      expect(text).toBe(Buffer.from(b).toString('base64url'));
      expect(fromBase64Url(text)).toEqual(b);
    }), { numRuns: 500 });
  });

  it('re-encodes every text it accepts to the same text (canonical)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 60 }), (text) => {
      const b = fromBase64Url(text);
      if (b !== undefined) expect(toBase64Url(b)).toBe(text);
    }), { numRuns: 1000 });
  });

  it('writes a 32-byte key as 43 characters and a 64-byte signature as 86', () => {
    expect(toBase64Url(new Uint8Array(32).fill(0xfb))).toHaveLength(43);
    expect(toBase64Url(new Uint8Array(64))).toHaveLength(86);
  });

  it.each([
    ['', []], ['AA', [0]], ['AAA', [0, 0]], ['AAAA', [0, 0, 0]], ['_w', [0xff]], ['-_-_', [0xfb, 0xff, 0xbf]],
  ])('decodes %j to %j', (text, expected) => {
    expect(fromBase64Url(text)).toEqual(Uint8Array.from(expected));
  });

  it.each([
    ['padding', 'AA=='], ['one padding character', 'AAA='], ['standard alphabet +', 'ab+c'], ['standard alphabet /', 'ab/c'],
    ['a space', 'AA AA'], ['a newline', 'AAAA\n'], ['a non-ASCII letter', 'AAé'], ['a NUL', 'AA\u0000A'],
    ['length 1', 'A'], ['length 5', 'AAAAA'], ['length 4k+1 of a key', 'A'.repeat(45)],
    ['non-zero unused bits after one byte', 'AB'], ['non-zero unused bits after two bytes', 'AAB'],
    ['the last char of a 32-byte key with unused bits set', `${'A'.repeat(42)}B`],
  ])('rejects %s (%j)', (_what, text) => {
    expect(fromBase64Url(text)).toBeUndefined();
  });
});
