/** The QR payloads as a camera sees them: rendered by qrcode (what the wallet shows) and read back
 *  by jsqr (what the wallet's scanner uses), at a size a phone reads easily. */
import jsQRModule from 'jsqr';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { nobleBackend } from '../crypto/index.ts';
import { identFromSeed } from './ident.ts';
import { type QrObject, formatQrPayload, parseQrPayload } from './qr.ts';
import { COMMIT, INVOICE, RECEIPT, SELLER_PUBLIC_KEY } from './vectors/funder-2-5.ts';

// jsqr is CommonJS with `export default` typings: the function is the module itself at run time,
// but NodeNext types the default import as the module namespace
type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: JsQr = ((jsQRModule as unknown as { default?: JsQr }).default ?? jsQRModule) as unknown as JsQr;

/** Modules → RGBA pixels, `scale` pixels per module, with the 4-module quiet zone. */
function rasterize(text: string, scale: number): { pixels: Uint8ClampedArray; size: number; version: number } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const size = (n + 8) * scale;
  const pixels = new Uint8ClampedArray(size * size * 4).fill(255);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let y = 0; y < scale; y++) {
        for (let x = 0; x < scale; x++) {
          const i = (((r + 4) * scale + y) * size + (c + 4) * scale + x) * 4;
          pixels[i] = 0; pixels[i + 1] = 0; pixels[i + 2] = 0;
        }
      }
    }
  }
  return { pixels, size, version: qr.version };
}

const app = identFromSeed(nobleBackend, new Uint8Array(32).fill(4));
const relays = Array.from({ length: 3 }, (_, i) => ({ publicKey: app.publicKey, address: `relay${i}.example.com:4567` }));
const cases: readonly (readonly [string, QrObject, number])[] = [
  // [name, object, largest QR version we accept at error correction M]
  ['an invoice with a description', { kind: 'invoice', invoice: { ...INVOICE, description: 'a bag of bananas' } }, 8],
  ['a commit', { kind: 'commit', commit: COMMIT }, 13],
  ['a receipt', { kind: 'receipt', receipt: RECEIPT }, 14],
  ['a friend with three relays', { kind: 'friend', friend: { publicKey: SELLER_PUBLIC_KEY, relays, name: 'alice' } }, 14],
  ['a remote card', { kind: 'rcard', rcard: { name: 'home', nodePublicKey: SELLER_PUBLIC_KEY, address: 'www.mynode.com:9876', appPrivateKey: app.privateKey, appPublicKey: app.publicKey } }, 9],
];

describe('QR payloads as images', () => {
  it.each(cases)('%s renders as a small QR code that jsqr reads back', (_n, obj, maxVersion) => {
    const text = formatQrPayload(obj);
    const { pixels, size, version } = rasterize(text, 3);
    expect(version).toBeLessThanOrEqual(maxVersion);
    const read = jsQR(pixels, size, size);
    expect(read?.data).toBe(text);
    expect(parseQrPayload(read?.data ?? '', nobleBackend)).toEqual({ ok: true, value: obj });
  });
});
