/** One shared list of hostile byte strings (STYLE §9, after noble's TYPE_TEST): every decoder's tests
 *  feed these to `decodeExact` and expect `{ ok: false }` (or a valid value), never an exception.
 *  Browser-safe and deterministic; each call returns fresh copies, so a test cannot spoil another. */

export interface HostileInput {
  readonly name: string;
  readonly bytes: Uint8Array;
}

const u32be = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const fill = (n: number, b: number): number[] => new Array<number>(n).fill(b);

function pseudoRandom(seed: number, length: number): number[] {
  let x = seed | 0 || 1; // xorshift32, as crypto/seeded-random.ts; codec may not import crypto
  return Array.from({ length }, () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return x & 0xff;
  });
}

function cases(): [string, number[]][] {
  const out: [string, number[]][] = [
    ['empty', []],
    ['one 0x00', [0x00]],
    ['one 0x01', [0x01]],
    ['one 0x02 (bad bool/option tag)', [0x02]],
    ['one 0xff', [0xff]],
  ];
  for (const n of [2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 1024]) out.push([`${n} × 0xff`, fill(n, 0xff)]);
  for (const n of [4, 8, 16, 32, 64, 1024]) out.push([`${n} × 0x00`, fill(n, 0x00)]);
  for (const [name, len] of [['0xffffffff', 0xffffffff], ['0x80000000', 0x80000000], ['0x7fffffff', 0x7fffffff],
    ['1 MiB', 1 << 20], ['65536', 65536], ['4097', 4097], ['1025', 1025], ['257', 257]] as const) {
    out.push([`length prefix ${name} alone`, u32be(len)]);
    out.push([`length prefix ${name} then 8 bytes`, [...u32be(len), ...fill(8, 0x41)]]);
    out.push([`tag 0x01 then length prefix ${name}`, [0x01, ...u32be(len), ...fill(4, 0)]]);
  }
  for (let tag = 2; tag <= 0xff; tag += tag < 16 ? 1 : 37) out.push([`tag 0x${tag.toString(16)} then zeros`, [tag, ...fill(40, 0)]]);
  out.push(
    ['utf-8: truncated two-byte sequence', [...u32be(1), 0xc3]],
    ['utf-8: bad continuation', [...u32be(2), 0xc3, 0x28]],
    ['utf-8: overlong NUL', [...u32be(2), 0xc0, 0x80]],
    ['utf-8: overlong slash', [...u32be(3), 0xe0, 0x80, 0xaf]],
    ['utf-8: UTF-16 surrogate', [...u32be(3), 0xed, 0xa0, 0x80]],
    ['utf-8: above U+10FFFF', [...u32be(4), 0xf4, 0x90, 0x80, 0x80]],
    ['utf-8: 0xfe byte', [...u32be(1), 0xfe]],
    ['length 3, two bytes follow', [...u32be(3), 0x61, 0x62]],
    ['length 0 then a trailing byte', [...u32be(0), 0x00]],
  );
  for (let i = 1; i <= 24; i++) out.push([`pseudo-random #${i}`, pseudoRandom(i * 7919, (i * 37) % 300 + 1)]);
  return out;
}

export function hostileInputs(): readonly HostileInput[] {
  return cases().map(([name, bytes]) => ({ name, bytes: Uint8Array.from(bytes) }));
}

/** Every strict prefix of a valid encoding and the encoding with one extra byte (0x00, 0xff): a
 *  strict decoder rejects them all. */
export function truncationsAndExtensions(valid: Uint8Array): readonly HostileInput[] {
  const out: HostileInput[] = [];
  for (let n = 0; n < valid.length; n++) out.push({ name: `first ${n} of ${valid.length} bytes`, bytes: valid.slice(0, n) });
  for (const b of [0x00, 0xff]) {
    const longer = new Uint8Array(valid.length + 1);
    longer.set(valid);
    longer[valid.length] = b;
    out.push({ name: `trailing 0x${b.toString(16).padStart(2, '0')}`, bytes: longer });
  }
  return out;
}
