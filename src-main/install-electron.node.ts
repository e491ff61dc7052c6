/** Fetches the Electron binary after `npm install`, without ever failing the install.
 *
 *  package.json denies electron's own postinstall (`allowScripts.electron: false`) because that
 *  script exits non-zero when the download host is unreachable, which turns `npm ci` red on an
 *  offline or registry-only machine. This root postinstall runs the same download and, when it
 *  fails, says so and lets the wallet fall back to browser mode (`npm start` checks the binary).
 *  Set ELECTRON_SKIP_BINARY_DOWNLOAD=1 to skip the attempt altogether. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

function electronDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

function main(): void {
  const dir = electronDir();
  if (dir === undefined) return; // production install without devDependencies
  if (existsSync(join(dir, 'path.txt'))) return; // already downloaded
  if (process.env['ELECTRON_SKIP_BINARY_DOWNLOAD']) {
    process.stdout.write('offset-desktop: Electron download skipped; `npm start` will use browser mode\n');
    return;
  }
  const r = spawnSync(process.execPath, [join(dir, 'install.js')], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'pipe'],
    timeout: DOWNLOAD_TIMEOUT_MS,
    encoding: 'utf8',
  });
  if (r.status === 0 && existsSync(join(dir, 'path.txt'))) return;
  const reason = (r.stderr ?? '').split('\n').find((l) => l.trim() !== '') ?? r.error?.message ?? `exit ${String(r.status)}`;
  process.stdout.write(
    `offset-desktop: the Electron binary could not be downloaded (${reason.trim()});\n` +
      '  `npm start` will run the wallet in browser mode. Retry later with `node node_modules/electron/install.js`.\n',
  );
}

main();
