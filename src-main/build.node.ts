/** Builds the wallet: the renderer with Vite (dist/renderer) and the Electron main process and
 *  preload with esbuild (dist/main/*.cjs; a sandboxed preload must be one CommonJS file).
 *  `npm run build` runs both; `npm start` and the e2e suite call these functions. */
import { build as esbuild } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAIN_DIST, REPO_ROOT, RENDERER_DIST, VITE_CONFIG } from './paths.node.ts';

export async function buildRenderer(outDir: string = RENDERER_DIST): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: VITE_CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

export async function buildMain(outDir: string = MAIN_DIST): Promise<void> {
  await esbuild({
    entryPoints: {
      'electron-main': join(REPO_ROOT, 'src-main', 'electron-main.ts'),
      preload: join(REPO_ROOT, 'src-main', 'preload.ts'),
    },
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    // code that finds its files through import.meta.url (sql.js's wasm for the cards' node
    // databases) gets the bundle's own URL, which CommonJS output would leave empty
    banner: { js: "const __offsetImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__offsetImportMetaUrl' },
    logLevel: 'warning',
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildRenderer();
  await buildMain();
  process.stdout.write(`built ${RENDERER_DIST} and ${MAIN_DIST}\n`);
}
