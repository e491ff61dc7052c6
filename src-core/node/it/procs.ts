/** Helpers for the node's multi-process tests: run the real bin/*.js programs, keep servers
 *  running in the background, pick free loopback ports, poll with a bounded deadline. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type RunResult, freePort, runBin } from '../../cli/it/spawn.ts';

export { type RunResult, freePort, runBin };

const binPath = (program: string): string => fileURLToPath(new URL(`../../../bin/${program}.js`, import.meta.url));

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
