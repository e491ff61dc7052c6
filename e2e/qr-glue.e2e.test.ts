/** The renderer's QR glue (src-renderer/qr/qr-image.ts) in a real Chromium: the PNG it draws is
 *  the picture its scanner reads back; bad pictures give a typed error, never an exception. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForPage, launchChromium } from './support.ts';

let browser: Browser;
let bundle: string;

beforeAll(async () => {
  bundle = await bundleForPage('src-renderer/qr/qr-image.ts', 'offsetQr');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const PAYLOAD = 'offset:invoice:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8w';

describe('QR glue in Chromium', () => {
  it('scans back the PNG it draws, and reports pictures without a code', async () => {
    const page = await browser.newPage();
    await page.addScriptTag({ content: bundle });
    const seen = await page.evaluate(async (payload) => {
      type Qr = {
        qrPng(text: string, scale?: number): Promise<Blob>;
        scanQrImage(file: Blob): Promise<unknown>;
      };
      const qr = (window as unknown as { offsetQr: Qr }).offsetQr;
      const png = await qr.qrPng(payload, 4);
      const blank = document.createElement('canvas');
      blank.width = 200;
      blank.height = 200;
      const ctx = blank.getContext('2d') as CanvasRenderingContext2D;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 200, 200);
      const blankPng = await new Promise<Blob>((resolve) => blank.toBlob((b) => resolve(b as Blob), 'image/png'));
      return {
        type: png.type,
        signature: Array.from(new Uint8Array(await png.slice(0, 8).arrayBuffer())),
        scanned: await qr.scanQrImage(png),
        blank: await qr.scanQrImage(blankPng),
        notAnImage: await qr.scanQrImage(new Blob(['this is text'], { type: 'image/png' })),
      };
    }, PAYLOAD);
    expect(seen).toEqual({
      type: 'image/png',
      signature: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      scanned: { ok: true, value: PAYLOAD },
      blank: { ok: false, error: { kind: 'no-qr-code' } },
      notAnImage: { ok: false, error: { kind: 'unreadable-image' } },
    });
    await page.close();
  });
});
