import { describe, expect, it } from 'vitest';
import { describeScanError, MAX_SCAN_PIXELS, qrPixels, readQrPixels } from './qr-pixels.ts';

const PAYLOAD = 'offset:invoice:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8w';

describe('QR pixels', () => {
  it('reads back the text it drew', () => {
    const { pixels, size } = qrPixels(PAYLOAD, 4);
    expect(readQrPixels(pixels, size, size)).toEqual({ ok: true, value: PAYLOAD });
  });

  it('reads a code drawn light on dark (a phone in dark mode)', () => {
    const { pixels, size } = qrPixels(PAYLOAD, 3);
    const inverted = pixels.map((v, i) => (i % 4 === 3 ? v : 255 - v));
    expect(readQrPixels(inverted, size, size)).toEqual({ ok: true, value: PAYLOAD });
  });

  it.each<[string, () => [Uint8ClampedArray, number, number], string]>([
    ['a blank picture', () => [new Uint8ClampedArray(100 * 100 * 4).fill(255), 100, 100], 'no-qr-code'],
    ['noise', () => [Uint8ClampedArray.from({ length: 64 * 64 * 4 }, (_, i) => (i * 7919) % 251), 64, 64], 'no-qr-code'],
    ['pixels that do not match the size', () => [new Uint8ClampedArray(10), 10, 10], 'unreadable-image'],
    ['a zero-sized picture', () => [new Uint8ClampedArray(0), 0, 0], 'unreadable-image'],
  ])('reports %s', (_label, make, kind) => {
    const r = readQrPixels(...make());
    expect(r.ok ? 'read' : r.error.kind).toBe(kind);
    if (!r.ok) expect(describeScanError(r.error)).toMatch(/\.$/);
  });

  it('refuses pictures with more pixels than it scans', () => {
    const w = 4097;
    const h = 4097;
    // a sparse stand-in of the right length would allocate 67 MB; the check comes before any use
    const r = readQrPixels({ length: w * h * 4 } as unknown as Uint8ClampedArray, w, h);
    expect(r).toEqual({ ok: false, error: { kind: 'image-too-large', maxPixels: MAX_SCAN_PIXELS } });
  });
});
