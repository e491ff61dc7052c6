/** Where the wallet's built pieces live, relative to the repository (or the packaged app), and
 *  where its data lives. */
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_DIR_NAME } from './app-name.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_DIST = join(REPO_ROOT, 'dist', 'renderer');
export const MAIN_DIST = join(REPO_ROOT, 'dist', 'main');
export const VITE_CONFIG = join(REPO_ROOT, 'vite.config.ts');

export { APP_DIR_NAME };

/** The same folder Electron's app.getPath('userData') gives once electron-main names the app
 *  "Offset", so browser mode and Electron share one wallet. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): string {
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), APP_DIR_NAME);
}
