/** Helpers for the node's multi-process tests: run the real bin/*.js programs, keep servers
 *  running in the background, pick free loopback ports, poll with a bounded deadline. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type RunResult, runBin } from '../../cli/it/spawn.ts';

export { type RunResult, runBin };

const binPath = (program: string): string => fileURLToPath(new URL(`../../../bin/${program}.js`, import.meta.url));

/** A free TCP port on 127.0.0.1 for a program started later, with its address written into a
 *  ticket first. Picked below the kernel's ephemeral range (32768–60999 here), so no `listen(0)`
 *  and no outgoing connection of a parallel test can take it meanwhile; checked by binding. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await bindable(port)) return port;
  }
  throw new Error('no free port found in 20000..31999');
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Splits one command line as the tutorial prints it (no quoting needed) and runs it. */
export function sh(line: string, cwd: string): Promise<RunResult> {
  const [program, ...args] = line.trim().split(/\s+/);
  return runBin(program as string, args, cwd);
}

export interface Background {
  readonly child: ChildProcess;
  readonly program: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Starts a server program and resolves once it printed `ready` on stdout. */
export function background(line: string, cwd: string, ready: RegExp, timeoutMs = 30_000): Promise<Background> {
  const [program, ...args] = line.trim().split(/\s+/) as [string, ...string[]];
  const child = spawn(process.execPath, [binPath(program), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  const bg: Background = {
    child, program, output: () => out, exited,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${program} not ready after ${timeoutMs} ms:\n${out}`)); }, timeoutMs);
    const onData = (d: Buffer): void => {
      out += d.toString('utf8');
      if (ready.test(out)) { clearTimeout(timer); resolve(bg); }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`${program} exited (${code}) before ready:\n${out}`)); });
  });
}

/** Runs `attempt` until it returns a value other than undefined, or fails after `deadlineMs`. */
export async function poll<T>(what: string, attempt: () => Promise<T | undefined>, deadlineMs = 30_000, everyMs = 200): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await attempt();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
