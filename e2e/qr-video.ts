/** A QR code as a Y4M video for Chromium's fake camera (`--use-file-for-fake-video-capture`):
 *  a few 640×480 4:2:0 frames, the code centred on white, luma only (chroma neutral). Chromium
 *  opens the file when a page starts the camera, so a test may write it after launching. */
import { qrPixels } from '../src-renderer/qr/qr-pixels.ts';

const W = 640;
const H = 480;

/** `text` undefined: a blank picture (a camera that sees no code). */
export function qrVideoY4m(text: string | undefined, scale = 4): Buffer {
  const y = Buffer.alloc(W * H, 235);
  if (text !== undefined) {
    const { pixels, size } = qrPixels(text, scale);
    const ox = Math.floor((W - size) / 2);
    const oy = Math.floor((H - size) / 2);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) if ((pixels[(r * size + c) * 4] as number) < 128) y[(oy + r) * W + ox + c] = 16;
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]);
}
