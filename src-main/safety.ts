/** Safety habits on the host side (issue 11 item 7): the idle auto-lock, checking the wallet
 *  password without changing anything, a rate limit on password guesses, and the safety
 *  settings. Wraps the wallet host's handlers (wallet-host.ts) so every password check — unlock,
 *  change, verify, settings — counts against one limiter. Browser-safe; docs/wallet.md.
 *
 *  **Decision: the idle timer lives in the host.** Only the renderer sees input, so it reports
 *  it (`wallet.activity`, throttled); the host decides and locks (`wallet.lock`: the nodes stop,
 *  the wallet key is zeroed). So the wallet also locks when the window is closed, hidden,
 *  throttled or crashed, and with several browser-mode tabs any tab's input keeps it open. */
import { type Clock, systemClock, type Timer } from '../src-core/net/index.ts';
import type { BridgeError, Result, SafetySettings } from './bridge.ts';
import type { CardPrefsRequestName } from './card-prefs.ts';
import type { BridgeHandlers, EventHub } from './dispatcher.ts';

export type SafetyRequestName = 'wallet.verifyPassword' | 'wallet.activity' | 'safety.get' | 'safety.set';
/** What the wallet host itself answers; `withSafety` adds the rest. */
export type WalletHandlers = Omit<BridgeHandlers, SafetyRequestName | CardPrefsRequestName>;

export const DEFAULT_SAFETY_SETTINGS: SafetySettings = { autoLockSeconds: 15 * 60, payPasswordAbove: [], payPasswordAboveOther: null };

export interface PasswordLimiterOptions {
  /** Attempts that may fail before any wait. */
  readonly freeFailures: number;
  /** The first wait; it doubles with each further failure, up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_PASSWORD_LIMITS: PasswordLimiterOptions = { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 5 * 60_000 };

export interface PasswordLimiter {
  /** Starts an attempt: 0 when it may go ahead (it counts as failed until `succeeded`), else the
   *  milliseconds to wait. Counting before the check means parallel guesses are limited too. */
  begin(): number;
  succeeded(): void;
  /** The attempt did not check a password at all (e.g. no password set): it does not count. */
  abandoned(): void;
}

export function createPasswordLimiter(clock: Pick<Clock, 'now'>, o: PasswordLimiterOptions = DEFAULT_PASSWORD_LIMITS): PasswordLimiter {
  let failures = 0;
  let notBefore = 0;
  return {
    begin() {
      const wait = notBefore - clock.now();
      if (wait > 0) return wait;
      failures++;
      if (failures >= o.freeFailures) {
        const doublings = Math.min(failures - o.freeFailures, 30);
        notBefore = clock.now() + Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** doublings);
      }
      return 0;
    },
    succeeded() {
      failures = 0;
      notBefore = 0;
    },
    abandoned() {
      if (failures > 0) failures--;
      if (failures < o.freeFailures) notBefore = 0;
    },
  };
}

/** Checks settings the schema cannot: each currency at most once. */
export function checkSafetySettings(s: SafetySettings): string | undefined {
  const seen = new Set<string>();
  for (const t of s.payPasswordAbove) {
    if (seen.has(t.currency)) return `The currency ${t.currency} has two password thresholds; keep one.`;
    seen.add(t.currency);
  }
  return undefined;
}

export interface SafetyOptions {
  readonly settings?: SafetySettings;
  /** Durable save (safety-storage.node.ts); absent: kept in memory only (tests). */
  readonly save?: (s: SafetySettings) => Promise<void>;
  /** Default the system clock. */
  readonly clock?: Clock;
  readonly limits?: PasswordLimiterOptions;
}

export interface SafetyDeps extends SafetyOptions {
  readonly events: Pick<EventHub, 'publish'>;
  /** true: right, false: wrong, undefined: no password set yet. Changes nothing. */
  readonly checkPassword: (password: string) => Promise<boolean | undefined>;
  /** Called after every auto-lock (tests, logs). */
  readonly onAutoLock?: () => void;
}

export interface Safety {
  readonly handlers: Omit<BridgeHandlers, CardPrefsRequestName>;
  /** Stops the idle timer (host shutdown). */
  close(): void;
}

type Fail = { readonly ok: false; readonly error: BridgeError };
const fail = (code: BridgeError['code'], message: string): Fail => ({ ok: false, error: { code, message } });
const done = { ok: true, value: undefined } as const;

const waitSentence = (ms: number): string => {
  const s = Math.ceil(ms / 1000);
  return `Too many wrong passwords. Wait ${s} second${s === 1 ? '' : 's'} and try again.`;
};

export function withSafety(inner: WalletHandlers, deps: SafetyDeps): Safety {
  const clock = deps.clock ?? systemClock;
  const limiter = createPasswordLimiter(clock, deps.limits ?? DEFAULT_PASSWORD_LIMITS);
  let settings = deps.settings ?? DEFAULT_SAFETY_SETTINGS;
  let unlocked = false;
  let lastInput = clock.now();
  let timer: Timer | undefined;
  let closed = false;

  const idleMs = (): number => settings.autoLockSeconds * 1000;
  function arm(): void {
    timer?.cancel();
    timer = undefined;
    if (closed || !unlocked || settings.autoLockSeconds === 0) return;
    timer = clock.after(Math.max(0, lastInput + idleMs() - clock.now()), () => void fire());
  }
  async function fire(): Promise<void> {
    timer = undefined;
    if (closed || !unlocked || settings.autoLockSeconds === 0) return;
    if (clock.now() - lastInput < idleMs()) return arm(); // input came meanwhile
    await inner['wallet.lock']({});
    unlocked = false;
    deps.onAutoLock?.();
  }
  function touch(): void {
    lastInput = clock.now();
    if (timer === undefined) arm(); // an armed timer re-checks the time when it fires
  }
  const becameUnlocked = (): void => {
    unlocked = true;
    touch();
    arm();
  };

  /** Runs a password check under the limiter; wrong-password keeps the attempt counted. */
  async function limited<T>(attempt: () => Promise<Result<T, BridgeError>>): Promise<Result<T, BridgeError>> {
    const wait = limiter.begin();
    if (wait > 0) return fail('rate-limited', waitSentence(wait));
    const r = await attempt();
    if (r.ok) limiter.succeeded();
    else if (r.error.code !== 'wrong-password') limiter.abandoned();
    return r;
  }

  async function verify(password: string): Promise<Result<void, BridgeError>> {
    const status = await inner['wallet.status']({});
    if (!status.ok) return status;
    if (!status.value.hasPassword) return fail('locked', 'Set a wallet password first.');
    if (status.value.locked) return fail('locked', 'Unlock the wallet first.');
    return limited(async () => {
      const right = await deps.checkPassword(password);
      if (right === undefined) return fail('locked', 'Set a wallet password first.');
      return right ? done : fail('wrong-password', 'Wrong password. Nothing was changed; try again.');
    });
  }

  const handlers: Omit<BridgeHandlers, CardPrefsRequestName> = {
    ...inner,
    'wallet.create': async (args) => {
      const r = await inner['wallet.create'](args);
      if (r.ok) becameUnlocked();
      return r;
    },
    'wallet.unlock': async (args) => {
      const r = await limited(() => inner['wallet.unlock'](args));
      if (r.ok) becameUnlocked();
      return r;
    },
    'wallet.lock': async (args) => {
      const r = await inner['wallet.lock'](args);
      if (r.ok) {
        unlocked = false;
        arm();
      }
      return r;
    },
    'wallet.changePassword': (args) => limited(() => inner['wallet.changePassword'](args)),
    'wallet.verifyPassword': async ({ password }) => {
      const r = await verify(password);
      if (r.ok) touch();
      return r;
    },
    'wallet.activity': async () => {
      if (unlocked) touch();
      return done;
    },
    'safety.get': async () => ({ ok: true, value: settings }),
    'safety.set': async ({ settings: next, password }) => {
      const bad = checkSafetySettings(next);
      if (bad !== undefined) return fail('bad-input', bad);
      const r = await verify(password);
      if (!r.ok) return r;
      await deps.save?.(next); // throws: settings unchanged, the dispatcher answers `internal`
      settings = next;
      touch();
      arm();
      deps.events.publish('safety.changed', settings);
      return done;
    },
  };

  return {
    handlers,
    close() {
      closed = true;
      timer?.cancel();
      timer = undefined;
    },
  };
}
