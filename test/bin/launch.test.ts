/** bin/launch.js runs a program from a prebuilt bundle when it is fresh (bin/bundle.js), else
 *  rebuilds it or runs from source with tsx; the program must behave the same either way. Each
 *  test uses its own cache folder (OFFSET_CLI_CACHE), never the shared one. */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

interface Run { readonly code: number; readonly stdout: string; readonly stderr: string }
interface Manifest { bundle: string; inputs: [string, number, number][] }

const binDir = fileURLToPath(new URL('../../bin/', import.meta.url));
let cache = '';
let cwd = '';

function run(program: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(binDir, `${program}.js`), ...args], {
      cwd, timeout: 60_000, encoding: 'utf8', env: { ...process.env, OFFSET_CLI_CACHE: cache, ...env },
    }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') { reject(error); return; }
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

const fromSource = (program: string, args: readonly string[]): Promise<Run> => run(program, args, { OFFSET_CLI_TSX: '1' });
const manifest = (program: string): Manifest => JSON.parse(readFileSync(join(cache, `${program}.json`), 'utf8')) as Manifest;

beforeEach(async () => {
  cache = await mkdtemp(join(tmpdir(), 'cli-cache-'));
  cwd = await mkdtemp(join(tmpdir(), 'cli-cwd-'));
});
afterEach(async () => {
  await rm(cache, { recursive: true, force: true });
  await rm(cwd, { recursive: true, force: true });
});

describe('bin/launch.js', () => {
  it('gives the same stdout, stderr and exit code from the bundle as from source', async () => {
    const cases: [string, string[]][] = [
      ['stmgr', ['--help']],
      ['stmgr', ['--version']],
      ['stmgr', ['bogus']],
      ['stmgr', ['init-node-db', '-i', join(cwd, 'missing.ident'), '-o', join(cwd, 'x.db')]],
      ['stctrl', ['info', 'friends']],
      ['stverify', []],
    ];
    for (const [program, args] of cases) {
      const bundled = await run(program, args);
      const source = await fromSource(program, args);
      expect(bundled, `${program} ${args.join(' ')}`).toEqual(source);
    }
    expect(existsSync(join(cache, manifest('stmgr').bundle))).toBe(true);
    // a command that writes a file: the bundle finds sql.js and writes a real identity
    const gen = await run('stmgr', ['gen-ident', '-o', join(cwd, 'a.ident')]);
    expect(gen).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(cwd, 'a.ident'), 'utf8')).toMatch(/\S/);
    const db = await run('stmgr', ['init-node-db', '-i', join(cwd, 'a.ident'), '-o', join(cwd, 'a.db')]);
    expect(db).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(join(cwd, 'a.db'))).toBe(true);
  });

  it('runs the bundle the manifest names while every input is unchanged', async () => {
    await run('stmgr', ['--version']);
    const m = manifest('stmgr');
    expect(m.inputs.map(([p]) => p)).toContain('src-core/cli/stmgr.ts');
    // swap the bundle for one that says where it came from: the next start must run it
    writeFileSync(join(cache, m.bundle), 'export async function main() { process.stdout.write("from the bundle\\n"); return 3; }\n');
    expect(await run('stmgr', ['--version'])).toEqual({ code: 3, stdout: 'from the bundle\n', stderr: '' });
  });

  it('rebuilds when an input changed since the bundle was built', async () => {
    await run('stmgr', ['--version']);
    const m = manifest('stmgr');
    writeFileSync(join(cache, m.bundle), 'export async function main() { process.stdout.write("stale\\n"); }\n');
    const entry = m.inputs.find(([p]) => p === 'src-core/cli/stmgr.ts');
    if (entry === undefined) throw new Error('stmgr.ts not among the inputs');
    entry[1] -= 5_000; // as if the source was modified after the build
    writeFileSync(join(cache, 'stmgr.json'), JSON.stringify(m));
    const r = await run('stmgr', ['--version']);
    expect(r).toEqual(await fromSource('stmgr', ['--version']));
    expect(r.stdout).not.toBe('stale\n');
    const rebuilt = manifest('stmgr').inputs.find(([p]) => p === 'src-core/cli/stmgr.ts');
    expect(rebuilt?.[1]).toBe(entry[1] + 5_000);
  });

  it('runs from source while another process holds a fresh build lock, and breaks a stale one', async () => {
    writeFileSync(join(cache, 'stverify.lock'), '');
    expect(await run('stverify', ['--version'])).toEqual(await fromSource('stverify', ['--version']));
    expect(existsSync(join(cache, 'stverify.json'))).toBe(false);
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(join(cache, 'stverify.lock'), old, old);
    await run('stverify', ['--version']);
    expect(existsSync(join(cache, 'stverify.json'))).toBe(true);
    expect(existsSync(join(cache, 'stverify.lock'))).toBe(false);
  });

  it('serves many processes starting at once on an empty cache, leaving no temporary files', async () => {
    const expected = await fromSource('stctrl', ['--help']);
    const runs = await Promise.all(Array.from({ length: 6 }, () => run('stctrl', ['--help'])));
    for (const r of runs) expect(r).toEqual(expected);
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
    expect(await run('stctrl', ['--help'])).toEqual(expected);
  });

  it('ignores a corrupt manifest and rebuilds', async () => {
    writeFileSync(join(cache, 'stverify.json'), '{"format":1,"root":');
    expect(await run('stverify', ['--help'])).toEqual(await fromSource('stverify', ['--help']));
    expect(manifest('stverify').bundle).toMatch(/^stverify-[0-9a-f]{16}\.mjs$/);
  });
});
