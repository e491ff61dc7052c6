/** Growable big-endian byte writer. */
export class Writer {
  private buf = new Uint8Array(64);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  get length(): number { return this.len; }

  private reserve(n: number): number {
    const at = this.len;
    if (at + n > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < at + n) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.len += n;
    return at;
  }

  u8(v: number): void { this.view.setUint8(this.reserve(1), v); }
  u16(v: number): void { this.view.setUint16(this.reserve(2), v); }
  u32(v: number): void { this.view.setUint32(this.reserve(4), v); }
  u64(v: bigint): void { this.view.setBigUint64(this.reserve(8), v); }
  bytes(b: Uint8Array): void { this.buf.set(b, this.reserve(b.length)); }

  /** A copy of what was written. */
  finish(): Uint8Array { return this.buf.slice(0, this.len); }
}
