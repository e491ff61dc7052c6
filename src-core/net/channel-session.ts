/** An established secure channel (after the handshake in `secure-channel.ts`): sealed frames
 *  `nonce ‖ ciphertext ‖ tag` with exact counter nonces, batching of what is sent in one turn,
 *  the three-message DH rekey, keepalives and the receive timeout (docs/net.md). */
import { decodeExact, encode } from '../codec/index.ts';
import { AEAD_NONCE_LEN, AEAD_TAG_LEN, type CryptoBackend, type Signer, bytesEqual, compareBytes } from '../crypto/index.ts';
import { BATCH_TAG, type ControlMessage, DATA_TAG, controlMessage, encodeBatch, parseBatch } from './channel-messages.ts';
import { type Clock, type Timer } from './clock.ts';
import { type CloseReason, ChannelClosedError, closeReason } from './close-reason.ts';
import { CHANNEL_OVERHEAD } from './frame.ts';
import { type FrameStream, FrameStreamBase } from './frame-stream.ts';
import { DOMAIN_REKEY, SALT_LEN, concat, deriveKeys } from './handshake.ts';

export interface SecureChannelOptions {
  readonly identity: Signer;
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  /** The peer must prove this identity, or the channel closes with 'wrong-identity'. */
  readonly expectedRemote?: Uint8Array;
  /** Send a keepalive after this long without sending anything. Default 10 s. */
  readonly keepaliveMs?: number;
  /** Close after this long without receiving anything. Default 30 s. */
  readonly timeoutMs?: number;
  /** The whole handshake must finish within this. Default 10 s. */
  readonly handshakeTimeoutMs?: number;
  /** Start a DH rekey this often… Default 10 min. */
  readonly rekeyIntervalMs?: number;
  /** …or after this many frames sent under one key. Default 2^20. */
  readonly rekeyAfterFrames?: number;
  /** Decrypted messages buffered before we stop reading the transport. Default 1 MiB. */
  readonly highWaterBytes?: number;
}

export interface SecureChannel extends FrameStream {
  readonly remotePublicKey: Uint8Array;
  /** Starts a rekey now (no-op while one is in progress). */
  rekey(): void;
  /** Completed rekeys, both initiated and answered. */
  readonly rekeys: number;
}

export const DEFAULTS = {
  keepaliveMs: 10_000,
  timeoutMs: 30_000,
  handshakeTimeoutMs: 10_000,
  rekeyIntervalMs: 10 * 60_000,
  rekeyAfterFrames: 1 << 20,
  highWaterBytes: 1 << 20,
};

/** Queued plaintext above which `send` waits for the transport. */
const BATCH_HIGH_WATER = 64 << 10;

/** Length on the wire of a batch frame whose records take `recordBytes` (each with its u32). */
function batchLength(recordBytes: number): number {
  return AEAD_NONCE_LEN + 1 + recordBytes + AEAD_TAG_LEN;
}

function incrementNonce(nonce: Uint8Array): void {
  for (let i = 0; i < nonce.length; i++) {
    nonce[i] = ((nonce[i] as number) + 1) & 0xff;
    if (nonce[i] !== 0) return;
  }
}

interface PendingRekey { readonly dhPrivate: Uint8Array; readonly dhPublicKey: Uint8Array; readonly salt: Uint8Array }

export class SecureChannelImpl extends FrameStreamBase implements SecureChannel {
  private readonly crypto: CryptoBackend;
  private readonly clock: Clock;
  private readonly keepaliveMs: number;
  private readonly timeoutMs: number;
  private readonly rekeyIntervalMs: number;
  private readonly rekeyAfterFrames: number;
  private sendNonce = new Uint8Array(AEAD_NONCE_LEN);
  private recvNonce = new Uint8Array(AEAD_NONCE_LEN);
  private lastSent: number;
  private lastReceived: number;
  private lastRekey: number;
  private framesUnderKey = 0;
  // Messages queued in one turn of the event loop are sealed together in one frame (one AEAD
  // operation for many small messages); `flush` runs on the next turn, or at once when the
  // batch is full or a key is about to change.
  private queue: Uint8Array[] = [];
  private queueBytes = 0;
  private flushScheduled = false;
  private lowerPending = 0;
  private flushWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private stalled = false;
  private tickTimer: Timer | undefined;
  private pendingRekey: PendingRekey | undefined;
  private awaitingDone: Uint8Array | undefined; // the new receive key, used after the peer's rekeyDone
  private completedRekeys = 0;

  constructor(
    private readonly lower: FrameStream,
    opts: SecureChannelOptions,
    readonly remotePublicKey: Uint8Array,
    private readonly session: Uint8Array,
    private sendKey: Uint8Array,
    private recvKey: Uint8Array,
  ) {
    super(lower.maxFrameLength - CHANNEL_OVERHEAD, opts.highWaterBytes ?? DEFAULTS.highWaterBytes);
    this.crypto = opts.crypto;
    this.clock = opts.clock;
    this.keepaliveMs = opts.keepaliveMs ?? DEFAULTS.keepaliveMs;
    this.timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
    this.rekeyIntervalMs = opts.rekeyIntervalMs ?? DEFAULTS.rekeyIntervalMs;
    this.rekeyAfterFrames = opts.rekeyAfterFrames ?? DEFAULTS.rekeyAfterFrames;
    const now = this.clock.now();
    this.lastSent = now;
    this.lastReceived = now;
    this.lastRekey = now;
    void lower.closed.then((r) => this.close(r));
  }

  get rekeys(): number { return this.completedRekeys; }

  start(): void {
    this.scheduleTick();
    void this.readLoop();
  }

  send(frame: Uint8Array): Promise<void> {
    if (this.closeReason !== undefined) return Promise.reject(this.closedError());
    this.checkFrame(frame);
    const pt = new Uint8Array(frame.length + 1);
    pt[0] = DATA_TAG;
    pt.set(frame, 1);
    const p = this.enqueue(pt);
    if (this.framesUnderKey >= this.rekeyAfterFrames) this.rekey();
    return p;
  }

  rekey(): void {
    if (this.closeReason !== undefined || this.pendingRekey !== undefined || this.awaitingDone !== undefined) return;
    const dhPrivate = this.crypto.randomBytes(32);
    const pending = { dhPrivate, dhPublicKey: this.crypto.x25519PublicKey(dhPrivate), salt: this.crypto.randomBytes(SALT_LEN) };
    this.pendingRekey = pending;
    this.lastRekey = this.clock.now();
    this.sendControl({ kind: 'rekeyInit', dhPublicKey: pending.dhPublicKey, salt: pending.salt });
  }

  sendControl(m: ControlMessage): void {
    if (this.closeReason !== undefined) return;
    this.enqueue(encode(controlMessage, m)).catch(() => {});
  }

  private enqueue(record: Uint8Array): Promise<void> {
    if (this.queue.length > 0 && batchLength(this.queueBytes + 4 + record.length) > this.lower.maxFrameLength) this.flush();
    this.queue.push(record);
    this.queueBytes += 4 + record.length;
    this.lastSent = this.clock.now();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => { this.flushScheduled = false; this.flush(); });
    }
    // resolve at once while the batch is small and the transport keeps up (backpressure)
    if (this.queueBytes < BATCH_HIGH_WATER && this.lowerPending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => { this.flushWaiters.push({ resolve, reject }); });
  }

  /** Seals everything queued into one frame under the current key and hands it down. */
  private flush(): void {
    if (this.queue.length === 0 || this.lower.closeReason !== undefined) return;
    const pt = this.queue.length === 1 ? (this.queue[0] as Uint8Array) : encodeBatch(this.queue);
    this.queue = [];
    this.queueBytes = 0;
    const nonce = this.sendNonce.slice();
    incrementNonce(this.sendNonce);
    this.framesUnderKey++;
    const sealed = this.crypto.aeadSeal(this.sendKey, nonce, pt);
    const out = new Uint8Array(AEAD_NONCE_LEN + sealed.length);
    out.set(nonce, 0);
    out.set(sealed, AEAD_NONCE_LEN);
    const waiters = this.flushWaiters;
    this.flushWaiters = [];
    this.lowerPending++;
    this.lower.send(out).then(
      () => { this.lowerPending--; for (const w of waiters) w.resolve(); },
      () => { this.lowerPending--; const e = this.closedError(); for (const w of waiters) w.reject(e); },
    );
  }

  /** Decrypts and handles one frame; returns a close reason when it must close the channel. */
  handleFrame(frame: Uint8Array): CloseReason | undefined {
    // shorter than nonce + tag + message tag: the original panicked here (reference §7.2 #9)
    if (frame.length < AEAD_NONCE_LEN + AEAD_TAG_LEN + 1) return closeReason('bad-message', `encrypted frame of ${frame.length} bytes`);
    const nonce = frame.subarray(0, AEAD_NONCE_LEN);
    if (!bytesEqual(nonce, this.recvNonce)) return closeReason('bad-nonce', 'replayed, reordered or dropped frame');
    const pt = this.crypto.aeadOpen(this.recvKey, this.recvNonce, frame.subarray(AEAD_NONCE_LEN));
    if (pt === undefined) return closeReason('decrypt-failed', 'frame failed authentication');
    incrementNonce(this.recvNonce);
    this.lastReceived = this.clock.now();
    if (pt[0] !== BATCH_TAG) return this.handleRecord(pt);
    const batch = parseBatch(pt);
    if ('error' in batch) return closeReason('bad-message', batch.error);
    for (const record of batch.records) {
      const r = this.handleRecord(record);
      if (r !== undefined) return r;
    }
    return undefined;
  }

  private handleRecord(pt: Uint8Array): CloseReason | undefined {
    if (pt[0] === DATA_TAG) {
      this.inbox.push(pt.subarray(1));
      return undefined;
    }
    const m = decodeExact(controlMessage, pt);
    if (!m.ok) return closeReason('bad-message', `control message: ${m.error.message}`);
    return this.handleControl(m.value);
  }

  private handleControl(m: ControlMessage): CloseReason | undefined {
    switch (m.kind) {
      case 'keepalive':
        return undefined;
      case 'rekeyInit': {
        if (this.awaitingDone !== undefined) return closeReason('bad-message', 'rekeyInit during a rekey');
        const mine = this.pendingRekey;
        if (mine !== undefined) {
          const c = compareBytes(mine.dhPublicKey, m.dhPublicKey);
          if (c === 0) return closeReason('bad-message', 'reflected rekey');
          if (c > 0) return undefined; // both started: the larger key leads, the peer will answer ours
          this.pendingRekey = undefined;
        }
        const dhPrivate = this.crypto.randomBytes(32);
        const dhPublicKey = this.crypto.x25519PublicKey(dhPrivate);
        const salt = this.crypto.randomBytes(SALT_LEN);
        const keys = this.rekeyKeys(dhPrivate, m.dhPublicKey, salt, m.salt);
        if (keys === undefined) return closeReason('bad-message', 'low-order rekey DH key');
        this.sendControl({ kind: 'rekeyAck', dhPublicKey, salt });
        this.flush(); // the ack ends the last frame under the old key
        this.switchSendKey(keys.sendKey);
        this.awaitingDone = keys.recvKey;
        this.lastRekey = this.clock.now();
        return undefined;
      }
      case 'rekeyAck': {
        const mine = this.pendingRekey;
        if (mine === undefined) return closeReason('bad-message', 'unexpected rekeyAck');
        const keys = this.rekeyKeys(mine.dhPrivate, m.dhPublicKey, mine.salt, m.salt);
        if (keys === undefined) return closeReason('bad-message', 'low-order rekey DH key');
        this.pendingRekey = undefined;
        this.switchRecvKey(keys.recvKey);
        this.sendControl({ kind: 'rekeyDone' });
        this.flush(); // rekeyDone ends the last frame under the old key
        this.switchSendKey(keys.sendKey);
        this.completedRekeys++;
        return undefined;
      }
      case 'rekeyDone': {
        const k = this.awaitingDone;
        if (k === undefined) return closeReason('bad-message', 'unexpected rekeyDone');
        this.awaitingDone = undefined;
        this.switchRecvKey(k);
        this.completedRekeys++;
        return undefined;
      }
    }
  }

  private rekeyKeys(ownPrivate: Uint8Array, peerDh: Uint8Array, ownSalt: Uint8Array, peerSalt: Uint8Array) {
    let shared: Uint8Array;
    try {
      shared = this.crypto.x25519(ownPrivate, peerDh);
    } catch {
      return undefined;
    }
    return deriveKeys(this.crypto, shared, ownSalt, peerSalt, concat(DOMAIN_REKEY, this.session));
  }

  private switchSendKey(k: Uint8Array): void {
    this.sendKey = k;
    this.sendNonce = new Uint8Array(AEAD_NONCE_LEN);
    this.framesUnderKey = 0;
  }

  private switchRecvKey(k: Uint8Array): void {
    this.recvKey = k;
    this.recvNonce = new Uint8Array(AEAD_NONCE_LEN);
  }

  private async readLoop(): Promise<void> {
    while (this.closeReason === undefined) {
      if (this.inbox.full) {
        // our reader is slow: stop reading the transport (backpressure), and do not count
        // the peer's keepalives we are not reading as silence
        this.stalled = true;
        await this.inbox.waitForSpace();
        this.stalled = false;
        this.lastReceived = this.clock.now();
        continue;
      }
      const f = await this.lower.receive();
      if (f === undefined) {
        this.close(await this.lower.closed);
        return;
      }
      if (this.closeReason !== undefined) return;
      const r = this.handleFrame(f);
      if (r !== undefined) { this.close(r); return; }
    }
  }

  private scheduleTick(): void {
    const period = Math.max(1, Math.floor(Math.min(this.keepaliveMs, this.timeoutMs) / 2));
    this.tickTimer = this.clock.after(period, () => {
      if (this.closeReason !== undefined) return;
      const now = this.clock.now();
      if (!this.stalled && now - this.lastReceived >= this.timeoutMs) {
        this.close(closeReason('timeout', `nothing received for ${now - this.lastReceived} ms`));
        return;
      }
      if (now - this.lastRekey >= this.rekeyIntervalMs) this.rekey();
      if (now - this.lastSent >= this.keepaliveMs) this.sendControl({ kind: 'keepalive' });
      this.scheduleTick();
    });
  }

  protected override pauseInput(): void {}

  protected teardown(reason: CloseReason): void {
    this.tickTimer?.cancel();
    // what the application sent before closing still goes out (the transport flushes on close)
    if (reason.kind === 'local') this.flush();
    const err = this.closedError();
    const ws = this.flushWaiters;
    this.flushWaiters = [];
    for (const w of ws) w.reject(err);
    this.lower.close(reason);
  }
}
