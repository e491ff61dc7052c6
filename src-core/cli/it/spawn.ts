/** Runs one of the real programs (node bin/<program>.js …) as a child process, for the
 *  command-line integration tests. */
import { execFile } from 'node:child_process';
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
