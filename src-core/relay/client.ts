/** Relay client: reach a friend through its relay (`connectViaRelay`), or listen on our relay
 *  for friends (`listenViaRelay`). Each returns tunnels: FrameStreams to the other node, over
 *  which the caller runs its own end-to-end secure channel (expected remote = the friend). */
import { decodeExact, encode } from '../codec/index.ts';
import { type CryptoBackend, type Signer } from '../crypto/index.ts';
import {
  type Clock, type CloseReason, type FrameStream, type SecureChannel, closeReason, secureChannel,
} from '../net/index.ts';
import { type InitConnection, initConnection, relayToListener } from './messages.ts';

export interface RelayAddress {
  readonly publicKey: Uint8Array;
  /** "host:port" */
  readonly address: string;
}

/** Opens a transport stream to "host:port" (TCP in node: `tcpConnect`). */
export type Dial = (address: string) => Promise<FrameStream>;

export interface RelayClientOptions {
  readonly identity: Signer;
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly dial: Dial;
  readonly keepaliveMs?: number;
  readonly timeoutMs?: number;
  readonly handshakeTimeoutMs?: number;
}

async function openToRelay(relay: RelayAddress, init: InitConnection, opts: RelayClientOptions): Promise<SecureChannel> {
  const raw = await opts.dial(relay.address);
  const ch = await secureChannel(raw, {
    identity: opts.identity, crypto: opts.crypto, clock: opts.clock, expectedRemote: relay.publicKey,
    ...(opts.keepaliveMs !== undefined ? { keepaliveMs: opts.keepaliveMs } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: opts.handshakeTimeoutMs } : {}),
  });
  await ch.send(encode(initConnection, init));
  return ch;
}

/** A tunnel to `friend` through `relay` (where the friend listens). Frames sent before the
 *  friend accepts wait at the relay; if it never accepts, the tunnel closes. */
export function connectViaRelay(relay: RelayAddress, friend: Uint8Array, opts: RelayClientOptions): Promise<FrameStream> {
  return openToRelay(relay, { kind: 'connect', publicKey: friend }, opts);
}

export interface RelayListener {
  readonly closed: Promise<CloseReason>;
  close(): void;
}

export interface ListenOptions extends RelayClientOptions {
  /** Whether to accept a connection from this key (e.g. an enabled friend). */
  readonly accept: (from: Uint8Array) => boolean;
  /** Receives each accepted tunnel; the caller owns it. */
  readonly onTunnel: (from: Uint8Array, tunnel: FrameStream) => void;
  /** An accepted connection never became a tunnel (exactly one of onTunnel / onAcceptFailed
   *  follows each `accept` that returned true). */
  readonly onAcceptFailed?: (from: Uint8Array) => void;
  readonly log?: (line: string) => void;
}

/** Holds a control connection to `relay`; resolves once it is up. Announced connections are
 *  accepted on fresh connections to the relay. */
export async function listenViaRelay(relay: RelayAddress, opts: ListenOptions): Promise<RelayListener> {
  const control = await openToRelay(relay, { kind: 'listen' }, opts);
  const log = opts.log ?? (() => {});
  void (async () => {
    for await (const frame of control) {
      const m = decodeExact(relayToListener, frame);
      if (!m.ok) { control.close(closeReason('bad-message', `from relay: ${m.error.message}`)); return; }
      const from = m.value.publicKey;
      if (!opts.accept(from)) continue;
      openToRelay(relay, { kind: 'accept', publicKey: from }, opts).then(
        (tunnel) => {
          if (control.closeReason !== undefined) {
            tunnel.close();
            opts.onAcceptFailed?.(from);
            return;
          }
          opts.onTunnel(from, tunnel);
        },
        (e: unknown) => {
          log(`relay client: accepting a connection via ${relay.address} failed: ${(e as Error).message}`);
          opts.onAcceptFailed?.(from);
        },
      );
    }
  })();
  return { closed: control.closed, close: () => control.close() };
}
