/** Valid seeds for any binary codec without writing a generator per message: a Reader that makes
 *  up each value as the codec asks for it (small lengths, low tags, printable text) and records the
 *  bytes it handed out. When the decode succeeds, those bytes are a valid encoding; `decodeExact`
 *  confirms it before the bytes become a seed. */
import { type Codec, DecodeError, Reader, decodeExact } from '../../src-core/codec/index.ts';
import type { Prng } from './prng.ts';

const MAX_GENERATED = 64 << 10;

class GenReader extends Reader {
  readonly out: number[] = [];

  /** `empty`: how often a u32 (mostly a length) is 0; deep structures need a high value to
   *  come out valid at all, flat ones a low value to come out interesting. */
  constructor(private readonly r: Prng, private readonly empty: number) { super(new Uint8Array(0)); }

  override get offset(): number { return this.out.length; }
  override get remaining(): number { return MAX_GENERATED; }

  override fail(code: ConstructorParameters<typeof DecodeError>[0], detail = '', at = this.out.length): never {
    throw new DecodeError(code, at, this.field, detail);
  }

  private emit(bytes: readonly number[]): void {
    if (this.out.length + bytes.length > MAX_GENERATED) this.fail('too-long', 'generated seed too large');
    for (const b of bytes) this.out.push(b & 0xff);
  }

  override u8(): number {
    const r = this.r;
    const v = r.chance(0.6) ? r.below(4) : r.chance(0.5) ? r.below(16) : r.below(256);
    this.emit([v]);
    return v;
  }

  override u16(): number {
    const v = this.r.chance(0.5) ? this.r.below(8) : this.r.below(0x10000);
    this.emit([v >>> 8, v]);
    return v;
  }

  override u32(): number {
    // mostly a length prefix or a small counter; sometimes any value
    const r = this.r;
    const v = r.chance(this.empty) ? 0 : r.chance(0.7) ? 1 + r.below(3) : r.chance(0.7) ? r.below(40) : r.u32();
    this.emit([v >>> 24, v >>> 16, v >>> 8, v]);
    return v >>> 0;
  }

  override u64(): bigint {
    const r = this.r;
    const bytes = r.chance(0.4) ? [0, 0, 0, 0, 0, 0, 0, r.below(256)] : Array.from(r.bytes(8));
    this.emit(bytes);
    return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
  }

  override take(n: number): Uint8Array {
    const r = this.r;
    // printable ASCII half the time, so utf8 fields decode; random bytes for keys and hashes
    const bytes = r.chance(0.5) ? Array.from({ length: n }, () => 0x61 + r.below(26)) : Array.from(r.bytes(n));
    this.emit(bytes);
    return Uint8Array.from(bytes);
  }
}

/** Up to `want` distinct valid encodings of `codec`, from at most `attempts` tries. */
export function validSeeds<T>(codec: Codec<T>, r: Prng, want: number, attempts = want * 200): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (let i = 0; i < attempts && out.length < want; i++) {
    const g = new GenReader(r, [0.2, 0.5, 0.9][i % 3] as number);
    try {
      codec.decode(g);
    } catch (e) {
      if (e instanceof DecodeError) continue;
      throw e;
    }
    const bytes = Uint8Array.from(g.out);
    if (!decodeExact(codec, bytes).ok) continue;
    const k = Buffer.from(bytes).toString('hex');
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(bytes);
  }
  return out;
}
