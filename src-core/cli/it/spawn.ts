/** Runs one of the real programs (node bin/<program>.js …) as a child process, for the
 *  command-line integration tests. */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runBin(program: string, args: readonly string[], cwd: string): Promise<RunResult> {
  const bin = fileURLToPath(new URL(`../../../bin/${program}.js`, import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args], { cwd, timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') { reject(error); return; }
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** A failure the tests accept: non-zero exit, nothing on stdout, exactly one line on stderr. */
export function isOneLineFailure(r: RunResult): boolean {
  return r.code !== 0 && r.stdout === '' && /^[^\n]+\n$/.test(r.stderr);
}

/** A free TCP port on 127.0.0.1 for a server started later, whose address must be known first
 *  (a ticket, a trusted peer). Picked below the kernel's ephemeral range (32768–60999 on Linux),
 *  so neither a parallel test's `listen(0)` nor an outgoing connection can take it meanwhile;
 *  checked by binding. */
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
