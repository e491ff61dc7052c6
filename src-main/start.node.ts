/** `npm start`: builds the wallet and runs it in Electron when the Electron binary is installed,
 *  otherwise (or with --browser) in browser mode, printing the address to open. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, UsageError, type CommandSpec } from '../src-core/cli/args.ts';
import { isStoreError } from '../src-core/store/index.ts';
import { runProgram, type Io } from '../src-core/cli/program.ts';
import { startBrowserHost } from './browser-host.node.ts';
import { buildMain, buildRenderer } from './build.node.ts';
import { electronBinary } from './electron-binary.node.ts';
import { openWalletHost } from './host.node.ts';
import { defaultDataDir, REPO_ROOT, RENDERER_DIST } from './paths.node.ts';

const SPEC: CommandSpec = {
  name: 'offset-wallet',
  help: 'Run the Offset wallet: in Electron when it is installed, else in browser mode.',
  options: [
    { long: 'browser', flag: true, help: 'browser mode even when Electron is installed: serve on 127.0.0.1 and print the address' },
    { long: 'port', value: 'PORT', help: 'browser mode: the port on 127.0.0.1 (default: a free one)' },
    { long: 'no-build', flag: true, help: 'use the renderer already built (in dist/renderer or --renderer)' },
    { long: 'data-dir', value: 'DIR', help: 'browser mode: the wallet data folder (default: the same as the Electron app)' },
    { long: 'renderer', value: 'DIR', help: 'browser mode: serve the renderer from DIR (default: dist/renderer)' },
  ],
};

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--port must be 0..65535, not ${JSON.stringify(text)}`);
  return Number(text);
}

async function runBrowserMode(rendererDir: string, dataDir: string, port: number, io: Io): Promise<number> {
  let opened;
  try {
    opened = await openWalletHost(dataDir, (e) => {
      io.err(`offset: internal error in the wallet host: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    });
  } catch (e) {
    if (isStoreError(e)) throw new CliError(`${e.message} (is another Offset wallet running on ${dataDir}?)`);
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
  const { dispatcher, events } = opened;
  const host = await startBrowserHost({ rendererDir, dispatcher, events, port });
  io.out(`Offset wallet (browser mode) is running. Open this address in your browser:\n\n  ${host.url}\n\nThe address contains a secret for this run only; do not share it. Press Ctrl+C to stop.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await host.close();
  await opened.close();
  return 0;
}

async function runElectron(binary: string, io: Io): Promise<number> {
  await buildMain();
  io.out('Starting the Offset wallet in Electron…');
  const child = spawn(binary, [REPO_ROOT], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}

const code = await runProgram('npm start --', SPEC, process.argv.slice(2), async (parsed, io) => {
  const port = parsePort(parsed.values.get('port'));
  const rendererDir = resolve(parsed.values.get('renderer') ?? RENDERER_DIST);
  if (!parsed.flags.has('no-build') || !existsSync(join(rendererDir, 'index.html'))) {
    io.out('Building the wallet UI…');
    await buildRenderer(rendererDir);
  }
  const binary = parsed.flags.has('browser') ? undefined : electronBinary();
  if (binary === undefined && !parsed.flags.has('browser')) io.out('Electron is not installed here: using browser mode.');
  return binary === undefined ? runBrowserMode(rendererDir, resolve(parsed.values.get('data-dir') ?? defaultDataDir()), port, io) : runElectron(binary, io);
});
process.exit(code);
