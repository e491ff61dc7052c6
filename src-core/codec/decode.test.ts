/** decodeExact on bad input: it returns { ok: false } with a precise code, never throws, never reads
 *  past a declared maximum, and accepts exactly one encoding per value (canonical). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Codec, DecodeError, type DecodeErrorCode, bool, bytes, decodeExact, describeDecodeError, encode, fixedBytes,
  hostileInputs, list, option, refine, struct, truncationsAndExtensions, u128, u16, u32, u8, union, unit, utf8,
} from './index.ts';
import { envelope, payment } from './test-fixtures.ts';

const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const bytesOf = (...parts: (number | number[])[]): Uint8Array => Uint8Array.from(parts.flat());

function failure<T>(c: Codec<T>, input: Uint8Array): DecodeError {
  const r = decodeExact(c, input);
  if (r.ok) throw new Error(`expected a decode failure, got ${String(r.value)}`);
  return r.error;
}

const sampleEnvelope = {
  version: 1,
  balance: -42n,
  sequence: 7n,
  ops: [
    { kind: 'request' as const, requestId: new Uint8Array(16).fill(3), route: [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)], amount: 10n },
    { kind: 'note' as const, text: 'thanks — 谢谢', urgent: true },
    { kind: 'ping' as const },
    { kind: 'cancel' as const, requestId: new Uint8Array(16).fill(9) },
  ],
  memo: Uint8Array.of(1, 2, 3),
};

/** Several composite codecs, each with a valid sample, for the properties below. */
const COMPOSITES: [string, Codec<unknown>, unknown][] = [
  ['envelope (struct of list of union …)', envelope as Codec<unknown>, sampleEnvelope],
  ['union', payment as Codec<unknown>, sampleEnvelope.ops[0]],
  ['list of utf8', list(utf8({ maxBytes: 16 }), { max: 4 }) as Codec<unknown>, ['a', 'ünï', '']],
  ['option of list of bool', option(list(bool, { max: 8 })) as Codec<unknown>, [true, false, true]],
  ['bytes', bytes({ max: 64 }) as Codec<unknown>, Uint8Array.of(5, 6, 7)],
  ['fixedBytes(32)', fixedBytes(32) as Codec<unknown>, new Uint8Array(32).fill(0xee)],
  ['u128', u128 as Codec<unknown>, 123456789n],
];

describe.each(COMPOSITES)('decodeExact(%s)', (_name, c, sample) => {
  it('never throws on the shared hostile inputs, and accepts only canonical encodings', () => {
    for (const { name, bytes: input } of hostileInputs()) {
      const r = decodeExact(c, input);
      expect([name, r.ok || r.error instanceof DecodeError]).toEqual([name, true]);
      if (r.ok) expect([name, encode(c, r.value)]).toEqual([name, input]);
    }
  });

  it('never throws on random bytes, and re-encodes whatever it accepts to the same bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (input) => {
      const r = decodeExact(c, input);
      if (r.ok) expect(encode(c, r.value)).toEqual(input);
      else expect(r.error).toBeInstanceOf(DecodeError);
    }), { numRuns: 500 });
  });

  it('never throws on a valid encoding with random bytes overwritten', () => {
    const valid = encode(c, sample);
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
      const input = Uint8Array.from(valid);
      for (const [at, b] of edits) input[at % input.length] = b;
      const r = decodeExact(c, input);
      if (r.ok) expect(encode(c, r.value)).toEqual(input);
      else expect(r.error).toBeInstanceOf(DecodeError);
    }), { numRuns: 300 });
  });

  it('rejects every truncation and any trailing byte of a valid encoding', () => {
    const valid = encode(c, sample);
    expect(decodeExact(c, valid)).toEqual({ ok: true, value: sample });
    for (const { name, bytes: input } of truncationsAndExtensions(valid)) {
      const r = decodeExact(c, input);
      expect([name, r.ok ? 'accepted' : r.error.code]).toEqual([name, name.startsWith('trailing') ? 'trailing-bytes' : 'truncated']);
    }
  });
});

describe('decodeExact error codes', () => {
  it.each([
    ['bool byte 2', bool, bytesOf(2), 'bad-bool', 0],
    ['bool byte 0xff', bool, bytesOf(0xff), 'bad-bool', 0],
    ['option tag 2', option(u8), bytesOf(2, 0), 'bad-tag', 0],
    ['unknown union tag 0', payment, bytesOf(0), 'bad-tag', 0],
    ['unknown union tag 5 after a valid value', struct({ a: u8, op: payment }), bytesOf(9, 5, 0, 0), 'bad-tag', 1],
    ['bytes length 0xffffffff with nothing after (rejected before reading)', bytes({ max: 64 }), bytesOf(be32(0xffffffff)), 'too-long', 0],
    ['bytes length max + 1', bytes({ max: 4 }), bytesOf(be32(5), [1, 2, 3, 4, 5]), 'too-long', 0],
    ['bytes length within max but past the end', bytes({ max: 64 }), bytesOf(be32(10), [1, 2]), 'truncated', 4],
    ['list of 0xffffffff items', list(u8, { max: 1000 }), bytesOf(be32(0xffffffff)), 'too-long', 0],
    ['list over max', list(u8, { max: 2 }), bytesOf(be32(3), [1, 2, 3]), 'too-long', 0],
    ['list with fewer items than declared', list(u16, { max: 9 }), bytesOf(be32(3), [0, 1, 0, 2]), 'truncated', 8],
    ['string over max bytes', utf8({ maxBytes: 3 }), bytesOf(be32(4), [0x61, 0x61, 0x61, 0x61]), 'too-long', 0],
    ['invalid UTF-8 (bad continuation)', utf8({ maxBytes: 8 }), bytesOf(be32(2), [0xc3, 0x28]), 'bad-utf8', 0],
    ['overlong UTF-8 NUL', utf8({ maxBytes: 8 }), bytesOf(be32(2), [0xc0, 0x80]), 'bad-utf8', 0],
    ['UTF-8 encoded surrogate', utf8({ maxBytes: 8 }), bytesOf(be32(3), [0xed, 0xa0, 0x80]), 'bad-utf8', 0],
    ['UTF-8 cut inside a character', utf8({ maxBytes: 8 }), bytesOf(be32(1), [0xe6]), 'bad-utf8', 0],
    ['refine rejecting a value', refine(u16, (v) => (v === 0 ? 'zero is not allowed' : undefined)), bytesOf(0, 0), 'invalid', 0],
    ['one trailing byte', u16, bytesOf(0, 1, 2), 'trailing-bytes', 2],
    ['empty input', u32, bytesOf(), 'truncated', 0],
  ] as [string, Codec<unknown>, Uint8Array, DecodeErrorCode, number][])('reports %s with the offset where the bad value starts', (_name, c, input, code, offset) => {
    const e = failure(c, input);
    expect([e.code, e.offset]).toEqual([code, offset]);
  });

  it('names the field path of a failure deep inside a value', () => {
    const c = struct({ friends: list(struct({ name: utf8({ maxBytes: 8 }), enabled: bool }), { max: 4 }) });
    const input = bytesOf(be32(2), be32(1), 0x61, 1, be32(1), 0x62, 7);
    const e = failure(c, input);
    expect([e.code, e.field, e.offset]).toEqual(['bad-bool', 'friends[1].enabled', 15]);
    const u = failure(struct({ op: payment }), bytesOf(3, be32(1), 0x61, 9));
    expect(u.field).toBe('op.note.urgent');
  });

  it('lets the failing field path go once a field decodes (paths do not leak between calls)', () => {
    const c = struct({ a: list(u8, { max: 2 }), b: bool });
    expect(failure(c, bytesOf(be32(1), 1, 5)).field).toBe('b');
    expect(failure(c, bytesOf(be32(1))).field).toBe('a[0]');
  });

  it('does not allocate for a declared length it cannot have: a 4-byte input claiming 4 GiB fails at once', () => {
    const huge = list(bytes({ max: 0xffffffff }), { max: 0xffffffff });
    const e = failure(huge, bytesOf(be32(0xffffffff)));
    expect(e.code).toBe('truncated');
    expect(failure(bytes({ max: 0xffffffff }), bytesOf(be32(0xffffffff), 1)).code).toBe('truncated');
  });
});

describe('decodeExact values', () => {
  it('returns bytes that do not alias the input', () => {
    const input = bytesOf(be32(2), [7, 8]);
    const r = decodeExact(bytes({ max: 4 }), input);
    input.fill(0);
    expect(r).toEqual({ ok: true, value: Uint8Array.of(7, 8) });
  });

  it('reads a subarray at its own offset, not the start of the underlying buffer', () => {
    const buf = Uint8Array.of(0xff, 0xff, 0xff, 0, 0, 1, 2, 0xff);
    expect(decodeExact(u32, buf.subarray(3, 7))).toEqual({ ok: true, value: 0x0102 });
    expect(decodeExact(u32, buf.subarray(3, 8)).ok).toBe(false);
  });

  it('decodes a list of zero-size items', () => {
    expect(decodeExact(list(unit, { max: 3 }), bytesOf(be32(3)))).toEqual({ ok: true, value: [{}, {}, {}] });
    expect(failure(list(unit, { max: 3 }), bytesOf(be32(4))).code).toBe('too-long');
  });

  it('lets a bug in a codec (not bad input) escape as itself', () => {
    const broken: Codec<number> = { encode() {}, decode() { throw new TypeError('bug'); } };
    expect(() => decodeExact(broken, bytesOf(0))).toThrow(TypeError);
  });
});

describe('describeDecodeError', () => {
  it('gives one line naming the thing, the problem, the field and the byte', () => {
    const c = struct({ friends: list(struct({ enabled: bool }), { max: 4 }) });
    const e = failure(c, bytesOf(be32(1), 2));
    expect(describeDecodeError(e, 'friend file')).toBe('friend file has a boolean that is neither 0 nor 1 in friends[0].enabled at byte 4 (byte 2)');
  });

  it('has a sentence for every code and never a line break', () => {
    const codes: DecodeErrorCode[] = ['truncated', 'trailing-bytes', 'too-long', 'bad-tag', 'out-of-range', 'bad-bool',
      'bad-utf8', 'non-canonical', 'invalid'];
    const sentences = codes.map((code) => describeDecodeError(new DecodeError(code, 3, '', 'a\nb'), 'x'));
    for (const s of sentences) {
      expect(s).toMatch(/^x \S.* at byte 3 \(a b\)$/);
      expect(s).not.toMatch(/undefined|\n/);
    }
    expect(new Set(sentences).size).toBe(codes.length);
  });
});
