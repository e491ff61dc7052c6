/** `npm run bench`: runs every bench/*.bench.ts and prints one JSON line per figure on stdout
 *  (shared/BENCH.md); progress goes to stderr. `--quick` or BENCH_QUICK=1 shortens each one. */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchContext, type Figure } from './figure.ts';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

const ctx: BenchContext = {
  quick,
  report(f: Figure) { process.stdout.write(`${JSON.stringify(f)}\n`); },
  log(msg: string) { process.stderr.write(`${msg}\n`); },
};

const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
for (const file of files) {
  ctx.log(`bench: ${file}`);
  const mod = (await import(join(here, file))) as { run(ctx: BenchContext): Promise<void> };
  await mod.run(ctx);
}
