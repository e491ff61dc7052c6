/** Length-prefixed framing with a version prologue (ARCHITECTURE §4: "a length-prefixed frame,
 *  a version number, a maximum frame size").
 *
 *  On connect each side first writes the 8-byte prologue `"OFST" ‖ u32 BE version`, then frames
 *  `u32 BE length ‖ payload`. A length above the maximum closes the connection before anything
 *  is buffered. */

export const PROTOCOL_VERSION = 1;
export const PROLOGUE_MAGIC = Uint8Array.of(0x4f, 0x46, 0x53, 0x54); // "OFST"
export const PROLOGUE_LEN = 8;
export const FRAME_HEADER_LEN = 4;

/** The largest application message guaranteed to fit every path, nested relays included
 *  (the original's MAX_FRAME_LENGTH, reference/funder.md §0.3). */
export const MAX_MESSAGE_LENGTH = 1 << 20;
/** Secure channel overhead per frame: 12 nonce + 16 tag + 1 message tag, rounded up. */
export const CHANNEL_OVERHEAD = 64;
/** TCP frames carry up to two nested secure channels (client ⇄ relay around node ⇄ node). */
export const MAX_FRAME_LENGTH = MAX_MESSAGE_LENGTH + 2 * CHANNEL_OVERHEAD;
/** The limit on a server's first `handshakeFrames` frames (handshake messages are ≤ 160 bytes,
 *  the first encrypted ones small too). */
export const SMALL_FRAME_LENGTH = 1024;
/** Frames a secure channel plus one small first message take: ExchangeRandNonce, ExchangeDh,
 *  the key-confirming keepalive, and e.g. the relay's InitConnection. */
export const HANDSHAKE_FRAMES = 4;

export function prologue(version: number = PROTOCOL_VERSION): Uint8Array {
  const p = new Uint8Array(PROLOGUE_LEN);
  p.set(PROLOGUE_MAGIC, 0);
  new DataView(p.buffer).setUint32(4, version);
  return p;
}

export function frameHeader(length: number): Uint8Array {
  const h = new Uint8Array(FRAME_HEADER_LEN);
  new DataView(h.buffer).setUint32(0, length);
  return h;
}

export type DecoderError =
  | { readonly kind: 'bad-prologue'; readonly detail: string }
  | { readonly kind: 'version-mismatch'; readonly ours: number; readonly theirs: number }
  | { readonly kind: 'frame-too-large'; readonly length: number; readonly max: number };

/** Incremental decoder: feed it chunks as they arrive, get whole frames out. Copies each frame
 *  once, however many chunks it spans. */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private needPrologue: boolean;
  private failed: DecoderError | undefined;
  private smallLeft: number;

  /** `smallFrames`: how many first frames may be at most SMALL_FRAME_LENGTH long (a server
   *  sets it to cover the handshake, so an unauthenticated peer cannot make it buffer 1 MiB). */
  constructor(
    private readonly maxFrameLength: number,
    private readonly version: number = PROTOCOL_VERSION,
    expectPrologue = true,
    smallFrames = 0,
  ) {
    this.needPrologue = expectPrologue;
    this.smallLeft = smallFrames;
  }

  /** Returns the frames completed by this chunk, or the first error (after which it stops). */
  push(chunk: Uint8Array): { frames: Uint8Array[]; error?: DecoderError } {
    const frames: Uint8Array[] = [];
    if (this.failed !== undefined) return { frames, error: this.failed };
    if (chunk.length > 0) { this.chunks.push(chunk); this.buffered += chunk.length; }
    for (;;) {
      if (this.needPrologue) {
        if (this.buffered < PROLOGUE_LEN) {
          // reject a wrong magic as soon as its bytes arrive (a slow garbage sender is cut early)
          const seen = this.peek(Math.min(this.buffered, 4));
          for (let i = 0; i < seen.length; i++) {
            if (seen[i] !== PROLOGUE_MAGIC[i]) return this.fail(frames, { kind: 'bad-prologue', detail: 'not an Offset peer' });
          }
          return { frames };
        }
        const p = this.take(PROLOGUE_LEN);
        for (let i = 0; i < 4; i++) {
          if (p[i] !== PROLOGUE_MAGIC[i]) return this.fail(frames, { kind: 'bad-prologue', detail: 'not an Offset peer' });
        }
        const theirs = new DataView(p.buffer, p.byteOffset, 8).getUint32(4);
        if (theirs !== this.version) return this.fail(frames, { kind: 'version-mismatch', ours: this.version, theirs });
        this.needPrologue = false;
        continue;
      }
      if (this.buffered < FRAME_HEADER_LEN) return { frames };
      const h = this.peek(FRAME_HEADER_LEN);
      const length = new DataView(h.buffer, h.byteOffset, 4).getUint32(0);
      const max = this.smallLeft > 0 ? Math.min(SMALL_FRAME_LENGTH, this.maxFrameLength) : this.maxFrameLength;
      if (length > max) return this.fail(frames, { kind: 'frame-too-large', length, max });
      if (this.buffered < FRAME_HEADER_LEN + length) return { frames };
      if (this.smallLeft > 0) this.smallLeft--;
      this.take(FRAME_HEADER_LEN);
      frames.push(this.take(length));
    }
  }

  private fail(frames: Uint8Array[], error: DecoderError): { frames: Uint8Array[]; error: DecoderError } {
    this.failed = error;
    this.chunks = [];
    this.buffered = 0;
    return { frames, error };
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    let off = 0;
    for (const c of this.chunks) {
      if (off >= n) break;
      const k = Math.min(c.length, n - off);
      out.set(c.subarray(0, k), off);
      off += k;
    }
    return out;
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= n) {
      const out = first.slice(0, n);
      if (first.length === n) this.chunks.shift(); else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return out;
    }
    const out = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      const c = this.chunks[0] as Uint8Array;
      const k = Math.min(c.length, n - off);
      out.set(c.subarray(0, k), off);
      off += k;
      if (k === c.length) this.chunks.shift(); else this.chunks[0] = c.subarray(k);
    }
    this.buffered -= n;
    return out;
  }
}

export function describeDecoderError(e: DecoderError): string {
  switch (e.kind) {
    case 'bad-prologue': return e.detail;
    case 'version-mismatch': return `protocol version mismatch: ours ${e.ours}, theirs ${e.theirs}`;
    case 'frame-too-large': return `frame of ${e.length} bytes exceeds the maximum ${e.max}`;
  }
}
