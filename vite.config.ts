/** Builds the renderer (src-renderer) into dist/renderer with relative asset paths, so the same
 *  files load from app://offset/ in Electron and from http://127.0.0.1:PORT/ in browser mode. */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./src-renderer'),
  base: './',
  plugins: [react()],
  // the renderer never talks to a dev server in production; no inline scripts or styles either,
  // so the strict CSP (src-main/window-options.ts) holds
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  clearScreen: false,
});
