/** Bounds-checked big-endian reader: every read past the end throws DecodeError('truncated'). */
import { DecodeError } from './errors.ts';

export class Reader {
  private readonly view: DataView;
  private pos = 0;
  /** Field path for error messages, maintained by the struct/list combinators. */
  readonly path: string[] = [];

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get offset(): number { return this.pos; }
  get remaining(): number { return this.buf.length - this.pos; }

  /** The field being decoded, as people write it: `route[2].publicKey`. */
  get field(): string {
    let out = '';
    for (const part of this.path) out += part.startsWith('[') || out === '' ? part : `.${part}`;
    return out;
  }

  /** `at`: where the offending value starts (its tag or length prefix), by default the current offset. */
  fail(code: ConstructorParameters<typeof DecodeError>[0], detail = '', at = this.pos): never {
    throw new DecodeError(code, at, this.field, detail);
  }

  private need(n: number): number {
    if (n > this.remaining) this.fail('truncated', `need ${n} bytes, have ${this.remaining}`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number { return this.view.getUint8(this.need(1)); }
  u16(): number { return this.view.getUint16(this.need(2)); }
  u32(): number { return this.view.getUint32(this.need(4)); }
  u64(): bigint { return this.view.getBigUint64(this.need(8)); }
  /** A copy, so decoded values never alias the input buffer. */
  take(n: number): Uint8Array { const at = this.need(n); return this.buf.slice(at, at + n); }
}
