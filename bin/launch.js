// Runs a command-line program from its TypeScript source: tsx compiles on the fly (and caches),
// so `npx stmgr …` works right after `npm install`, with no build step to forget.
import { register } from 'tsx/esm/api';

export async function launch(program) {
  register();
  const { main } = await import(new URL(`../src-core/cli/${program}.ts`, import.meta.url).href);
  const code = await main(process.argv.slice(2));
  if (typeof code === 'number') process.exitCode = code;
}
