/** `npm start` as a person runs it (src-main/start.node.ts in its own process): clear errors for
 *  bad options and for a wallet folder another host is using. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.node.ts';

let dir: string;
let rendererDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'offset-start-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Offset</title>');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { code: number | null; out: string; err: string }

function start(args: string[], untilUrl = false): Promise<Run & { stop?: () => Promise<Run> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src-main', 'start.node.ts'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { code: null, out: '', err: '' };
  const exited = new Promise<Run>((resolve) => child.once('exit', (code) => resolve({ ...run, code })));
  return new Promise((resolve) => {
    child.stdout.on('data', (c: Buffer) => {
      run.out += c.toString();
      if (untilUrl && /#token=/.test(run.out)) {
        resolve({ ...run, stop: async () => { child.kill('SIGTERM'); return exited; } });
      }
    });
    child.stderr.on('data', (c: Buffer) => (run.err += c.toString()));
    void exited.then(resolve);
  });
}

const browserArgs = (dataDir: string): string[] => ['--browser', '--no-build', '--renderer', rendererDir, '--data-dir', dataDir];

describe('npm start', () => {
  it('refuses a bad port with a usage error', async () => {
    const r = await start([...browserArgs(join(dir, 'a')), '--port', '99999']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--port must be 0\.\.65535/);
  });

  it('refuses a wallet folder another host is using, and then runs once it is free', async () => {
    const data = join(dir, 'shared');
    const first = await start([...browserArgs(data), '--port', '0'], true);
    expect(first.out).toMatch(/http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}/);
    const second = await start([...browserArgs(data), '--port', '0']);
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/another Offset wallet running on/);
    const stopped = await first.stop?.();
    expect(stopped?.code).toBe(0);
    const third = await start([...browserArgs(data), '--port', '0'], true);
    expect(third.out).toMatch(/#token=/);
    await third.stop?.();
  });
});
