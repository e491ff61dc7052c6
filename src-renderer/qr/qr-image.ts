/** Browser glue for QR codes: a PNG of a payload to show or save, and the text of a QR code in an
 *  image file (a saved PNG, a photo, a screenshot). Uses canvas; the pixel work is qr-pixels.ts. */
import { qrPixels, readQrPixels, MAX_SCAN_PIXELS, type ScanResult } from './qr-pixels.ts';

function canvasOf(width: number, height: number): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } | undefined {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  return ctx === null ? undefined : { canvas, ctx };
}

/** The payload as a PNG (the same image is shown and saved, so what one wallet shows is exactly
 *  what another scans). */
export async function qrPng(text: string, scale = 8): Promise<Blob> {
  const { pixels, size } = qrPixels(text, scale);
  const c = canvasOf(size, size);
  if (c === undefined) throw new Error('this browser cannot draw images');
  c.ctx.putImageData(new ImageData(pixels, size, size), 0, 0);
  return new Promise((resolve, reject) => c.canvas.toBlob((b) => (b === null ? reject(new Error('PNG encoding failed')) : resolve(b)), 'image/png'));
}

/** Reads the QR code in an image file; never throws for a bad file. */
export async function scanQrImage(file: Blob): Promise<ScanResult> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { ok: false, error: { kind: 'unreadable-image' } };
  }
  try {
    if (bitmap.width * bitmap.height > MAX_SCAN_PIXELS) return { ok: false, error: { kind: 'image-too-large', maxPixels: MAX_SCAN_PIXELS } };
    const c = canvasOf(bitmap.width, bitmap.height);
    if (c === undefined) return { ok: false, error: { kind: 'unreadable-image' } };
    c.ctx.drawImage(bitmap, 0, 0);
    const data = c.ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return readQrPixels(data.data, data.width, data.height);
  } finally {
    bitmap.close();
  }
}
