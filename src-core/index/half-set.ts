/** What one node reported about its friends in one currency, stored flat (friend ids sorted, one
 *  array per field): about a third of the memory of a Map of objects, and replaced whole on every report. */

/** What u said about v (one half of a friendship). */
export interface Half {
  readonly send: bigint;
  readonly recv: bigint;
  readonly mul: number;
  readonly add: number;
}

export class HalfSet {
  private constructor(
    /** Friend ids, ascending. (Plain arrays: a typed array costs ~200 bytes of header, more than
     *  the ten or so entries a node usually has.) */
    readonly friends: readonly number[],
    readonly send: readonly bigint[],
    readonly recv: readonly bigint[],
    readonly mul: readonly number[],
    readonly add: readonly number[],
  ) {}

  static readonly EMPTY = HalfSet.from(new Map());

  static from(halves: ReadonlyMap<number, Half>): HalfSet {
    const ids = [...halves.keys()].sort((a, b) => a - b);
    const hs = ids.map((v) => halves.get(v) as Half);
    return new HalfSet(ids, hs.map((h) => h.send), hs.map((h) => h.recv), hs.map((h) => h.mul), hs.map((h) => h.add));
  }

  get size(): number { return this.friends.length; }

  /** Position of friend v, or -1. */
  indexOf(v: number): number {
    const f = this.friends;
    let lo = 0, hi = f.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = f[mid] as number;
      if (x === v) return mid;
      if (x < v) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  has(v: number): boolean { return this.indexOf(v) >= 0; }

  get(v: number): Half | undefined {
    const i = this.indexOf(v);
    return i < 0 ? undefined : this.at(i);
  }

  at(i: number): Half {
    return { send: this.send[i] as bigint, recv: this.recv[i] as bigint, mul: this.mul[i] as number, add: this.add[i] as number };
  }

  keys(): Iterable<number> { return this.friends; }
}
