/** Reconnect delay: exponential from `minMs` to `maxMs`, with jitter in [50 %, 100 %] of the step
 *  (ARCHITECTURE §4 "Reconnects back off exponentially with jitter"). */
export function backoffMs(minMs: number, maxMs: number, failures: number, random: (n: number) => Uint8Array): number {
  const step = Math.min(maxMs, minMs * 2 ** Math.min(failures, 30));
  const r = random(2);
  const fraction = (((r[0] as number) << 8) | (r[1] as number)) / 65535;
  return Math.round(step * (0.5 + 0.5 * fraction));
}
