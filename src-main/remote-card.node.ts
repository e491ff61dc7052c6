/** A remote card's app connection (issue 7 §1): the wallet is an app of a remote `stnode`,
 *  named by an `.rcard` file (src-core/files parseRcard). TCP, then the secure channel with the
 *  card's app identity, expecting the node's key; then the app protocol's bytes pass through
 *  unchanged, as for a local card: requests come from `app.request` (checked to decode as an
 *  AppToNode first), everything the node sends goes out as `app.message` events.
 *
 *  One connection; remote-cards.node.ts keeps a card connected (reconnects, status, balances). */
import { appToNode, type MessageTransport } from '../src-core/app/index.ts';
import { decodeExact } from '../src-core/codec/index.ts';
import { type CryptoBackend, identityFromSeed } from '../src-core/crypto/index.ts';
import type { RemoteCard } from '../src-core/files/index.ts';
import { type Clock, secureChannel } from '../src-core/net/index.ts';
import { tcpConnect } from '../src-core/net/tcp.node.ts';
import type { BridgeError, Result } from './bridge.ts';
import type { EventHub } from './dispatcher.ts';

export interface RemoteCardOptions {
  readonly cardId: string;
  readonly card: RemoteCard;
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly events: EventHub;
  readonly log?: (line: string) => void;
  /** Called with each message from the node after it was published (remote-cards keeps the report). */
  readonly onMessage?: (message: Uint8Array) => void;
  /** Give up connecting (TCP) after this long; default 10 s. The handshake has its own timeout. */
  readonly connectTimeoutMs?: number;
}

export interface RemoteCardSession {
  /** One app-protocol message (AppToNode, canonical encoding) for the remote node. */
  appRequest(message: Uint8Array): Promise<Result<void, BridgeError>>;
  /** Resolves when the connection has ended (closed here or by the node). */
  readonly ended: Promise<void>;
  readonly open: boolean;
  close(): void;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const fail = (code: BridgeError['code'], message: string): { ok: false; error: BridgeError } => ({ ok: false, error: { code, message } });

const CONNECT_TIMEOUT_MS = 10_000;

/** `p`, or a rejection after `ms`; a value that arrives too late goes to `late` (to be closed). */
function withTimeout<T>(p: Promise<T>, ms: number, clock: Clock, late: (value: T) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = clock.after(ms, () => {
      timedOut = true;
      reject(new Error(`no answer within ${ms / 1000} s`));
    });
    p.then(
      (v) => {
        if (timedOut) late(v);
        else {
          timer.cancel();
          resolve(v);
        }
      },
      (e: unknown) => {
        timer.cancel();
        reject(e);
      },
    );
  });
}

/** Connects to the remote node; `unavailable` (with the reason) when it cannot be reached or
 *  refuses the app's key. The node's first message, its report, arrives as an `app.message`. */
export async function connectRemoteCard(opts: RemoteCardOptions): Promise<Result<RemoteCardSession, BridgeError>> {
  const { card, cardId } = opts;
  const log = opts.log ?? (() => {});
  let transport: MessageTransport;
  try {
    const raw = await withTimeout(tcpConnect(card.address), opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, opts.clock, (late) => late.close());
    try {
      transport = await secureChannel(raw, {
        identity: identityFromSeed(opts.crypto, card.appPrivateKey), crypto: opts.crypto, clock: opts.clock, expectedRemote: card.nodePublicKey,
      });
    } catch (e) {
      raw.close();
      throw e;
    }
  } catch (e) {
    return fail('unavailable', `Cannot reach the node of this card at ${card.address}: ${errorText(e)}`);
  }
  let open = true;
  const ended = (async () => {
    try {
      for (;;) {
        const message = await transport.receive();
        if (message === undefined) break;
        try {
          opts.events.publish('app.message', { cardId, message });
        } catch (e) {
          log(`card ${cardId}: an app message was not published: ${errorText(e)}`);
        }
        opts.onMessage?.(message);
      }
    } catch (e) {
      log(`card ${cardId}: the connection to its node failed: ${errorText(e)}`);
    } finally {
      open = false;
    }
  })();
  return {
    ok: true,
    value: {
      ended,
      get open() {
        return open;
      },
      async appRequest(message) {
        const decoded = decodeExact(appToNode, message);
        if (!decoded.ok) return fail('bad-input', `Not an app-protocol request: ${decoded.error.message}`);
        if (!open) return fail('unavailable', `The connection to the node of this card (${card.address}) has ended.`);
        try {
          await transport.send(message);
        } catch (e) {
          return fail('unavailable', `The connection to the node of this card (${card.address}) failed: ${errorText(e)}`);
        }
        return { ok: true, value: undefined };
      },
      close() {
        open = false;
        transport.close();
      },
    },
  };
}
