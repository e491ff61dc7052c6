/** Where the wallet's built pieces live, relative to the repository (or the packaged app). */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_DIST = join(REPO_ROOT, 'dist', 'renderer');
export const MAIN_DIST = join(REPO_ROOT, 'dist', 'main');
export const VITE_CONFIG = join(REPO_ROOT, 'vite.config.ts');
