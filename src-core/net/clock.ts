/** Time for shell code (backoff, keepalive, expiry): injectable so tests are exact and fast
 *  (ARCHITECTURE §4 "Time"). Pure code takes `now` as a value instead. */

export interface Timer { cancel(): void }

export interface Clock {
  now(): number;
  /** Calls `fn` once after `ms` milliseconds of this clock's time. */
  after(ms: number, fn: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    // timers never keep a process alive on their own; sockets and servers do
    (t as { unref?: () => void }).unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

/** A clock that moves only when told, running due callbacks in time order (lnd's TestClock). */
export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  constructor(start = 0) { this.time = start; }

  now(): number { return this.time; }

  after(ms: number, fn: () => void): Timer {
    const id = this.seq++;
    this.pending.set(id, { at: this.time + Math.max(0, ms), fn });
    return { cancel: () => { this.pending.delete(id); } };
  }

  /** Advances time by `ms`, firing every callback that falls due, including ones scheduled meanwhile. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.pending) if (e[1].at <= target && (next === undefined || e[1].at < next[1].at)) next = e;
      if (next === undefined) break;
      this.pending.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
    }
    this.time = target;
  }

  get pendingCount(): number { return this.pending.size; }
}
