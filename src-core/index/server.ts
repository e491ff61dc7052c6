/** The index server shell: secure channels to nodes (reports in, routes out) and to federated index
 *  servers (reports both ways), around the pure IndexServerCore. Transport-agnostic: it is handed
 *  FrameStreams (TCP in stindex, see server.node.ts) and a `connect` function for federation peers.
 *
 *  Federation: two servers exchange reports only when each lists the other as trusted. The one whose
 *  public key sorts lower dials, the other accepts; a server hangs up on any peer it does not trust.
 *  On connecting, each side sends every report it holds; afterwards each accepted report (from a node
 *  or a peer) goes to every other peer. A report that is not newer than the held one is dropped, so
 *  copies stop circulating after one round. */
import { type Codec, decodeExact, encode } from '../codec/index.ts';
import { type CryptoBackend, type Signer, compareBytes } from '../crypto/index.ts';
import {
  type Clock, type FrameStream, type SecureChannel, type SecureChannelOptions, type Timer, closeReason, secureChannel,
} from '../net/index.ts';
import {
  type FederationMessage, type IndexClientMessage, type IndexServerMessage, MAX_REPORTS_IN_BATCH, type SignedNodeReport,
  federationMessage, indexClientMessage, indexServerMessage, signedNodeReport,
} from '../proto/index.ts';
import { backoffMs } from './backoff.ts';
import { keyId } from './node-key.ts';
import { type SearchLimits } from './route-search.ts';
import { IndexServerCore } from './server-core.ts';

export interface TrustedServer {
  readonly publicKey: Uint8Array;
  /** Its server-facing (`--lserver`) address. */
  readonly address: string;
}

export interface IndexServerOptions {
  readonly identity: Signer;
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly trusted: readonly TrustedServer[];
  /** Opens a transport to a peer's address (tcpConnect in production). */
  readonly connect: (address: string) => Promise<FrameStream>;
  /** Randomness for reconnect jitter. */
  readonly random: (n: number) => Uint8Array;
  /** Report time to live. Default 3 min (nodes refresh every minute). */
  readonly ttlMs?: number;
  /** Allowed clock skew for report times. Default 1 min. */
  readonly maxSkewMs?: number;
  /** How often expired reports are dropped. Default 5 s. */
  readonly expireEveryMs?: number;
  /** Reconnect backoff to federation peers: doubling from min to max, with jitter. Defaults 500 ms, 30 s. */
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  readonly limits?: SearchLimits;
  /** Open connections (nodes and servers together) beyond which new ones are cut at once. Default 4096. */
  readonly maxConnections?: number;
  /** See ServerCoreOptions.rebuildEveryMs. Default 1 s. */
  readonly rebuildEveryMs?: number;
  /** Options passed to every secure channel (keepalive, timeouts). */
  readonly channel?: Partial<Pick<SecureChannelOptions, 'keepaliveMs' | 'timeoutMs' | 'handshakeTimeoutMs'>>;
  readonly log?: (line: string) => void;
}

/** Bytes of encoded reports per federation message (a message is at most 1 MiB). */
const BATCH_BYTES = 512 * 1024;

export class IndexServer {
  readonly core: IndexServerCore;
  private readonly trusted = new Map<string, TrustedServer>();
  private readonly peers = new Map<string, SecureChannel>();
  private readonly streams = new Set<FrameStream>();
  private readonly timers = new Set<Timer>();
  private closed = false;
  private accepted = 0;
  private readonly counters = { federationReportsIn: 0, federationReportsAccepted: 0 };
  private readonly log: (line: string) => void;

  constructor(private readonly opts: IndexServerOptions) {
    this.core = new IndexServerCore({
      crypto: opts.crypto,
      ttlMs: opts.ttlMs ?? 180_000,
      maxSkewMs: opts.maxSkewMs ?? 60_000,
      ...(opts.limits === undefined ? {} : { limits: opts.limits }),
      rebuildEveryMs: opts.rebuildEveryMs ?? 1_000,
    });
    for (const t of opts.trusted) this.trusted.set(keyId(t.publicKey), t);
    this.log = opts.log ?? (() => {});
  }

  get publicKey(): Uint8Array { return this.opts.identity.publicKey; }

  /** Starts expiry and dials the trusted peers this server is responsible for dialing. */
  start(): void {
    this.scheduleExpiry();
    for (const t of this.trusted.values()) {
      if (compareBytes(this.publicKey, t.publicKey) < 0) void this.dial(t, 0);
    }
  }

  /** Public keys of the federation peers currently connected. */
  connectedPeers(): Uint8Array[] {
    return [...this.peers.values()].map((c) => c.remotePublicKey);
  }

  /** Reports received from federation peers, and how many of them were new. */
  get stats(): { readonly federationReportsIn: number; readonly federationReportsAccepted: number } {
    return { ...this.counters };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const s of this.streams) s.close(closeReason('shutdown'));
    this.streams.clear();
    this.peers.clear();
  }

  private after(ms: number, fn: () => void): void {
    const t = this.opts.clock.after(ms, () => { this.timers.delete(t); fn(); });
    this.timers.add(t);
  }

  private scheduleExpiry(): void {
    if (this.closed) return;
    this.after(this.opts.expireEveryMs ?? 5_000, () => {
      const n = this.core.expire(this.opts.clock.now());
      if (n > 0) this.log(`expired ${n} node report(s)`);
      this.scheduleExpiry();
    });
  }

  /** Counts an accepted connection; false (and closed) when over the limit. */
  private admit(stream: FrameStream): boolean {
    if (this.accepted >= (this.opts.maxConnections ?? 4096)) {
      this.log('connection refused: too many open connections');
      stream.close(closeReason('limit', 'too many connections'));
      return false;
    }
    this.accepted++;
    void stream.closed.then(() => { this.accepted--; });
    return this.track(stream);
  }

  private track(stream: FrameStream): boolean {
    if (this.closed) { stream.close(closeReason('shutdown')); return false; }
    this.streams.add(stream);
    void stream.closed.then(() => this.streams.delete(stream));
    return true;
  }

  private handshake(stream: FrameStream, expectedRemote?: Uint8Array): Promise<SecureChannel> {
    return secureChannel(stream, {
      identity: this.opts.identity, crypto: this.opts.crypto, clock: this.opts.clock, ...this.opts.channel,
      ...(expectedRemote === undefined ? {} : { expectedRemote }),
    });
  }

  // ---- nodes -------------------------------------------------------------------------------

  /** Serves one node connection (from the `--lclient` listener). */
  acceptClient(stream: FrameStream): void {
    if (!this.admit(stream)) return;
    void (async () => {
      let ch: SecureChannel;
      try { ch = await this.handshake(stream); } catch { return; }
      if (!this.track(ch)) return;
      for await (const frame of ch) {
        const m = decodeExact(indexClientMessage, frame);
        if (!m.ok) {
          this.log(`node ${keyId(ch.remotePublicKey).slice(0, 16)}: bad message (${m.error.message})`);
          ch.close(closeReason('bad-message', m.error.message));
          return;
        }
        this.onClientMessage(ch, m.value);
      }
    })();
  }

  private onClientMessage(ch: SecureChannel, m: IndexClientMessage): void {
    switch (m.kind) {
      case 'report': {
        const { body } = m.report;
        const outcome = keyId(body.node) === keyId(ch.remotePublicKey)
          ? this.core.acceptReport(m.report, this.opts.clock.now())
          : 'wrong-node';
        this.sendTo(ch, indexServerMessage, { kind: 'report-ack', time: body.time, counter: body.counter, outcome });
        if (outcome === 'accepted') this.forward([m.report], undefined);
        return;
      }
      case 'route-request': {
        const routes = this.core.routes(m, this.opts.clock.now());
        this.sendTo<IndexServerMessage>(ch, indexServerMessage, { kind: 'route-response', requestId: m.requestId, routes });
        return;
      }
    }
  }

  private sendTo<T>(ch: FrameStream, codec: Codec<T>, msg: T): void {
    ch.send(encode(codec, msg)).catch(() => { /* closed: its loop ends */ });
  }

  // ---- federation --------------------------------------------------------------------------

  /** Serves one federation connection (from the `--lserver` listener). */
  acceptServer(stream: FrameStream): void {
    if (!this.admit(stream)) return;
    void (async () => {
      let ch: SecureChannel;
      try { ch = await this.handshake(stream); } catch { return; }
      if (!this.trusted.has(keyId(ch.remotePublicKey))) {
        this.log(`refused untrusted index server ${keyId(ch.remotePublicKey).slice(0, 16)}`);
        ch.close(closeReason('refused', 'not a trusted index server'));
        return;
      }
      await this.runPeer(ch);
    })();
  }

  private async dial(t: TrustedServer, failures: number): Promise<void> {
    if (this.closed) return;
    let ch: SecureChannel | undefined;
    try {
      const stream = await this.opts.connect(t.address);
      if (!this.track(stream)) return;
      ch = await this.handshake(stream, t.publicKey);
    } catch (e) {
      this.log(`federation: cannot reach ${t.address} (${(e as Error).message})`);
    }
    if (ch !== undefined) {
      failures = 0;
      await this.runPeer(ch);
    }
    if (this.closed) return;
    const min = this.opts.reconnectMinMs ?? 500;
    const max = this.opts.reconnectMaxMs ?? 30_000;
    this.after(backoffMs(min, max, failures, this.opts.random), () => void this.dial(t, failures + 1));
  }

  private async runPeer(ch: SecureChannel): Promise<void> {
    if (!this.track(ch)) return;
    const id = keyId(ch.remotePublicKey);
    this.peers.get(id)?.close(closeReason('local', 'replaced by a newer connection'));
    this.peers.set(id, ch);
    this.log(`federation: connected to ${id.slice(0, 16)}`);
    for (const batch of batches(this.core.heldReports())) this.sendTo<FederationMessage>(ch, federationMessage, { kind: 'reports', reports: batch });
    for await (const frame of ch) {
      const m = decodeExact(federationMessage, frame);
      if (!m.ok) {
        this.log(`federation ${id.slice(0, 16)}: bad message (${m.error.message})`);
        ch.close(closeReason('bad-message', m.error.message));
        break;
      }
      if (m.value.kind === 'reports') {
        const now = this.opts.clock.now();
        const fresh = m.value.reports.filter((r) => this.core.acceptReport(r, now) === 'accepted');
        this.counters.federationReportsIn += m.value.reports.length;
        this.counters.federationReportsAccepted += fresh.length;
        if (fresh.length > 0) this.forward(fresh, id);
      }
    }
    if (this.peers.get(id) === ch) this.peers.delete(id);
    this.log(`federation: disconnected from ${id.slice(0, 16)}`);
  }

  /** Sends reports this server just accepted to every peer except the one they came from. */
  private forward(reports: readonly SignedNodeReport[], from: string | undefined): void {
    for (const [id, ch] of this.peers) {
      if (id === from) continue;
      for (const batch of batches(reports)) this.sendTo<FederationMessage>(ch, federationMessage, { kind: 'reports', reports: batch });
    }
  }
}

function* batches(reports: readonly SignedNodeReport[]): Generator<SignedNodeReport[]> {
  let batch: SignedNodeReport[] = [];
  let bytes = 0;
  for (const r of reports) {
    const size = encode(signedNodeReport, r).length;
    if (batch.length > 0 && (bytes + size > BATCH_BYTES || batch.length === MAX_REPORTS_IN_BATCH)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(r);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
