/** One measured figure, as shared/BENCH.md defines the JSON line. */
export interface Figure {
  readonly figure: string;
  readonly value: number;
  readonly unit: string;
  readonly [extra: string]: unknown;
}

export interface BenchContext {
  readonly quick: boolean;
  report(figure: Figure): void;
  log(message: string): void;
}

/** Runs `op` repeatedly for about `ms` milliseconds (after a warm-up) and returns ops/s. */
export function opsPerSecond(op: () => void, ms: number): { value: number; n: number } {
  for (let i = 0; i < 50; i++) op();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 32; i++) op();
    n += 32;
    now = performance.now();
  }
  return { value: Math.round((n * 1000) / (now - start)), n };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}
