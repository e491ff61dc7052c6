import { describe, expect, it } from 'vitest';
import { FrameDecoder, PROTOCOL_VERSION, frameHeader, prologue } from './frame.ts';

const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const framed = (payload: Uint8Array): Uint8Array => cat(frameHeader(payload.length), payload);

describe('FrameDecoder', () => {
  it('yields the same frames whether bytes arrive whole or one at a time', () => {
    const payloads = [Uint8Array.of(1, 2, 3), new Uint8Array(0), new Uint8Array(300).fill(9)];
    const wire = cat(prologue(), ...payloads.map(framed));
    const whole = new FrameDecoder(1000).push(wire);
    expect(whole.error).toBeUndefined();
    expect(whole.frames).toEqual(payloads);
    const d = new FrameDecoder(1000);
    const got: Uint8Array[] = [];
    for (const b of wire) {
      const r = d.push(Uint8Array.of(b));
      expect(r.error).toBeUndefined();
      got.push(...r.frames);
    }
    expect(got).toEqual(payloads);
  });

  it('rejects a length prefix above the maximum before the payload arrives', () => {
    const r = new FrameDecoder(100).push(cat(prologue(), frameHeader(101)));
    expect(r.error).toEqual({ kind: 'frame-too-large', length: 101, max: 100 });
  });

  it('accepts a frame of exactly the maximum length', () => {
    const r = new FrameDecoder(100).push(cat(prologue(), framed(new Uint8Array(100))));
    expect(r.error).toBeUndefined();
    expect(r.frames).toHaveLength(1);
  });

  it('reports a version mismatch with both versions', () => {
    const r = new FrameDecoder(100).push(prologue(PROTOCOL_VERSION + 1));
    expect(r.error).toEqual({ kind: 'version-mismatch', ours: PROTOCOL_VERSION, theirs: PROTOCOL_VERSION + 1 });
  });

  it('rejects garbage at the first wrong byte, without waiting for the whole prologue', () => {
    expect(new FrameDecoder(100).push(Uint8Array.of(0x47)).error?.kind).toBe('bad-prologue');
    expect(new FrameDecoder(100).push(Uint8Array.of(0x4f, 0x46)).error).toBeUndefined();
  });

  it('stays failed after an error', () => {
    const d = new FrameDecoder(10);
    d.push(cat(prologue(), frameHeader(11)));
    expect(d.push(framed(Uint8Array.of(1))).error?.kind).toBe('frame-too-large');
  });
});

describe('FrameDecoder handshake limit', () => {
  it('limits the first frames to SMALL_FRAME_LENGTH, then allows the full maximum', () => {
    const d = new FrameDecoder(1 << 20, PROTOCOL_VERSION, true, 2);
    const r = d.push(cat(prologue(), framed(new Uint8Array(1024)), framed(new Uint8Array(10)), framed(new Uint8Array(5000))));
    expect(r.error).toBeUndefined();
    expect(r.frames.map((f) => f.length)).toEqual([1024, 10, 5000]);
    const early = new FrameDecoder(1 << 20, PROTOCOL_VERSION, true, 2).push(cat(prologue(), frameHeader(1025)));
    expect(early.error).toEqual({ kind: 'frame-too-large', length: 1025, max: 1024 });
  });
});

describe('FrameDecoder properties', () => {
  it('yields the same frames however the bytes are split', async () => {
    const fc = await import('fast-check');
    fc.assert(fc.property(
      fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }),
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 50 }),
      (payloads, cuts) => {
        const wire = cat(prologue(), ...payloads.map(framed));
        const d = new FrameDecoder(1000);
        const got: Uint8Array[] = [];
        let off = 0;
        for (let i = 0; off < wire.length; i++) {
          const n = cuts[i % cuts.length] as number;
          const r = d.push(wire.subarray(off, off + n));
          if (r.error !== undefined) return false;
          got.push(...r.frames);
          off += n;
        }
        expect(got).toEqual(payloads);
        return true;
      },
    ), { numRuns: 200 });
  });

  it('never throws on arbitrary bytes, and stops at the first error', async () => {
    const fc = await import('fast-check');
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 10 }), fc.boolean(), (chunks, withPrologue) => {
      const d = new FrameDecoder(50);
      if (withPrologue) d.push(prologue());
      let failed = false;
      for (const c of chunks) {
        const r = d.push(c);
        if (failed) expect(r.frames).toEqual([]);
        if (r.error !== undefined) failed = true;
        for (const f of r.frames) expect(f.length).toBeLessThanOrEqual(50);
      }
    }), { numRuns: 300 });
  });
});
