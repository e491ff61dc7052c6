/** TCP transport: a FrameStream over a node socket, with the version prologue, the frame
 *  size limit and backpressure both ways (a reader that stops reading pauses the socket; a
 *  writer whose peer does not read is cut off past `maxSendBufferBytes`). */
import * as net from 'node:net';
import { type CloseReason, ChannelClosedError, closeReason } from './close-reason.ts';
import { FRAME_HEADER_LEN, FrameDecoder, HANDSHAKE_FRAMES, MAX_FRAME_LENGTH, PROTOCOL_VERSION, describeDecoderError, frameHeader, prologue } from './frame.ts';
import { type FrameStream, FrameStreamBase } from './frame-stream.ts';

export interface TcpOptions {
  readonly maxFrameLength?: number;
  readonly version?: number;
  /** Frames received but not yet read, before the socket is paused. */
  readonly highWaterBytes?: number;
  /** Bytes queued for a peer that does not read, before the connection is cut. */
  readonly maxSendBufferBytes?: number;
  /** One line per notable event (version mismatch, oversize frame). */
  readonly log?: (line: string) => void;
  /** How many first incoming frames are limited to SMALL_FRAME_LENGTH, so that a peer that has
   *  not authenticated cannot make us hold a large frame. Default: HANDSHAKE_FRAMES on streams
   *  accepted by tcpListen, 0 on tcpConnect. */
  readonly handshakeFrames?: number;
}

const DEFAULT_HIGH_WATER = 1 << 20;
const DEFAULT_MAX_SEND_BUFFER = 8 << 20;
const WRITE_HIGH_WATER = 256 << 10;

/** "host:port"; IPv6 as "[::1]:port". */
export function parseHostPort(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(address.trim());
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || !(port >= 0 && port <= 65535)) throw new RangeError(`bad address "${address}": expected HOST:PORT`);
  return { host: (m[1] ?? m[2]) as string, port };
}

export class TcpFrameStream extends FrameStreamBase {
  private readonly decoder: FrameDecoder;
  private readonly maxSendBuffer: number;
  private drainWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  // frames queued in this turn of the event loop go out together, in one writev
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;
  readonly remoteAddress: string;

  constructor(private readonly socket: net.Socket, opts: TcpOptions = {}) {
    super(opts.maxFrameLength ?? MAX_FRAME_LENGTH, opts.highWaterBytes ?? DEFAULT_HIGH_WATER);
    this.maxSendBuffer = opts.maxSendBufferBytes ?? DEFAULT_MAX_SEND_BUFFER;
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const log = opts.log ?? (() => {});
    this.decoder = new FrameDecoder(this.maxFrameLength, opts.version ?? PROTOCOL_VERSION, true, opts.handshakeFrames ?? 0);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      const { frames, error } = this.decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      for (const f of frames) this.inbox.push(f);
      if (error !== undefined) {
        const detail = describeDecoderError(error);
        log(`net: closing connection with ${this.remoteAddress}: ${detail}`);
        this.close(closeReason(error.kind, detail));
      }
    });
    socket.on('end', () => this.close(closeReason('eof')));
    socket.on('error', (e) => this.close(closeReason('io-error', e.message)));
    socket.on('close', () => this.close(closeReason('eof', 'socket closed')));
    socket.on('drain', () => this.wakeDrain());
    socket.write(prologue(opts.version ?? PROTOCOL_VERSION));
  }

  send(frame: Uint8Array): Promise<void> {
    if (this.closeReason !== undefined) return Promise.reject(this.closedError());
    this.checkFrame(frame);
    this.pending.push(frameHeader(frame.length), frame);
    this.pendingBytes += FRAME_HEADER_LEN + frame.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    const queued = this.pendingBytes + this.socket.writableLength;
    if (queued > this.maxSendBuffer) {
      this.close(closeReason('send-overflow', `${queued} bytes queued for a peer that does not read`));
      return Promise.reject(this.closedError());
    }
    if (queued < WRITE_HIGH_WATER) return Promise.resolve();
    return new Promise((resolve, reject) => { this.drainWaiters.push({ resolve, reject }); });
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.socket.destroyed) return;
    const chunks = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.socket.cork();
    for (const c of chunks) this.socket.write(c);
    this.socket.uncork();
    if (this.socket.writableLength < WRITE_HIGH_WATER) this.wakeDrain();
  }

  protected override pauseInput(): void { this.socket.pause(); }
  protected override resumeInput(): void { if (this.closeReason === undefined) this.socket.resume(); }

  protected teardown(reason: CloseReason): void {
    const err = new ChannelClosedError(reason);
    const ws = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of ws) w.reject(err);
    if (reason.kind === 'local' || reason.kind === 'eof') {
      this.flush();
      this.socket.end();
    }
    // end() lets queued frames out; a peer that never closes its side is cut after a grace
    if (reason.kind === 'local' || reason.kind === 'eof') {
      setTimeout(() => this.socket.destroy(), 2000).unref();
    } else {
      this.socket.destroy();
    }
  }

  private wakeDrain(): void {
    const ws = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of ws) w.resolve();
  }
}

/** Connects and writes the prologue; the peer's prologue is checked as it arrives (a mismatch
 *  closes the stream with kind 'version-mismatch' and a log line). */
export function tcpConnect(address: string, opts: TcpOptions = {}): Promise<TcpFrameStream> {
  const { host, port } = parseHostPort(address);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const onError = (e: Error): void => { socket.destroy(); reject(e); };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(new TcpFrameStream(socket, opts));
    });
  });
}

export interface TcpServer {
  /** The bound address as "host:port" (the real port when asked for port 0). */
  readonly address: string;
  readonly port: number;
  /** Stops accepting and closes every accepted stream still open. */
  close(): Promise<void>;
}

export function tcpListen(
  address: string,
  onStream: (stream: FrameStream & { readonly remoteAddress: string }) => void,
  opts: TcpOptions = {},
): Promise<TcpServer> {
  const { host, port } = parseHostPort(address);
  const open = new Set<TcpFrameStream>();
  const streamOpts: TcpOptions = { handshakeFrames: HANDSHAKE_FRAMES, ...opts };
  const server = net.createServer({ pauseOnConnect: false }, (socket) => {
    const s = new TcpFrameStream(socket, streamOpts);
    open.add(s);
    void s.closed.then(() => open.delete(s));
    onStream(s);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      server.on('error', () => {});
      const a = server.address() as net.AddressInfo;
      const shown = a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
      resolve({
        address: shown,
        port: a.port,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          for (const s of open) s.close(closeReason('shutdown'));
        }),
      });
    });
  });
}
