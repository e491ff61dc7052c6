/** Reconnect delays: exponential with "equal jitter" (half fixed, half random), so a relay that
 *  comes back is not hit by every node at the same instant (ARCHITECTURE §4 "Time"). */

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 60_000 };

/** Delay before attempt number `failures` (0 = after the first failure). `random` gives bytes. */
export function backoffDelay(failures: number, opts: BackoffOptions, random: (n: number) => Uint8Array): number {
  const ceiling = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.min(failures, 30));
  const r = random(2);
  const unit = (((r[0] as number) << 8) | (r[1] as number)) / 0xffff;
  return Math.round(ceiling / 2 + (ceiling / 2) * unit);
}
