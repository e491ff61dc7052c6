/** Spawning store-child.ts and reading its lines, for the multi-process tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), 'store-child.ts');

export interface Child {
  readonly proc: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first line (from now on or already seen) that satisfies `pred`; rejects
   *  when the child exits first or after `ms`. */
  line(pred: (l: string) => boolean, ms?: number): Promise<string>;
  readonly lines: string[];
  stderr(): string;
}

export function spawnStoreChild(mode: 'hold' | 'stream', path: string, key: Uint8Array, onLine?: (l: string) => void): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, mode, path, Buffer.from(key).toString('hex')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pred: (l: string) => boolean; resolve(l: string): void }[] = [];
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  const rl = createInterface({ input: proc.stdout! });
  const ended = new Promise<void>((resolve) => rl.on('close', resolve));
  rl.on('line', (l) => {
    lines.push(l);
    onLine?.(l);
    for (const w of [...waiters]) if (w.pred(l)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(l); }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    proc, exited, lines,
    stderr: () => err,
    line(pred, ms = 30_000) {
      const seen = lines.find(pred);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no matching line from the child within ${ms} ms; stderr: ${err}`)), ms);
        const w = { pred, resolve: (l: string) => { clearTimeout(t); resolve(l); } };
        waiters.push(w);
        void ended.then(() => {
          if (waiters.includes(w)) { clearTimeout(t); reject(new Error(`child output ended before a matching line; lines: ${lines.slice(-3).join(' | ')}; stderr: ${err}`)); }
        });
      });
    },
  };
}
