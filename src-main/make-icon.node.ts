/** Draws the app icon (assets/icon.png, 512×512, and the renderer's favicon) as PNG from code:
 *  a blue rounded square with two linked rings (two friends, one credit line).
 *  Run `npx tsx src-main/make-icon.node.ts` after changing the drawing; the PNGs are committed. */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { REPO_ROOT } from './paths.node.ts';

type Rgba = readonly [number, number, number, number];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** The drawing in unit coordinates (0..1): the colour at a point, or transparent. */
function shade(x: number, y: number): Rgba {
  const r = 0.22; // corner radius of the rounded square
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - r), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - r), 0);
  if (Math.hypot(qx, qy) > r) return [0, 0, 0, 0];
  // two linked rings: two friends sharing a credit line; the gold one passes over the white one
  const ringA = Math.abs(Math.hypot(x - 0.39, y - 0.5) - 0.19) < 0.045;
  const ringB = Math.abs(Math.hypot(x - 0.61, y - 0.5) - 0.19) < 0.045;
  const bOnTop = y < 0.5;
  if (ringB && (bOnTop || !ringA)) return [255, 196, 61, 255];
  if (ringA) return [255, 255, 255, 255];
  const t = y; // vertical gradient, #1565c0 → #0b3d91
  return [Math.round(21 - 10 * t), Math.round(101 - 40 * t), Math.round(192 - 47 * t), 255];
}

export function drawIcon(size: number): Uint8Array {
  const ss = 4; // 4×4 supersampling for smooth edges
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = shade((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          r += c[0] * c[3]; g += c[1] * c[3]; b += c[2] * c[3]; a += c[3];
        }
      }
      const i = (py * size + px) * 4;
      out[i] = a === 0 ? 0 : Math.round(r / a);
      out[i + 1] = a === 0 ? 0 : Math.round(g / a);
      out[i + 2] = a === 0 ? 0 : Math.round(b / a);
      out[i + 3] = Math.round(a / (ss * ss));
    }
  }
  return out;
}

function write(path: string, size: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodePng(size, size, drawIcon(size)));
}

write(join(REPO_ROOT, 'assets', 'icon.png'), 512);
write(join(REPO_ROOT, 'src-renderer', 'public', 'favicon.png'), 64);
