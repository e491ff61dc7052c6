/** The scenario runner: a seeded random storm of faults (processes SIGKILLed and restarted,
 *  links cut and restored) over a VirtualNet while a workload runs, then a settle phase with
 *  every fault healed, then figures as one JSON line. Today it drives relays and index servers;
 *  the node issue plugs ≥ 30 stnode processes in as more `FaultTarget`s and a payment workload
 *  (whose figures are payments instead of messages) without changing the runner.
 *
 *  The schedule is a pure function of the seed (`faultSchedule`), so a failing storm replays. */
import { prng } from '../fuzz/prng.ts';

export type FaultKind = 'crash' | 'restart' | 'cut' | 'restore';

export interface FaultEvent {
  readonly atMs: number;
  readonly kind: FaultKind;
  readonly target: string;
}

export interface ScheduleOptions {
  readonly durationMs: number;
  /** Names of processes that may be crashed (each crash is followed by its restart). */
  readonly processes: readonly string[];
  /** Names of hosts whose link may be cut (each cut is followed by its restore). */
  readonly links: readonly string[];
  /** Mean time between the starts of two faults. */
  readonly meanGapMs: number;
  /** How long a process stays dead or a link stays cut. */
  readonly downMs: readonly [min: number, max: number];
  /** At most this many targets down at once (so the network keeps some path). */
  readonly maxConcurrent?: number;
}

/** Faults with their repairs, in time order; every repair comes before `durationMs`, and a
 *  target is never hit again while it is down. */
export function faultSchedule(seed: number, o: ScheduleOptions): FaultEvent[] {
  const r = prng(seed);
  const targets = [...o.processes.map((t) => ({ t, kind: 'crash' as const })), ...o.links.map((t) => ({ t, kind: 'cut' as const }))];
  if (targets.length === 0) return [];
  const [minDown, maxDown] = o.downMs;
  if (!(minDown > 0 && maxDown >= minDown)) throw new RangeError('downMs: 0 < min ≤ max');
  const busyUntil = new Map<string, number>();
  const windows: [number, number][] = [];
  const out: FaultEvent[] = [];
  const maxConcurrent = o.maxConcurrent ?? 2;
  let t = 0;
  for (;;) {
    // uniform gaps in [0.5, 1.5] × mean: exponential ones leave long quiet spells in a short storm
    t += Math.max(1, Math.round(o.meanGapMs * (0.5 + r.below(1001) / 1000)));
    const down = minDown + r.below(maxDown - minDown + 1);
    if (t >= o.durationMs) break;
    if (t + down >= o.durationMs) continue; // a shorter fault may still fit
    const concurrent = windows.filter(([a, b]) => a < t + down && t < b).length;
    const free = targets.filter((x) => (busyUntil.get(x.t) ?? -1) < t);
    if (concurrent >= maxConcurrent || free.length === 0) continue;
    const pick = r.pick(free);
    busyUntil.set(pick.t, t + down);
    windows.push([t, t + down]);
    out.push({ atMs: t, kind: pick.kind, target: pick.t });
    out.push({ atMs: t + down, kind: pick.kind === 'crash' ? 'restart' : 'restore', target: pick.t });
  }
  const repairFirst = (e: FaultEvent): number => (e.kind === 'restart' || e.kind === 'restore' ? 0 : 1);
  return out.sort((a, b) => a.atMs - b.atMs || repairFirst(a) - repairFirst(b));
}

/** Something the runner can break and repair. */
export interface FaultTarget {
  readonly name: string;
  readonly kind: 'process' | 'link';
  /** crash (SIGKILL) or cut */
  break(): Promise<void>;
  /** restart (waits until it serves again) or restore */
  repair(): Promise<void>;
}

export interface WorkloadFigures {
  readonly attempted: number;
  readonly delivered: number;
  /** Latencies of the delivered ones, in ms. */
  readonly latenciesMs: readonly number[];
}

export interface ScenarioFigures {
  readonly scenario: string;
  readonly seed: number;
  readonly durationMs: number;
  readonly faultsInjected: { readonly crash: number; readonly cut: number };
  readonly attempted: number;
  readonly delivered: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

export interface Scenario {
  readonly name: string;
  readonly seed: number;
  readonly schedule: readonly FaultEvent[];
  readonly targets: readonly FaultTarget[];
  /** Runs while the faults are injected; resolves with what it attempted and delivered. It
   *  is told when the storm is over (`settled`), to finish with a clean network. */
  workload(settled: Promise<void>): Promise<WorkloadFigures>;
  /** Where the events go as they happen (one line each), e.g. console.log. */
  readonly log?: (line: string) => void;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return -1;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
}

/** Injects the schedule on the wall clock (it drives real processes), heals whatever is still
 *  broken if the workload ends early or something throws, and returns the figures. */
export async function runScenario(s: Scenario): Promise<ScenarioFigures> {
  const byName = new Map(s.targets.map((t) => [t.name, t]));
  for (const e of s.schedule) if (!byName.has(e.target)) throw new RangeError(`schedule names an unknown target ${e.target}`);
  const broken = new Set<string>();
  const started = performance.now();
  const counts = { crash: 0, cut: 0 };
  let markSettled!: () => void;
  const settled = new Promise<void>((r) => { markSettled = r; });
  const work = s.workload(settled);
  let stop = false;
  const storm = (async () => {
    for (const e of s.schedule) {
      const wait = e.atMs - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (stop) break;
      const t = byName.get(e.target) as FaultTarget;
      s.log?.(`${Math.round(performance.now() - started)} ms: ${e.kind} ${e.target}`);
      if (e.kind === 'crash' || e.kind === 'cut') {
        counts[e.kind]++;
        broken.add(t.name);
        await t.break();
      } else {
        await t.repair();
        broken.delete(t.name);
      }
    }
  })();
  try {
    await Promise.race([storm, work.then(() => { stop = true; })]);
    await storm;
  } finally {
    for (const name of broken) await (byName.get(name) as FaultTarget).repair();
    broken.clear();
    markSettled();
  }
  const w = await work;
  const lat = [...w.latenciesMs].sort((a, b) => a - b);
  return {
    scenario: s.name, seed: s.seed, durationMs: Math.round(performance.now() - started), faultsInjected: counts,
    attempted: w.attempted, delivered: w.delivered, latencyP50Ms: quantile(lat, 0.5), latencyP99Ms: quantile(lat, 0.99),
  };
}
