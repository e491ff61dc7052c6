/** The relay: pairs a Connect(to) with the listener's Accept(from) and forwards frames both
 *  ways, blind to their content (the nodes run their own secure channel inside). Transport
 *  independent: feed it accepted FrameStreams (`server.node.ts` does so from TCP). */
import { decodeExact, encode } from '../codec/index.ts';
import { type CryptoBackend, type Signer } from '../crypto/index.ts';
import {
  type Clock, type CloseReason, type FrameStream, type SecureChannel, type Timer, closeReason, describeClose,
  secureChannel,
} from '../net/index.ts';
import { DEFAULT_RELAY_LIMITS, type RelayLimits } from './limits.ts';
import { initConnection, relayToListener } from './messages.ts';

/** Decrypted frames a relay buffers per connection before it stops reading (plus at most one
 *  frame in flight): small, because a relay holds thousands of connections. */
export const RELAY_HIGH_WATER = 128 << 10;

export interface RelayOptions {
  readonly identity: Signer;
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly limits?: Partial<RelayLimits>;
  readonly log?: (line: string) => void;
}

export interface RelayStats {
  readonly connections: number;
  readonly handshaking: number;
  readonly listeners: number;
  readonly pendingPairings: number;
  readonly tunnels: number;
}

export interface Relay {
  /** Takes ownership of a freshly accepted transport stream. */
  handleStream(stream: FrameStream, remote?: string): void;
  stats(): RelayStats;
  /** Closes every connection; handles nothing more. */
  close(): void;
}

interface Pending {
  readonly from: string;
  readonly to: string;
  readonly channel: SecureChannel;
  readonly timer: Timer;
}

const keyId = (b: Uint8Array): string => {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
};

export function createRelay(opts: RelayOptions): Relay {
  const limits: RelayLimits = { ...DEFAULT_RELAY_LIMITS, ...opts.limits };
  const { clock, crypto, identity } = opts;
  const log = opts.log ?? (() => {});
  const all = new Set<FrameStream>();
  const handshaking = new Map<FrameStream, Timer>(); // insertion order = age
  const perKey = new Map<string, number>();
  const listeners = new Map<string, SecureChannel>();
  const pending: Pending[] = [];
  let tunnels = 0;
  let closing = false;

  const countPending = (pred: (p: Pending) => boolean): number => pending.reduce((n, p) => n + (pred(p) ? 1 : 0), 0);
  const removePending = (p: Pending): void => {
    const i = pending.indexOf(p);
    if (i >= 0) pending.splice(i, 1);
    p.timer.cancel();
  };

  function handleStream(stream: FrameStream, remote = '?'): void {
    if (closing) { stream.close(closeReason('shutdown')); return; }
    if (all.size >= limits.maxConnections) {
      stream.close(closeReason('limit', 'relay connection limit'));
      return;
    }
    all.add(stream);
    void stream.closed.then(() => all.delete(stream));
    if (handshaking.size >= limits.maxHandshaking) {
      const [oldest] = handshaking.keys();
      if (oldest !== undefined) oldest.close(closeReason('limit', 'too many connections still handshaking'));
    }
    const timer = clock.after(limits.handshakeTimeoutMs, () => {
      stream.close(closeReason('timeout', 'no InitConnection in time'));
    });
    handshaking.set(stream, timer);
    void stream.closed.then(() => { timer.cancel(); handshaking.delete(stream); });
    void admit(stream, remote, timer);
  }

  async function admit(stream: FrameStream, remote: string, timer: Timer): Promise<void> {
    let ch: SecureChannel;
    try {
      ch = await secureChannel(stream, {
        identity, crypto, clock, handshakeTimeoutMs: limits.handshakeTimeoutMs,
        keepaliveMs: limits.keepaliveMs, timeoutMs: limits.timeoutMs, highWaterBytes: RELAY_HIGH_WATER,
      });
    } catch (e) {
      log(`relay: handshake with ${remote} failed: ${(e as Error).message}`);
      return;
    }
    const first = await ch.receive();
    timer.cancel();
    handshaking.delete(stream);
    if (first === undefined) return;
    const init = decodeExact(initConnection, first);
    if (!init.ok) {
      log(`relay: bad InitConnection from ${remote}: ${init.error.message}`);
      ch.close(closeReason('bad-message', 'bad InitConnection'));
      return;
    }
    const me = keyId(ch.remotePublicKey);
    const n = perKey.get(me) ?? 0;
    if (n >= limits.maxConnectionsPerKey) {
      ch.close(closeReason('limit', 'too many connections for this key'));
      return;
    }
    perKey.set(me, n + 1);
    void ch.closed.then(() => {
      const m = (perKey.get(me) ?? 1) - 1;
      if (m === 0) perKey.delete(me); else perKey.set(me, m);
    });
    const msg = init.value;
    switch (msg.kind) {
      case 'listen': return onListen(ch, me);
      case 'connect': return onConnect(ch, me, keyId(msg.publicKey));
      case 'accept': return onAccept(ch, me, keyId(msg.publicKey));
    }
  }

  function onListen(ch: SecureChannel, me: string): void {
    const old = listeners.get(me);
    listeners.set(me, ch);
    // the newest listener wins: a restarted node must not wait for its old connection to time out
    old?.close(closeReason('local', 'replaced by a newer listener'));
    void (async () => {
      for await (const _ of ch) {
        ch.close(closeReason('bad-message', 'listeners send nothing on the control connection'));
      }
      if (listeners.get(me) === ch) {
        listeners.delete(me);
        for (const p of pending.slice()) {
          if (p.to === me) { removePending(p); p.channel.close(closeReason('refused', 'the listener left')); }
        }
      }
    })();
  }

  function onConnect(ch: SecureChannel, me: string, to: string): void {
    const listener = listeners.get(to);
    if (listener === undefined) { ch.close(closeReason('refused', 'nobody listens for that key here')); return; }
    if (pending.length >= limits.maxPendingPairings
      || countPending((p) => p.from === me) >= limits.maxPendingPairingsPerKey
      || countPending((p) => p.to === to) >= limits.maxPendingPairingsPerKey) {
      ch.close(closeReason('limit', 'too many pending connections'));
      return;
    }
    const p: Pending = {
      from: me, to, channel: ch,
      timer: clock.after(limits.pairingTimeoutMs, () => {
        removePending(p);
        ch.close(closeReason('timeout', 'the listener did not accept in time'));
      }),
    };
    pending.push(p);
    void ch.closed.then(() => removePending(p));
    void listener.send(encode(relayToListener, { kind: 'incomingConnection', publicKey: ch.remotePublicKey })).catch(() => {});
  }

  function onAccept(ch: SecureChannel, me: string, from: string): void {
    const p = pending.find((x) => x.to === me && x.from === from && x.channel.closeReason === undefined);
    if (p === undefined) { ch.close(closeReason('refused', 'no pending connection from that key')); return; }
    removePending(p);
    tunnel(p.channel, ch);
  }

  function tunnel(a: SecureChannel, b: SecureChannel): void {
    tunnels++;
    let last = clock.now();
    let idle: Timer | undefined;
    const checkIdle = (ms: number): void => {
      idle = clock.after(ms, () => {
        const quiet = clock.now() - last;
        if (quiet >= limits.idleTimeoutMs) {
          const r = closeReason('timeout', 'idle tunnel');
          a.close(r); b.close(r);
        } else {
          checkIdle(limits.idleTimeoutMs - quiet);
        }
      });
    };
    checkIdle(limits.idleTimeoutMs);
    const pump = async (from: SecureChannel, to: SecureChannel): Promise<void> => {
      try {
        for await (const f of from) {
          last = clock.now();
          await to.send(f); // awaiting keeps a slow receiver from making us buffer
        }
      } catch {
        // the other side closed; fall through
      }
      const r: CloseReason = from.closeReason ?? closeReason('eof');
      to.close(r.kind === 'local' ? closeReason('eof', 'the other end left') : r);
    };
    void Promise.all([pump(a, b), pump(b, a)]).then(() => {
      tunnels--;
      idle?.cancel();
    });
  }

  return {
    handleStream,
    stats: () => ({
      connections: all.size, handshaking: handshaking.size, listeners: listeners.size,
      pendingPairings: pending.length, tunnels,
    }),
    close() {
      closing = true;
      for (const s of [...all]) s.close(closeReason('shutdown'));
      for (const p of pending.splice(0)) p.timer.cancel();
      log(`relay: closed (${describeClose(closeReason('shutdown'))})`);
    },
  };
}
