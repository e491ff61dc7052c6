/** What the app protocol needs from a connection: ordered, reliable whole messages. The net
 *  layer's FrameStream and SecureChannel satisfy it as they are (stctrl ⇄ stnode over TCP); the
 *  wallet host joins a local card's engine and its client with `transportPair`. Browser-safe. */

export interface MessageTransport {
  /** Queues one message; rejects once the transport is closed. */
  send(message: Uint8Array): Promise<void>;
  /** The next message, or `undefined` once the transport has closed. */
  receive(): Promise<Uint8Array | undefined>;
  /** Idempotent. */
  close(): void;
}

class PairEnd implements MessageTransport {
  private readonly queue: Uint8Array[] = [];
  private readonly waiting: ((m: Uint8Array | undefined) => void)[] = [];
  private ended = false;
  peer!: PairEnd;

  deliver(m: Uint8Array): void {
    const w = this.waiting.shift();
    if (w !== undefined) w(m); else this.queue.push(m);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const w of this.waiting.splice(0)) w(undefined);
  }

  send(message: Uint8Array): Promise<void> {
    if (this.ended) return Promise.reject(new Error('transport closed'));
    // A copy: the sender may reuse its buffer, as it could with a socket
    this.peer.deliver(message.slice());
    return Promise.resolve();
  }

  receive(): Promise<Uint8Array | undefined> {
    const m = this.queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  close(): void {
    // Like a socket: our unread messages are dropped; the peer reads what was already sent, then the end
    this.queue.length = 0;
    this.end();
    this.peer.end();
  }
}

/** Two connected in-memory ends. Closing either closes both. */
export function transportPair(): [MessageTransport, MessageTransport] {
  const a = new PairEnd();
  const b = new PairEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
