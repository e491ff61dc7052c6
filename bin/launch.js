// Runs a command-line program. From a prebuilt bundle when one is fresh (bin/bundle.js: rebuilt
// automatically whenever a source file changed), otherwise from its TypeScript source with tsx,
// which compiles on the fly, so `npx stmgr …` works right after `npm install` with no build step
// to forget. OFFSET_CLI_TSX=1 forces the tsx path.
import { pathToFileURL } from 'node:url';
import { buildBundle, freshBundle, sourceOf } from './bundle.js';

export async function launch(program) {
  const main = await loadMain(program);
  const code = await main(process.argv.slice(2));
  if (typeof code === 'number') process.exitCode = code;
}

async function loadMain(program) {
  if (process.env.OFFSET_CLI_TSX !== '1') {
    const bundle = freshBundle(program) ?? await buildBundle(program).catch(() => undefined);
    if (bundle !== undefined) {
      const url = pathToFileURL(bundle).href;
      try {
        process.setSourceMapsEnabled(true);
        return (await import(url)).main;
      } catch (e) {
        // pruned between the check and the import: run from source instead
        if (!(e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(bundle))) throw e;
      }
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import(pathToFileURL(sourceOf(program)).href)).main;
}
