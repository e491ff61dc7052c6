/** Remote cards kept connected (issue 7 §1): one app connection (remote-card.node.ts) per remote
 *  card while the wallet is unlocked. When the node goes away the card shows offline and the
 *  wallet reconnects with exponential backoff (`minDelayMs` doubling up to `maxDelayMs`, back to
 *  `minDelayMs` once a connection delivered its report). The card's balances come from the
 *  node's report, kept current by applying its `report-mutations`. */
import { type NodeReport, applyReportMutations, nodeToApp } from '../src-core/app/index.ts';
import { decodeExact } from '../src-core/codec/index.ts';
import type { CryptoBackend } from '../src-core/crypto/index.ts';
import type { RemoteCard } from '../src-core/files/index.ts';
import type { Clock, Timer } from '../src-core/net/index.ts';
import type { BridgeError, Result } from './bridge.ts';
import { type CardSummary, EMPTY_SUMMARY, cardSummary, sameSummary } from './card-balances.ts';
import type { EventHub } from './dispatcher.ts';
import { connectRemoteCard, type RemoteCardSession } from './remote-card.node.ts';
import type { RemoteCards } from './remote-cards.ts';

export type { RemoteCards } from './remote-cards.ts';

export interface RemoteCardsOptions {
  readonly events: EventHub;
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly log?: (line: string) => void;
  /** First reconnect delay (default 1 s); doubles after each failure up to `maxDelayMs` (default 30 s). */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  /** TCP connect timeout (default remote-card.node.ts's). */
  readonly connectTimeoutMs?: number;
}

interface Entry {
  readonly card: RemoteCard;
  session: RemoteCardSession | undefined;
  report: NodeReport | undefined;
  summary: CardSummary;
  /** The online state last told to listeners (a connection's `open` turns false on its own). */
  toldOnline: boolean;
  toldError: string | undefined;
  connecting: Promise<Result<void, BridgeError>> | undefined;
  timer: Timer | undefined;
  delayMs: number;
  stopped: boolean;
  /** Why the last attempt failed, for `appRequest` while offline. */
  lastError: string | undefined;
  /** Called when the current connection's report arrives. */
  onReport: (() => void) | undefined;
}

/** How long a connected node may take to send its report. */
const REPORT_TIMEOUT_MS = 15_000;

type Fail = { readonly ok: false; readonly error: BridgeError };
const fail = (code: BridgeError['code'], message: string): Fail => ({ ok: false, error: { code, message } });
const done = { ok: true, value: undefined } as const;

export function createRemoteCards(opts: RemoteCardsOptions): RemoteCards {
  const log = opts.log ?? (() => {});
  const minDelay = opts.minDelayMs ?? 1000;
  const maxDelay = opts.maxDelayMs ?? 30_000;
  const entries = new Map<string, Entry>();
  const listeners = new Set<(cardId: string) => void>();
  const notify = (cardId: string): void => {
    for (const l of [...listeners]) l(cardId);
  };
  const online = (e: Entry): boolean => e.session?.open === true && e.report !== undefined;
  const endedText = (e: Entry): string => `The connection to the node of this card at ${e.card.address} ended; the wallet is connecting again.`;

  /** Publishes the card's status when it changed (online, balances, or why it is offline). */
  const update = (cardId: string, e: Entry): void => {
    const next = e.report === undefined ? EMPTY_SUMMARY : cardSummary(e.report);
    const now = online(e);
    const same = sameSummary(next, e.summary) && e.toldOnline === now && e.toldError === e.lastError;
    e.summary = next;
    e.toldOnline = now;
    e.toldError = e.lastError;
    if (!same) notify(cardId);
  };

  const scheduleReconnect = (cardId: string, e: Entry): void => {
    if (e.stopped || e.timer !== undefined) return;
    const delay = e.delayMs;
    e.delayMs = Math.min(maxDelay, e.delayMs * 2);
    log(`card ${cardId}: connecting again in ${delay} ms`);
    e.timer = opts.clock.after(delay, () => {
      e.timer = undefined;
      if (!e.stopped && e.session === undefined) void connect(cardId, e);
    });
  };

  /** Keeps the kept report current; a message that does not decode ends the connection. */
  const onMessage = (cardId: string, e: Entry, s: () => RemoteCardSession | undefined, bytes: Uint8Array): void => {
    const session = s();
    if (session === undefined || e.session !== session) return; // a replaced connection
    const decoded = decodeExact(nodeToApp, bytes);
    if (!decoded.ok) {
      log(`card ${cardId}: its node sent a message that does not decode (${decoded.error.message}); disconnecting`);
      session.close();
      return;
    }
    const m = decoded.value;
    if (m.kind === 'report') {
      e.report = m.report;
      e.delayMs = minDelay; // a working connection: the next failure retries soon
      e.lastError = undefined;
      e.onReport?.();
      e.onReport = undefined;
    } else if (m.kind === 'report-mutations' && e.report !== undefined) {
      e.report = applyReportMutations(e.report, m.mutations);
    }
    update(cardId, e);
  };

  function connect(cardId: string, e: Entry): Promise<Result<void, BridgeError>> {
    if (e.connecting !== undefined) return e.connecting;
    const attempt = (async (): Promise<Result<void, BridgeError>> => {
      let session: RemoteCardSession | undefined;
      const early: Uint8Array[] = []; // messages that came before `session` was known here
      const r = await connectRemoteCard({
        cardId, card: e.card, crypto: opts.crypto, clock: opts.clock, events: opts.events,
        log: (line) => log(line),
        onMessage: (bytes) => (session === undefined ? early.push(bytes) : onMessage(cardId, e, () => session, bytes)),
        ...(opts.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: opts.connectTimeoutMs }),
      });
      if (!r.ok) {
        e.lastError = r.error.message;
        log(`card ${cardId}: ${r.error.message}`);
        update(cardId, e);
        scheduleReconnect(cardId, e);
        return r;
      }
      session = r.value;
      if (e.stopped) {
        session.close();
        return fail('unavailable', 'The card was closed while connecting.');
      }
      e.session = session;
      e.lastError = undefined; // reached: an older failure no longer says why
      const mine = session;
      void mine.ended.then(() => {
        if (e.session !== mine) return; // replaced or stopped: whoever did it decides what follows
        e.session = undefined;
        e.report = undefined;
        e.lastError ??= endedText(e);
        log(`card ${cardId}: the connection to its node at ${e.card.address} ended; reconnecting`);
        update(cardId, e);
        scheduleReconnect(cardId, e);
      });
      // connected only once the node's report came: a node that does not trust this app key
      // closes the connection right after the handshake instead
      const reportCame = new Promise<boolean>((resolve) => {
        const timer = opts.clock.after(REPORT_TIMEOUT_MS, () => {
          e.lastError = `no report within ${REPORT_TIMEOUT_MS / 1000} s`;
          mine.close();
        });
        e.onReport = () => { timer.cancel(); resolve(true); };
        void mine.ended.then(() => { timer.cancel(); resolve(false); });
      });
      for (const bytes of early.splice(0)) onMessage(cardId, e, () => session, bytes);
      const reported = await reportCame;
      if (e.stopped) return fail('unavailable', 'The card was closed while connecting.');
      if (reported) return done;
      const why = `The node of this card at ${e.card.address} ended the connection before sending its report: it may not trust this wallet (the node's trusted folder must hold the app ticket of the .rcard's app key).`;
      if (e.lastError === undefined || e.lastError === endedText(e)) e.lastError = why;
      update(cardId, e);
      return fail('unavailable', why);
    })();
    e.connecting = attempt;
    void attempt.finally(() => {
      if (e.connecting === attempt) e.connecting = undefined;
    });
    return attempt;
  }

  async function stop(cardId: string): Promise<void> {
    const e = entries.get(cardId);
    if (e === undefined) return;
    entries.delete(cardId);
    e.stopped = true;
    e.timer?.cancel();
    e.timer = undefined;
    const wasOnline = e.toldOnline;
    const s = e.session;
    e.session = undefined;
    e.report = undefined;
    s?.close();
    await e.connecting?.catch(() => undefined);
    e.card.appPrivateKey.fill(0);
    if (wasOnline) notify(cardId);
  }

  return {
    start(cardId, card) {
      if (entries.has(cardId)) return;
      const e: Entry = {
        card: { ...card, appPrivateKey: card.appPrivateKey.slice() },
        session: undefined, report: undefined, summary: EMPTY_SUMMARY, toldOnline: false, toldError: undefined, connecting: undefined, timer: undefined,
        delayMs: minDelay, stopped: false, lastError: undefined, onReport: undefined,
      };
      entries.set(cardId, e);
      void connect(cardId, e);
    },
    stop,
    async stopAll() {
      for (const id of [...entries.keys()]) await stop(id);
    },
    status(cardId) {
      const e = entries.get(cardId);
      if (e === undefined) return { online: false, ...EMPTY_SUMMARY };
      const on = online(e);
      return on || e.lastError === undefined ? { online: on, ...e.summary } : { online: false, ...e.summary, problem: e.lastError };
    },
    async connectApp(cardId) {
      const e = entries.get(cardId);
      if (e === undefined) return fail('unavailable', 'This remote card is not connected (the wallet is locked).');
      await e.connecting?.catch(() => undefined);
      e.timer?.cancel();
      e.timer = undefined;
      e.delayMs = minDelay;
      const old = e.session;
      if (old !== undefined) {
        e.session = undefined;
        e.report = undefined;
        old.close();
        update(cardId, e);
      }
      return connect(cardId, e);
    },
    async appRequest(cardId, message) {
      const e = entries.get(cardId);
      if (e === undefined) return fail('unavailable', 'This remote card is not connected (the wallet is locked).');
      const s = e.session;
      if (s === undefined || !s.open) {
        const why = e.lastError === undefined ? '' : ` (${e.lastError})`;
        return fail('unavailable', `The node of this card at ${e.card.address} is not connected${why}; the wallet keeps trying.`);
      }
      return s.appRequest(message);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
