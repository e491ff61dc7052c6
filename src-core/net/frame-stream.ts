/** FrameStream: an ordered, reliable stream of whole frames (bounded in size) with backpressure
 *  both ways. TCP (`tcp.node.ts`), the secure channel and relay tunnels all implement it, so the
 *  secure channel runs over any of them, nested (node ⇄ relay ⇄ node). */
import { type CloseReason, ChannelClosedError, closeReason } from './close-reason.ts';
import { FrameInbox } from './inbox.ts';

export interface FrameStream extends AsyncIterable<Uint8Array> {
  /** The largest frame `send` accepts and the peer may send. */
  readonly maxFrameLength: number;
  /** Queues one frame. Resolves when the writer may send more (its buffer is below the
   *  high-water mark); rejects with ChannelClosedError once closed. Frames go out in call order
   *  even when the caller does not await. */
  send(frame: Uint8Array): Promise<void>;
  /** The next frame, or `undefined` once the stream has closed and everything is read. */
  receive(): Promise<Uint8Array | undefined>;
  /** Idempotent. Frames not yet read are dropped. */
  close(reason?: CloseReason): void;
  /** Resolves (never rejects) with the first close reason. */
  readonly closed: Promise<CloseReason>;
  readonly closeReason: CloseReason | undefined;
}

/** Shared plumbing: the inbox, the close promise, async iteration. */
export abstract class FrameStreamBase implements FrameStream {
  protected readonly inbox: FrameInbox;
  private reason: CloseReason | undefined;
  private resolveClosed!: (r: CloseReason) => void;
  readonly closed: Promise<CloseReason>;

  constructor(readonly maxFrameLength: number, highWaterBytes: number) {
    this.inbox = new FrameInbox(Math.max(highWaterBytes, 1), () => this.pauseInput(), () => this.resumeInput());
    this.closed = new Promise((r) => { this.resolveClosed = r; });
  }

  get closeReason(): CloseReason | undefined { return this.reason; }

  abstract send(frame: Uint8Array): Promise<void>;
  protected abstract teardown(reason: CloseReason): void;
  protected pauseInput(): void {}
  protected resumeInput(): void {}

  receive(): Promise<Uint8Array | undefined> { return this.inbox.receive(); }

  close(reason: CloseReason = closeReason('local')): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    if (reason.kind === 'local' || reason.kind === 'shutdown') this.inbox.clear();
    this.inbox.end();
    try {
      this.teardown(reason);
    } finally {
      this.resolveClosed(reason);
    }
  }

  protected closedError(): ChannelClosedError {
    return new ChannelClosedError(this.reason ?? closeReason('local'));
  }

  protected checkFrame(frame: Uint8Array): void {
    if (!(frame instanceof Uint8Array)) throw new TypeError('frame: expected Uint8Array');
    if (frame.length > this.maxFrameLength) {
      throw new RangeError(`frame of ${frame.length} bytes exceeds the maximum ${this.maxFrameLength}`);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const f = await this.receive();
      if (f === undefined) return;
      yield f;
    }
  }
}
