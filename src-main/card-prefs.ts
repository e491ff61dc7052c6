/** Per-card preferences the host keeps beside the vault (`card-prefs.json`): the seller's invoice
 *  expiry table and the buyer's fee caps (issue 11 items 4 and 6). Wraps the wallet host's
 *  handlers like safety.ts does. Browser-safe; docs/wallet.md "Invoice expiry", "Fee caps".
 *
 *  **Decision: the expiry timer lives in the host**, so an invoice is cancelled at its time even
 *  when no window is open. The renderer registers an invoice's expiry (`invoices.setExpiry`)
 *  before it adds the invoice to the node; the host sends `cancel-invoice` through the card's own
 *  app session (`app.request`) when the time has come: at unlock for every expiry that passed
 *  while locked, and on a timer while unlocked. An entry is dropped once the node took the
 *  request (a collected invoice makes the node refuse it: nothing to cancel) or the card is gone;
 *  a card that cannot take it now (stopped, a remote card not connected) is retried. */
import { encode } from '../src-core/codec/index.ts';
import { appToNode } from '../src-core/app/index.ts';
import { type Clock, systemClock, type Timer } from '../src-core/net/index.ts';
import type { BridgeError, CardId, FeeCap, Result } from './bridge.ts';
import { int, list, obj, str, bytes, u128, type Schema } from './bridge-schema.ts';
import type { BridgeHandlers, EventHub } from './dispatcher.ts';

export type CardPrefsRequestName = 'invoices.setExpiry' | 'feeCaps.get' | 'feeCaps.set';
/** What the handlers below wrap: everything else. */
export type InnerHandlers = Omit<BridgeHandlers, CardPrefsRequestName>;

export interface InvoiceExpiry {
  readonly cardId: CardId;
  readonly invoiceId: Uint8Array;
  /** Seconds since the Unix epoch. */
  readonly expiresAt: number;
}

export interface CardPrefs {
  readonly expiries: readonly InvoiceExpiry[];
  readonly feeCaps: readonly { readonly cardId: CardId; readonly currency: string; readonly cap: bigint }[];
}

export const EMPTY_CARD_PREFS: CardPrefs = { expiries: [], feeCaps: [] };
/** At most this many pending expiries per wallet (a hostile renderer cannot grow the file). */
export const MAX_EXPIRIES = 10_000;
/** A card that could not take a due cancel is asked again after this long. */
export const EXPIRY_RETRY_MS = 5_000;

const cardIdSchema = str({ maxLength: 64, minLength: 1, pattern: /^[A-Za-z0-9_-]+$/ });
export const cardPrefsSchema: Schema<CardPrefs> = obj({
  expiries: list(obj({ cardId: cardIdSchema, invoiceId: bytes({ maxBytes: 32, length: 32 }), expiresAt: int({ min: 0, max: Number.MAX_SAFE_INTEGER }) }), { max: MAX_EXPIRIES }),
  feeCaps: list(obj({ cardId: cardIdSchema, currency: str({ maxLength: 16, minLength: 1 }), cap: u128 }), { max: 100_000 }),
});

export interface CardPrefsDeps {
  readonly prefs?: CardPrefs;
  /** Durable save (card-prefs-storage.node.ts); absent: memory only (tests). */
  readonly save?: (p: CardPrefs) => Promise<void>;
  readonly clock?: Clock;
  readonly random: (n: number) => Uint8Array;
  readonly events: Pick<EventHub, 'publish'>;
  /** Called after each cancel the host sent (tests, logs). */
  readonly onExpired?: (e: InvoiceExpiry) => void;
}

export interface CardPrefsHost {
  readonly handlers: BridgeHandlers;
  /** The current table (tests). */
  prefs(): CardPrefs;
  /** Stops the timer (host shutdown). */
  close(): void;
}

type Fail = { readonly ok: false; readonly error: BridgeError };
const fail = (code: BridgeError['code'], message: string): Fail => ({ ok: false, error: { code, message } });
const done = { ok: true, value: undefined } as const;
const sameId = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export function withCardPrefs(inner: InnerHandlers, deps: CardPrefsDeps): CardPrefsHost {
  const clock = deps.clock ?? systemClock;
  let prefs = deps.prefs ?? EMPTY_CARD_PREFS;
  let timer: Timer | undefined;
  let closed = false;
  let sweeping: Promise<void> | undefined;
  // one change at a time: each reads the table it replaces
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = queue.then(f, f);
    queue = run.catch(() => undefined);
    return run;
  };
  const commit = async (next: CardPrefs): Promise<void> => {
    await deps.save?.(next); // throws: table unchanged, the dispatcher answers `internal`
    prefs = next;
  };

  async function unlocked(): Promise<boolean> {
    const s = await inner['wallet.status']({});
    return s.ok && !s.value.locked;
  }
  async function cardExists(cardId: string): Promise<Fail | undefined> {
    const s = await inner['wallet.status']({});
    if (!s.ok) return s;
    if (!s.value.hasPassword) return fail('locked', 'Set a wallet password first.');
    if (s.value.locked) return fail('locked', 'Unlock the wallet first.');
    const l = await inner['cards.list']({});
    if (!l.ok) return l;
    return l.value.cards.some((c) => c.id === cardId) ? undefined : fail('unknown-card', `There is no card ${JSON.stringify(cardId)}.`);
  }
  const capsOf = (cardId: string): FeeCap[] => prefs.feeCaps.filter((c) => c.cardId === cardId).map(({ currency, cap }) => ({ currency, cap }));

  function arm(delayMs?: number): void {
    timer?.cancel();
    timer = undefined;
    if (closed || prefs.expiries.length === 0) return;
    // `delayMs`: due entries wait for a retry; otherwise they are swept at once
    const now = clock.now();
    const times = prefs.expiries.map((e) => e.expiresAt * 1000);
    const next = Math.min(...(delayMs === undefined ? times : times.filter((t) => t > now)));
    const wait = Math.max(0, Math.min(delayMs ?? Infinity, next - now, 2 ** 31 - 1));
    if (!Number.isFinite(wait)) return;
    timer = clock.after(wait, () => {
      timer = undefined;
      void sweep();
    });
  }

  /** Sends cancel-invoice for every expiry that is due; arms the timer for the next. */
  function sweep(): Promise<void> {
    if (sweeping !== undefined) return sweeping;
    sweeping = (async () => {
      let retry = false;
      // locked (also by the idle lock, which does not pass through here): the next unlock sweeps
      if (!(await unlocked())) {
        timer?.cancel();
        timer = undefined;
        return;
      }
      {
        const now = clock.now();
        for (const e of prefs.expiries.filter((x) => x.expiresAt * 1000 <= now)) {
          if (closed) return;
          const message = encode(appToNode, { requestId: deps.random(16), request: { kind: 'cancel-invoice', invoiceId: e.invoiceId } });
          const r = await inner['app.request']({ cardId: e.cardId, message });
          if (!r.ok && r.error.code !== 'unknown-card') {
            retry = true;
            continue;
          }
          await serial(() => commit({ ...prefs, expiries: prefs.expiries.filter((x) => x !== e) }));
          if (r.ok) deps.onExpired?.(e);
        }
      }
      arm(retry ? EXPIRY_RETRY_MS : undefined);
    })().finally(() => {
      sweeping = undefined;
    });
    return sweeping;
  }

  const handlers: BridgeHandlers = {
    ...inner,
    'wallet.create': async (args) => {
      const r = await inner['wallet.create'](args);
      if (r.ok) void sweep();
      return r;
    },
    'wallet.unlock': async (args) => {
      const r = await inner['wallet.unlock'](args);
      if (r.ok) void sweep();
      return r;
    },
    'wallet.lock': async (args) => {
      const r = await inner['wallet.lock'](args);
      if (r.ok) {
        timer?.cancel();
        timer = undefined;
      }
      return r;
    },
    'cards.remove': async (args) => {
      const r = await inner['cards.remove'](args);
      if (r.ok) {
        await serial(() => commit({
          expiries: prefs.expiries.filter((e) => e.cardId !== args.cardId),
          feeCaps: prefs.feeCaps.filter((c) => c.cardId !== args.cardId),
        }));
      }
      return r;
    },
    'invoices.setExpiry': async ({ cardId, invoiceId, expiresAt }): Promise<Result<void, BridgeError>> => {
      const bad = await cardExists(cardId);
      if (bad !== undefined) return bad;
      const r = await serial(async (): Promise<Result<void, BridgeError>> => {
        const others = prefs.expiries.filter((e) => !(e.cardId === cardId && sameId(e.invoiceId, invoiceId)));
        if (others.length >= MAX_EXPIRIES) return fail('bad-input', `The wallet keeps at most ${MAX_EXPIRIES} invoice expiries; cancel some open invoices first.`);
        await commit({ ...prefs, expiries: [...others, { cardId, invoiceId, expiresAt }] });
        return done;
      });
      if (r.ok) arm();
      return r;
    },
    'feeCaps.get': async ({ cardId }) => {
      const bad = await cardExists(cardId);
      return bad ?? { ok: true, value: { caps: capsOf(cardId) } };
    },
    'feeCaps.set': async ({ cardId, currency, cap }) => {
      const bad = await cardExists(cardId);
      if (bad !== undefined) return bad;
      await serial(() => {
        const others = prefs.feeCaps.filter((c) => !(c.cardId === cardId && c.currency === currency));
        return commit({ ...prefs, feeCaps: cap === null ? others : [...others, { cardId, currency, cap }] });
      });
      deps.events.publish('feeCaps.changed', { cardId, caps: capsOf(cardId) });
      return done;
    },
  };

  return {
    handlers,
    prefs: () => prefs,
    close() {
      closed = true;
      timer?.cancel();
      timer = undefined;
    },
  };
}
