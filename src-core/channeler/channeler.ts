/** The channeler: keeps one secure channel to every enabled friend, through relays, and tells
 *  the funder when each friend goes online or offline (reference/funder.md §5 ChannelerConfig).
 *
 *  Who dials is decided as in the original (channeler `is_listen_friend`): if our key is lower
 *  (compare_public_key, hash order) we listen for the friend on our relays, otherwise we connect
 *  to the friend's relays. One side per pair means one channel per pair, without a race to
 *  settle. Reconnects back off exponentially with jitter; every timer runs on the given clock. */
import { type CryptoBackend, type Signer, bytesEqual, comparePublicKeys } from '../crypto/index.ts';
import { type Clock, type FrameStream, type SecureChannel, type Timer, closeReason, describeClose, secureChannel } from '../net/index.ts';
import { type Dial, type RelayAddress, type RelayListener, connectViaRelay, listenViaRelay } from '../relay/index.ts';
import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from './backoff.ts';

export interface FriendConfig {
  readonly publicKey: Uint8Array;
  /** Where the friend listens (its relays, as it last announced them). */
  readonly relays: readonly RelayAddress[];
}

export type ChannelerEvent =
  | { readonly kind: 'online'; readonly friend: Uint8Array }
  | { readonly kind: 'offline'; readonly friend: Uint8Array }
  | { readonly kind: 'message'; readonly friend: Uint8Array; readonly message: Uint8Array };

export interface ChannelerOptions {
  readonly identity: Signer;
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly dial: Dial;
  /** Events in order per friend: online, its messages, offline. A promise returned for a message
   *  holds back reading that friend's channel until it settles (backpressure: the channel's
   *  inbox fills, its transport pauses, TCP slows the friend down through the relay); other
   *  friends' channels are read meanwhile. Nothing is dropped. */
  readonly onEvent: (e: ChannelerEvent) => void | PromiseLike<void>;
  /** Called when we start or stop listening on one of our relays (see listeningRelays). */
  readonly onRelaysChange?: () => void;
  /** Jitter source; defaults to crypto.randomBytes. */
  readonly random?: (n: number) => Uint8Array;
  readonly backoff?: BackoffOptions;
  /** Keepalive and timeout of the end-to-end channels to friends (both friends should agree:
   *  each side's timeout must exceed the other's keepalive interval). */
  readonly keepaliveMs?: number;
  readonly timeoutMs?: number;
  readonly handshakeTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface Channeler {
  /** Our relays: we listen on each of them (those already listening stay up). */
  setRelays(relays: readonly RelayAddress[]): void;
  /** Adds or updates an enabled friend. */
  updateFriend(friend: FriendConfig): void;
  /** Forgets a friend (removed or disabled): its channel closes. */
  removeFriend(publicKey: Uint8Array): void;
  /** Sends on the friend's channel, in order. Resolves false when the friend is offline or the
   *  channel closes first (the funder retransmits when the friend comes back online). */
  send(friend: Uint8Array, message: Uint8Array): Promise<boolean>;
  isOnline(friend: Uint8Array): boolean;
  /** Our relays we are listening on now: friends can reach us through them. */
  listeningRelays(): Uint8Array[];
  close(): void;
}

const hexKey = (b: Uint8Array): string => {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
};

interface FriendState {
  config: FriendConfig;
  readonly listen: boolean;           // we wait for the friend to connect to us
  channel: SecureChannel | undefined;
  connecting: boolean;                // a dial or an inbound handshake is in progress
  failures: number;
  retry: Timer | undefined;
  nextRelay: number;
  removed: boolean;
}

interface ListenState {
  readonly relay: RelayAddress;
  listener: RelayListener | undefined;
  retry: Timer | undefined;
  failures: number;
  stopped: boolean;
}

export function createChanneler(opts: ChannelerOptions): Channeler {
  const { identity, crypto, clock } = opts;
  const random = opts.random ?? ((n: number) => crypto.randomBytes(n));
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const log = opts.log ?? (() => {});
  const friends = new Map<string, FriendState>();
  const listens = new Map<string, ListenState>();
  let closed = false;

  const timing = {
    ...(opts.keepaliveMs !== undefined ? { keepaliveMs: opts.keepaliveMs } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: opts.handshakeTimeoutMs } : {}),
  };
  const channelOpts = (expectedRemote: Uint8Array) => ({ identity, crypto, clock, expectedRemote, ...timing });
  // Relay legs keep the default keepalive and timeout: the relay's keepalive interval is its own,
  // and our timeout must stay above it (only the handshake deadline is ours to choose).
  const relayOpts = {
    identity, crypto, clock, dial: opts.dial,
    ...(opts.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: opts.handshakeTimeoutMs } : {}),
  };

  /** The funder's handler must not be able to break a channel's read loop: a throw or a
   *  rejection is logged. Resolves when the handler's promise (if any) settles. */
  async function emit(e: ChannelerEvent): Promise<void> {
    const failed = (err: unknown): void => {
      log(`channeler: event handler failed on ${e.kind}: ${err instanceof Error ? err.message : String(err)}`);
    };
    try {
      await opts.onEvent(e);
    } catch (err) {
      failed(err);
    }
  }

  // ---- a friend's channel ----

  function established(f: FriendState, ch: SecureChannel): void {
    if (f.removed || closed) { ch.close(); return; }
    const old = f.channel;
    f.channel = ch;
    f.connecting = false;
    f.failures = 0;
    if (old !== undefined) {
      // the friend reconnected (e.g. restarted): the newer channel wins
      old.close(closeReason('local', 'replaced by a newer channel'));
      void emit({ kind: 'offline', friend: f.config.publicKey });
    }
    void emit({ kind: 'online', friend: f.config.publicKey });
    void (async () => {
      for await (const message of ch) {
        if (f.channel !== ch) break;
        // the next message is read only once the handler has room for it (backpressure)
        await emit({ kind: 'message', friend: f.config.publicKey, message });
      }
      const why = await ch.closed;
      if (f.channel !== ch) return; // replaced or removed: already reported
      f.channel = undefined;
      log(`channeler: friend ${hexKey(f.config.publicKey).slice(0, 16)} offline (${describeClose(why)})`);
      void emit({ kind: 'offline', friend: f.config.publicKey });
      if (!f.listen) scheduleConnect(f, backoffDelay(0, backoff, random));
    })();
  }

  function scheduleConnect(f: FriendState, delay: number): void {
    if (f.removed || closed || f.listen || f.retry !== undefined) return;
    f.retry = clock.after(delay, () => { f.retry = undefined; void connect(f); });
  }

  async function connect(f: FriendState): Promise<void> {
    if (f.removed || closed || f.channel !== undefined || f.connecting) return;
    const relays = f.config.relays;
    if (relays.length === 0) return; // nowhere to reach the friend until updateFriend gives relays
    const relay = relays[f.nextRelay % relays.length] as RelayAddress;
    f.nextRelay++;
    f.connecting = true;
    let tunnel: FrameStream | undefined;
    try {
      tunnel = await connectViaRelay(relay, f.config.publicKey, relayOpts);
      const ch = await secureChannel(tunnel, channelOpts(f.config.publicKey));
      f.connecting = false;
      established(f, ch);
    } catch (e) {
      tunnel?.close();
      f.connecting = false;
      f.failures++;
      log(`channeler: connecting to ${hexKey(f.config.publicKey).slice(0, 16)} via ${relay.address} failed: ${(e as Error).message}`);
      scheduleConnect(f, backoffDelay(f.failures - 1, backoff, random));
    }
  }

  function onTunnel(from: Uint8Array, tunnel: FrameStream): void {
    const f = friends.get(hexKey(from));
    if (f === undefined || !f.listen || f.removed || closed) {
      tunnel.close();
      if (f !== undefined) f.connecting = false;
      return;
    }
    secureChannel(tunnel, channelOpts(from)).then(
      (ch) => { f.connecting = false; established(f, ch); },
      (e: unknown) => { f.connecting = false; log(`channeler: inbound channel from ${hexKey(from).slice(0, 16)} failed: ${(e as Error).message}`); },
    );
  }

  function acceptFrom(from: Uint8Array): boolean {
    const f = friends.get(hexKey(from));
    // one inbound connection at a time per friend, from accept to the end of its handshake;
    // an established channel may be replaced
    if (f === undefined || !f.listen || f.removed || f.connecting) return false;
    f.connecting = true;
    return true;
  }

  function onAcceptFailed(from: Uint8Array): void {
    const f = friends.get(hexKey(from));
    if (f !== undefined) f.connecting = false;
  }

  // ---- our relays ----

  function relaysChanged(): void {
    if (closed) return;
    try {
      opts.onRelaysChange?.();
    } catch (e) {
      log(`channeler: relay change handler threw: ${(e as Error).message}`);
    }
  }

  function startListen(l: ListenState): void {
    if (l.stopped || closed) return;
    listenViaRelay(l.relay, { ...relayOpts, accept: acceptFrom, onTunnel, onAcceptFailed, log }).then(
      (listener) => {
        if (l.stopped || closed) { listener.close(); return; }
        l.listener = listener;
        l.failures = 0;
        relaysChanged();
        void listener.closed.then((why) => {
          if (l.listener !== listener) return;
          l.listener = undefined;
          relaysChanged();
          log(`channeler: listening on ${l.relay.address} stopped (${describeClose(why)})`);
          retryListen(l);
        });
      },
      (e: unknown) => {
        log(`channeler: listening on ${l.relay.address} failed: ${(e as Error).message}`);
        retryListen(l);
      },
    );
  }

  function retryListen(l: ListenState): void {
    if (l.stopped || closed || l.retry !== undefined) return;
    const delay = backoffDelay(l.failures, backoff, random);
    l.failures++;
    l.retry = clock.after(delay, () => { l.retry = undefined; startListen(l); });
  }

  const relayId = (r: RelayAddress): string => `${hexKey(r.publicKey)}@${r.address}`;

  return {
    setRelays(relays) {
      if (closed) return;
      const wanted = new Map(relays.map((r) => [relayId(r), r]));
      let dropped = false;
      for (const [id, l] of listens) {
        if (wanted.has(id)) continue;
        l.stopped = true;
        l.retry?.cancel();
        if (l.listener !== undefined) dropped = true;
        l.listener?.close();
        l.listener = undefined;
        listens.delete(id);
      }
      if (dropped) relaysChanged();
      for (const [id, r] of wanted) {
        if (listens.has(id)) continue;
        const l: ListenState = { relay: r, listener: undefined, retry: undefined, failures: 0, stopped: false };
        listens.set(id, l);
        startListen(l);
      }
    },

    listeningRelays() {
      return [...listens.values()].filter((l) => l.listener !== undefined).map((l) => l.relay.publicKey);
    },

    updateFriend(config) {
      if (closed) return;
      const id = hexKey(config.publicKey);
      const existing = friends.get(id);
      if (existing !== undefined) {
        existing.config = config;
        if (!existing.listen && existing.channel === undefined && !existing.connecting) {
          // new relays: try them now rather than after the current backoff
          existing.retry?.cancel();
          existing.retry = undefined;
          existing.failures = 0;
          scheduleConnect(existing, 0);
        }
        return;
      }
      if (bytesEqual(config.publicKey, identity.publicKey)) throw new RangeError('a node cannot be its own friend');
      const f: FriendState = {
        config, listen: comparePublicKeys(crypto, identity.publicKey, config.publicKey) < 0,
        channel: undefined, connecting: false, failures: 0, retry: undefined, nextRelay: 0, removed: false,
      };
      friends.set(id, f);
      scheduleConnect(f, 0);
    },

    removeFriend(publicKey) {
      const id = hexKey(publicKey);
      const f = friends.get(id);
      if (f === undefined) return;
      friends.delete(id);
      f.removed = true;
      f.retry?.cancel();
      const ch = f.channel;
      f.channel = undefined;
      if (ch !== undefined) {
        ch.close();
        void emit({ kind: 'offline', friend: f.config.publicKey });
      }
    },

    async send(friend, message) {
      const ch = friends.get(hexKey(friend))?.channel;
      if (ch === undefined || ch.closeReason !== undefined) return false;
      try {
        await ch.send(message);
        return true;
      } catch {
        return false;
      }
    },

    isOnline(friend) {
      const ch = friends.get(hexKey(friend))?.channel;
      return ch !== undefined && ch.closeReason === undefined;
    },

    close() {
      if (closed) return;
      closed = true;
      for (const l of listens.values()) { l.stopped = true; l.retry?.cancel(); l.listener?.close(); }
      listens.clear();
      for (const f of friends.values()) {
        f.removed = true;
        f.retry?.cancel();
        const ch = f.channel;
        f.channel = undefined;
        ch?.close();
      }
      friends.clear();
    },
  };
}
