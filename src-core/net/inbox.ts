/** A bounded queue of received frames with one consumer. Crossing the high-water mark asks the
 *  producer to pause (the transport stops reading, so TCP pushes back on the sender); draining
 *  below half of it lets the producer resume. */

export class FrameInbox {
  private items: Uint8Array[] = [];
  private head = 0;
  private bytes = 0;
  private ended = false;
  private paused = false;
  private waiter: ((v: Uint8Array | undefined) => void) | undefined;
  private spaceWaiters: (() => void)[] = [];

  constructor(
    private readonly highWaterBytes: number,
    private readonly onPause: () => void = () => {},
    private readonly onResume: () => void = () => {},
  ) {}

  get full(): boolean { return this.bytes >= this.highWaterBytes; }
  get queuedBytes(): number { return this.bytes; }
  get isEnded(): boolean { return this.ended; }

  push(frame: Uint8Array): void {
    if (this.ended) return;
    const w = this.waiter;
    if (w !== undefined) { this.waiter = undefined; w(frame); return; }
    this.items.push(frame);
    this.bytes += frame.length;
    if (!this.paused && this.full) { this.paused = true; this.onPause(); }
  }

  /** No more frames will arrive; queued ones are still delivered, then `undefined`. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const w = this.waiter;
    if (w !== undefined && this.head >= this.items.length) { this.waiter = undefined; w(undefined); }
    this.wakeSpace();
  }

  /** Drops everything queued (a local close: nobody will read it). */
  clear(): void {
    this.items = [];
    this.head = 0;
    this.bytes = 0;
    this.wakeSpace();
  }

  receive(): Promise<Uint8Array | undefined> {
    if (this.waiter !== undefined) throw new Error('FrameInbox: one consumer at a time');
    if (this.head < this.items.length) {
      const f = this.items[this.head] as Uint8Array;
      this.items[this.head] = EMPTY;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.items.length) { this.items = this.items.slice(this.head); this.head = 0; }
      this.bytes -= f.length;
      if (this.bytes * 2 < this.highWaterBytes || this.bytes === 0) {
        if (this.paused) { this.paused = false; this.onResume(); }
        this.wakeSpace();
      }
      return Promise.resolve(f);
    }
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => { this.waiter = resolve; });
  }

  /** Resolves once the queue is below half its high-water mark (or ended). */
  waitForSpace(): Promise<void> {
    if (!this.full || this.ended) return Promise.resolve();
    return new Promise((resolve) => { this.spaceWaiters.push(resolve); });
  }

  private wakeSpace(): void {
    const ws = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const w of ws) w();
  }
}

const EMPTY = new Uint8Array(0);
