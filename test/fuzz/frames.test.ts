/** Mutation fuzzing of the incremental frame decoder (src-core/net/frame.ts), the first thing
 *  every TCP byte meets. The stream is cut into chunks at seeded points; the decoder must return
 *  frames or one of its errors, never throw, and the frames it returns must be exactly what the
 *  stream's prefix holds. A valid stream cut anywhere yields the same frames. */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_LEN, FrameDecoder, MAX_FRAME_LENGTH, PROLOGUE_LEN, SMALL_FRAME_LENGTH, frameHeader, prologue } from '../../src-core/net/index.ts';
import { fuzzConfig, fuzzTimeout, runFuzz, type Target } from './harness.ts';
import { mutateBytes } from './mutate.ts';
import { prng } from './prng.ts';

const cfg = fuzzConfig();
const DECODER_ERRORS = new Set(['bad-prologue', 'version-mismatch', 'frame-too-large']);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

function stream(frames: readonly Uint8Array[]): Uint8Array {
  return concat([prologue(), ...frames.flatMap((f) => [frameHeader(f.length), f])]);
}

/** Feeds `input` in chunks cut at points derived from its own bytes (same input, same cuts). */
function feed(input: Uint8Array, smallFrames: number): { ok: true; value: Uint8Array[] } | { ok: false; error: unknown } {
  const d = new FrameDecoder(MAX_FRAME_LENGTH, undefined, true, smallFrames);
  const r = prng(input.length * 2654435761 + (input[0] ?? 0));
  const frames: Uint8Array[] = [];
  for (let off = 0; off < input.length;) {
    const n = 1 + r.below(Math.min(input.length - off, r.chance(0.5) ? 7 : 4096));
    const out = d.push(input.subarray(off, off + n));
    frames.push(...out.frames);
    if (out.error !== undefined) return { ok: false, error: out.error };
    off += n;
  }
  return { ok: true, value: frames };
}

const seeds = [
  stream([]),
  stream([Uint8Array.of(1, 2, 3)]),
  stream([new Uint8Array(0), new Uint8Array(100).fill(7), new Uint8Array(SMALL_FRAME_LENGTH).fill(1)]),
  stream([new Uint8Array(SMALL_FRAME_LENGTH + 1).fill(2), Uint8Array.of(9)]),
];

function target(smallFrames: number): Target<Uint8Array, Uint8Array[]> {
  return {
    name: `net.FrameDecoder(small=${smallFrames})`,
    seeds,
    random: (r) => (r.chance(0.5) ? concat([prologue(), r.bytes(r.below(64))]) : r.bytes(r.below(64))),
    mutate: (r, a, b) => { const m = mutateBytes(r, a, b); return { input: m.bytes, applied: m.applied }; },
    decode: (input) => feed(input, smallFrames),
    isError: (e) => typeof e === 'object' && e !== null && DECODER_ERRORS.has((e as { kind: string }).kind),
    check(input, frames) {
      if (input.length < PROLOGUE_LEN) return frames.length === 0 ? undefined : 'returned a frame before the prologue';
      const consumed = stream(frames);
      if (!isDeepStrictEqual(input.subarray(0, consumed.length), consumed)) return 'returned frames the stream does not hold';
      const tail = input.length - consumed.length;
      if (tail < 0) return 'returned more bytes than it was given';
      // what is left must be an incomplete header or an incomplete frame
      if (tail >= FRAME_HEADER_LEN) {
        const len = new DataView(input.buffer, input.byteOffset + consumed.length, 4).getUint32(0);
        if (tail >= FRAME_HEADER_LEN + len) return `kept a complete frame of ${len} bytes back`;
      }
      return undefined;
    },
    show: (b) => Buffer.from(b.subarray(0, 600)).toString('hex') + (b.length > 600 ? `… (${b.length} bytes)` : ''),
  };
}

describe('fuzz: the frame decoder', () => {
  it.each([0, 4])('returns frames the stream holds or a DecoderError, smallFrames=%i', (small) => {
    const stats = runFuzz(target(small), 6000, cfg);
    expect(stats.accepted).toBeGreaterThan(0);
    expect(stats.rejected).toBeGreaterThan(0);
  }, fuzzTimeout(cfg));

  it('yields the same frames however a valid stream is cut', () => {
    const r = prng(cfg.runSeed);
    for (let i = 0; i < 200; i++) {
      const frames = Array.from({ length: r.below(6) }, () => r.bytes(r.below(r.chance(0.2) ? 5000 : 40)));
      const s = stream(frames);
      const d = new FrameDecoder(MAX_FRAME_LENGTH);
      const got: Uint8Array[] = [];
      for (let off = 0; off < s.length;) {
        const n = 1 + r.below(Math.min(s.length - off, 300));
        const out = d.push(s.subarray(off, off + n));
        expect(out.error).toBeUndefined();
        got.push(...out.frames);
        off += n;
      }
      expect(got).toEqual(frames);
    }
  });
});
