/** QR codes as pixels, the part of showing and scanning that needs no DOM: text → RGBA pixels
 *  (qrcode's encoder, error correction M, 4-module quiet zone) and RGBA pixels → text (jsqr).
 *  The browser glue (qr-image.ts) turns pixels into a PNG and an image file into pixels. */
import jsQRModule from 'jsqr';
import QRCode from 'qrcode';

// jsqr is CommonJS typed with `export default`: at run time the function may be the module itself
type JsQr = (data: Uint8ClampedArray, width: number, height: number, opts?: { inversionAttempts?: 'attemptBoth' }) => { data: string } | null;
const jsQR: JsQr = ((jsQRModule as unknown as { default?: JsQr }).default ?? jsQRModule) as unknown as JsQr;

export type ScanError =
  | { readonly kind: 'unreadable-image' }
  | { readonly kind: 'image-too-large'; readonly maxPixels: number }
  | { readonly kind: 'no-qr-code' };

export type ScanResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: ScanError };

/** Larger photos are refused rather than decoded slowly (a 12-megapixel photo is 48 MB of RGBA). */
export const MAX_SCAN_PIXELS = 4096 * 4096;

export interface QrRaster {
  readonly pixels: Uint8ClampedArray<ArrayBuffer>;
  readonly size: number;
}

export function qrPixels(text: string, scale = 8): QrRaster {
  if (!Number.isSafeInteger(scale) || scale < 1 || scale > 64) throw new RangeError(`scale out of range: ${scale}`);
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const size = (n + 8) * scale;
  const pixels = new Uint8ClampedArray(size * size * 4).fill(255);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let y = 0; y < scale; y++) {
        const row = ((r + 4) * scale + y) * size;
        for (let x = 0; x < scale; x++) {
          const i = (row + (c + 4) * scale + x) * 4;
          pixels[i] = 0;
          pixels[i + 1] = 0;
          pixels[i + 2] = 0;
        }
      }
    }
  }
  return { pixels, size };
}

export function readQrPixels(pixels: Uint8ClampedArray, width: number, height: number): ScanResult {
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1 || pixels.length !== width * height * 4) {
    return { ok: false, error: { kind: 'unreadable-image' } };
  }
  if (width * height > MAX_SCAN_PIXELS) return { ok: false, error: { kind: 'image-too-large', maxPixels: MAX_SCAN_PIXELS } };
  const found = jsQR(pixels, width, height, { inversionAttempts: 'attemptBoth' });
  return found === null ? { ok: false, error: { kind: 'no-qr-code' } } : { ok: true, value: found.data };
}

/** One sentence saying what happened and what to do. */
export function describeScanError(e: ScanError): string {
  switch (e.kind) {
    case 'unreadable-image':
      return 'This file is not an image the wallet can read. Choose a PNG or JPEG picture of the QR code.';
    case 'image-too-large':
      return 'This picture is too large to scan. Crop it around the QR code and try again.';
    case 'no-qr-code':
      return 'No QR code was found in this picture. Make sure the whole code is visible and sharp.';
  }
}
