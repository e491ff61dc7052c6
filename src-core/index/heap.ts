/** A binary min-heap of node ids keyed by (primary, secondary), for route search. Entries are never
 *  decreased in place: callers push again and skip stale pops (lazy deletion). */
export class NodeHeap {
  private a = new Float64Array(64);
  private b = new Float64Array(64);
  private n = new Int32Array(64);
  private len = 0;

  get size(): number { return this.len; }

  private grow(): void {
    const cap = this.n.length * 2;
    const a = new Float64Array(cap); a.set(this.a); this.a = a;
    const b = new Float64Array(cap); b.set(this.b); this.b = b;
    const n = new Int32Array(cap); n.set(this.n); this.n = n;
  }

  push(primary: number, secondary: number, node: number): void {
    if (this.len === this.n.length) this.grow();
    const { a, b, n } = this;
    let i = this.len++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pa = a[p] as number;
      if (pa < primary || (pa === primary && (b[p] as number) <= secondary)) break;
      a[i] = pa; b[i] = b[p] as number; n[i] = n[p] as number;
      i = p;
    }
    a[i] = primary; b[i] = secondary; n[i] = node;
  }

  /** Removes the smallest entry and returns its node (its keys land in `out`), or -1 when empty. */
  pop(out: { primary: number; secondary: number }): number {
    if (this.len === 0) return -1;
    const { a, b, n } = this;
    const node = n[0] as number;
    out.primary = a[0] as number;
    out.secondary = b[0] as number;
    const m = --this.len;
    const xa = a[m] as number, xb = b[m] as number, xn = n[m] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= m) break;
      const r = c + 1;
      if (r < m && ((a[r] as number) < (a[c] as number) || ((a[r] as number) === (a[c] as number) && (b[r] as number) < (b[c] as number)))) c = r;
      const ca = a[c] as number;
      if (xa < ca || (xa === ca && xb <= (b[c] as number))) break;
      a[i] = ca; b[i] = b[c] as number; n[i] = n[c] as number;
      i = c;
    }
    a[i] = xa; b[i] = xb; n[i] = xn;
    return node;
  }
}
