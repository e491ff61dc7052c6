/** Start-up of a command-line program, `stmgr --help` run to completion as a child process:
 *    cli.start_ms      p50 with the prebuilt bundle (bin/bundle.js), the cache warm
 *    cli.start_ms_tsx  p50 from source through tsx (OFFSET_CLI_TSX=1), as every start was before
 *  Every multi-process test and the storms start hundreds of these. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type BenchContext, percentile } from './figure.ts';

const bin = fileURLToPath(new URL('../bin/stmgr.js', import.meta.url));

function startMs(env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  execFileSync(process.execPath, [bin, '--help'], { env, stdio: 'ignore' });
  return performance.now() - t;
}

function p50(n: number, env: NodeJS.ProcessEnv): number {
  startMs(env); // warm-up: builds the bundle if a source changed, fills the OS caches
  const times = Array.from({ length: n }, () => startMs(env)).sort((a, b) => a - b);
  return Math.round(percentile(times, 50));
}

export async function run(ctx: BenchContext): Promise<void> {
  const n = ctx.quick ? 5 : 20;
  const { OFFSET_CLI_TSX: _ignored, ...env } = process.env;
  ctx.report({ figure: 'cli.start_ms', value: p50(n, env), unit: 'ms', runs: n, command: 'stmgr --help' });
  ctx.report({ figure: 'cli.start_ms_tsx', value: p50(n, { ...env, OFFSET_CLI_TSX: '1' }), unit: 'ms', runs: n, command: 'stmgr --help' });
}
