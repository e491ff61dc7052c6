/** The index client inside a node: one connection at a time to one of the configured index servers,
 *  failing over to the next when it cannot connect or loses the connection (seeds/000: "a node connects
 *  to only one index server at a time. If the index server is down, an attempt is made to connect to the
 *  next one on the list"). It reports the node's friend capacities as one signed snapshot, sent when
 *  they change (at most once per `minReportIntervalMs`) and refreshed every `refreshMs` so the server's
 *  copy does not expire, and it asks for routes on behalf of the funder and apps. */
import { type Result, decodeExact, encode, err, ok } from '../codec/index.ts';
import { type CryptoBackend, type Signer } from '../crypto/index.ts';
import {
  type Clock, type FrameStream, type SecureChannel, type SecureChannelOptions, type Timer, closeReason, secureChannel,
} from '../net/index.ts';
import {
  type FriendCapacityMsg, type IndexClientMessage, type IndexRoute, MAX_REPORT_ENTRIES, type ReportOutcome,
  friendCapacity, indexClientMessage, indexServerMessage,
} from '../proto/index.ts';
import { backoffMs } from './backoff.ts';
import { keyId } from './node-key.ts';
import { signNodeReport } from './report.ts';

export interface IndexServerAddress {
  readonly publicKey: Uint8Array;
  /** The server's node-facing (`--lclient`) address. */
  readonly address: string;
}

export interface IndexClientOptions {
  readonly identity: Signer;
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly random: (n: number) => Uint8Array;
  readonly servers: readonly IndexServerAddress[];
  /** Opens a transport (tcpConnect in production). */
  readonly connect: (address: string) => Promise<FrameStream>;
  /** Least time between two reports. Default 1 s. */
  readonly minReportIntervalMs?: number;
  /** A report is re-sent this often even without changes. Default 60 s (servers keep one 3 min). */
  readonly refreshMs?: number;
  /** A route request fails after this long without an answer. Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** Backoff after every server on the list failed: doubling from min to max, with jitter. */
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  readonly channel?: Partial<Pick<SecureChannelOptions, 'keepaliveMs' | 'timeoutMs' | 'handshakeTimeoutMs'>>;
  readonly log?: (line: string) => void;
}

export interface RouteQuery {
  readonly destination: Uint8Array;
  readonly currency: string;
  readonly amount: bigint;
  /** Defaults to this node. */
  readonly source?: Uint8Array;
  /** A directed friendship the routes must not use. */
  readonly exclude?: { readonly from: Uint8Array; readonly to: Uint8Array };
}

export type RouteError =
  | { readonly kind: 'timeout' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'bad-request'; readonly detail: string };

/** A session shorter than this counts as a failed attempt (a server that accepts and drops at once
 *  must not make the client reconnect in a tight loop). */
const LASTING_SESSION_MS = 10_000;

interface Pending {
  readonly requestId: Uint8Array;
  readonly message: Uint8Array;
  readonly timer: Timer;
  readonly resolve: (r: Result<IndexRoute[], RouteError>) => void;
}

export class IndexClient {
  private servers: IndexServerAddress[];
  private capacities = new Map<string, FriendCapacityMsg>();
  private channel: SecureChannel | undefined;
  private current: IndexServerAddress | undefined;
  private closed = false;
  private running = false;
  private next = 0;
  private counter = 0n;
  private lastReportAt = -Infinity;
  private dirty = true;
  private reportTimer: Timer | undefined;
  private retryTimer: Timer | undefined;
  private wake: (() => void) | undefined;
  /** The transport of a connection attempt in progress (closed by close()). */
  private connecting: FrameStream | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<(server: IndexServerAddress | undefined) => void>();
  private readonly ackListeners = new Set<(outcome: ReportOutcome) => void>();
  private readonly log: (line: string) => void;

  constructor(private readonly opts: IndexClientOptions) {
    this.servers = [...opts.servers];
    this.log = opts.log ?? (() => {});
  }

  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    void this.connectLoop();
  }

  /** The server currently connected, if any (`stctrl info index` marks it with *). */
  get connectedServer(): IndexServerAddress | undefined { return this.channel === undefined ? undefined : this.current; }

  /** Called with the connected server after every connect and with undefined after every disconnect. */
  onDidChangeConnection(fn: (server: IndexServerAddress | undefined) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Called with the server's verdict on every report sent. */
  onDidAckReport(fn: (outcome: ReportOutcome) => void): () => void {
    this.ackListeners.add(fn);
    return () => this.ackListeners.delete(fn);
  }

  /** Replaces the list (config add-index / remove-index). A dropped current server is disconnected. */
  setServers(servers: readonly IndexServerAddress[]): void {
    this.servers = [...servers];
    const cur = this.current;
    if (cur !== undefined && !servers.some((s) => keyId(s.publicKey) === keyId(cur.publicKey) && s.address === cur.address)) {
      this.channel?.close(closeReason('local', 'index server removed'));
    }
    this.wake?.(); // waiting out a backoff: try the new list now
  }

  /** Sets (or with `undefined` removes) the capacity reported for one friend in one currency. The funder
   *  calls this for every change: only enabled, online, consistent friends with open currencies belong. */
  setCapacity(friend: Uint8Array, currency: string, capacity: Omit<FriendCapacityMsg, 'friend' | 'currency'> | undefined): void {
    const k = `${keyId(friend)}/${currency}`;
    if (k.startsWith(`${keyId(this.opts.identity.publicKey)}/`)) throw new RangeError('a node cannot report itself as a friend');
    if (capacity === undefined) {
      if (!this.capacities.delete(k)) return;
    } else {
      const old = this.capacities.get(k);
      if (old !== undefined && old.sendCapacity === capacity.sendCapacity && old.recvCapacity === capacity.recvCapacity
        && old.rate.mul === capacity.rate.mul && old.rate.add === capacity.rate.add) return;
      const entry = { friend: Uint8Array.from(friend), currency, ...capacity };
      encode(friendCapacity, entry); // throws RangeError/TypeError on an out-of-range value, before anything changes
      this.capacities.set(k, entry);
    }
    this.dirty = true;
    this.scheduleReport();
  }

  /** Removes every entry of one friend (it went offline or was disabled). */
  removeFriend(friend: Uint8Array): void {
    const prefix = `${keyId(friend)}/`;
    let changed = false;
    for (const k of [...this.capacities.keys()]) if (k.startsWith(prefix)) { this.capacities.delete(k); changed = true; }
    if (changed) { this.dirty = true; this.scheduleReport(); }
  }

  /** Routes for a payment; waits for a connection up to the request timeout. */
  requestRoutes(q: RouteQuery): Promise<Result<IndexRoute[], RouteError>> {
    if (this.closed) return Promise.resolve(err({ kind: 'closed' }));
    const requestId = this.opts.random(16);
    let message: Uint8Array;
    try {
      message = encode<IndexClientMessage>(indexClientMessage, {
        kind: 'route-request', requestId, source: q.source ?? this.opts.identity.publicKey,
        destination: q.destination, currency: q.currency, amount: q.amount, exclude: q.exclude,
      });
    } catch (e) {
      return Promise.resolve(err({ kind: 'bad-request', detail: (e as Error).message }));
    }
    return new Promise((resolve) => {
      const id = keyId(requestId);
      const timer = this.opts.clock.after(this.opts.requestTimeoutMs ?? 10_000, () => {
        this.pending.delete(id);
        resolve(err({ kind: 'timeout' }));
      });
      this.pending.set(id, { requestId, message, timer, resolve });
      if (this.channel !== undefined) this.send(this.channel, message);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reportTimer?.cancel();
    this.retryTimer?.cancel();
    this.wake?.();
    this.connecting?.close(closeReason('local'));
    this.channel?.close(closeReason('local'));
    for (const p of this.pending.values()) { p.timer.cancel(); p.resolve(err({ kind: 'closed' })); }
    this.pending.clear();
  }

  // ---- connection ----------------------------------------------------------------------------

  /** Tries the servers in list order, moving to the next after a failed connect or a lost connection;
   *  once every server was tried without a lasting session, waits a backoff before the next round. */
  private async connectLoop(): Promise<void> {
    let rounds = 0; // consecutive rounds without a lasting session
    let tried = 0; // attempts in this round
    while (!this.closed) {
      const list = this.servers;
      if (list.length === 0 || tried >= list.length) {
        const wait = backoffMs(this.opts.reconnectMinMs ?? 500, this.opts.reconnectMaxMs ?? 30_000, rounds, this.opts.random);
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.retryTimer = this.opts.clock.after(wait, resolve);
        });
        this.retryTimer?.cancel();
        this.retryTimer = undefined;
        this.wake = undefined;
        rounds++;
        tried = 0;
        continue;
      }
      const server = list[this.next % list.length] as IndexServerAddress;
      tried++;
      const ch = await this.tryConnect(server);
      if (ch !== undefined) {
        const since = this.opts.clock.now();
        await this.serve(server, ch);
        if (this.opts.clock.now() - since >= LASTING_SESSION_MS) { rounds = 0; tried = 0; }
      }
      this.next = (this.next + 1) % Math.max(1, this.servers.length);
    }
  }

  private async tryConnect(server: IndexServerAddress): Promise<SecureChannel | undefined> {
    let stream: FrameStream | undefined;
    try {
      stream = await this.opts.connect(server.address);
      if (this.closed) { stream.close(closeReason('local')); return undefined; }
      this.connecting = stream;
      return await secureChannel(stream, {
        identity: this.opts.identity, crypto: this.opts.crypto, clock: this.opts.clock,
        expectedRemote: server.publicKey, ...this.opts.channel,
      });
    } catch (e) {
      if (!this.closed) this.log(`index server ${server.address}: ${(e as Error).message}`);
      stream?.close(closeReason('local'));
      return undefined;
    } finally {
      this.connecting = undefined;
    }
  }

  private async serve(server: IndexServerAddress, ch: SecureChannel): Promise<void> {
    this.channel = ch;
    this.current = server;
    if (this.closed) ch.close(closeReason('local'));
    this.log(`connected to index server ${server.address}`);
    for (const fn of this.listeners) fn(server);
    this.dirty = true;
    this.sendReport();
    for (const p of this.pending.values()) this.send(ch, p.message);
    for await (const frame of ch) {
      const m = decodeExact(indexServerMessage, frame);
      if (!m.ok) {
        this.log(`index server ${server.address}: bad message (${m.error.message})`);
        ch.close(closeReason('bad-message', m.error.message));
        break;
      }
      if (m.value.kind === 'route-response') {
        const id = keyId(m.value.requestId);
        const p = this.pending.get(id);
        if (p === undefined) continue; // timed out already, or never asked
        this.pending.delete(id);
        p.timer.cancel();
        p.resolve(ok([...m.value.routes]));
      } else {
        const outcome = m.value.outcome;
        if (outcome !== 'accepted') this.log(`index server ${server.address}: report ${outcome}`);
        for (const fn of this.ackListeners) fn(outcome);
      }
    }
    this.channel = undefined;
    this.reportTimer?.cancel();
    this.reportTimer = undefined;
    this.log(`disconnected from index server ${server.address}`);
    for (const fn of this.listeners) fn(undefined);
  }

  private send(ch: SecureChannel, bytes: Uint8Array): void {
    ch.send(bytes).catch(() => { /* closed: serve() notices */ });
  }

  // ---- reports ---------------------------------------------------------------------------------

  private scheduleReport(): void {
    if (this.channel === undefined || this.closed) return;
    const now = this.opts.clock.now();
    const due = this.dirty ? this.lastReportAt + (this.opts.minReportIntervalMs ?? 1_000) : this.lastReportAt + (this.opts.refreshMs ?? 60_000);
    this.reportTimer?.cancel();
    this.reportTimer = this.opts.clock.after(Math.max(0, due - now), () => { this.reportTimer = undefined; this.sendReport(); });
  }

  private sendReport(): void {
    const ch = this.channel;
    if (ch === undefined || this.closed) return;
    const now = this.opts.clock.now();
    let friends = [...this.capacities.values()];
    if (friends.length > MAX_REPORT_ENTRIES) {
      this.log(`index report: ${friends.length} friend entries, only the first ${MAX_REPORT_ENTRIES} are sent`);
      friends = friends.slice(0, MAX_REPORT_ENTRIES);
    }
    const body = { node: this.opts.identity.publicKey, time: BigInt(Math.max(0, Math.floor(now))), counter: this.counter++, friends };
    this.send(ch, encode<IndexClientMessage>(indexClientMessage, { kind: 'report', report: signNodeReport(this.opts.crypto, this.opts.identity, body) }));
    this.lastReportAt = now;
    this.dirty = false;
    this.scheduleReport();
  }
}
