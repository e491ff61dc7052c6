/** Is the Electron binary installed? In Node, `require('electron')` returns the binary's path
 *  (or throws when its download never happened, see install-electron.node.ts). */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export function electronBinary(): string | undefined {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}
