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

  // reserve() may swap buffers, so it runs before `this.view`/`this.buf` are read
  u8(v: number): void { const at = this.reserve(1); this.view.setUint8(at, v); }
  u16(v: number): void { const at = this.reserve(2); this.view.setUint16(at, v); }
  u32(v: number): void { const at = this.reserve(4); this.view.setUint32(at, v); }
  u64(v: bigint): void { const at = this.reserve(8); this.view.setBigUint64(at, v); }
  bytes(b: Uint8Array): void { const at = this.reserve(b.length); this.buf.set(b, at); }

  /** A copy of what was written. */
  finish(): Uint8Array { return this.buf.slice(0, this.len); }
}
