/** stindex refuses bad configuration with one line on stderr and a non-zero exit, before listening. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLineFailure, runBin } from '../../cli/it/spawn.ts';
import { main } from '../../cli/stindex.ts';
import { nodeBackend as crypto } from '../../crypto/backend.node.ts';
import { formatIdent, formatIndexTicket, identFromSeed } from '../../files/index.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stindex-cli-'));
  await writeFile(join(dir, 'index.ident'), formatIdent(identFromSeed(crypto, new Uint8Array(32).fill(7))));
  await mkdir(join(dir, 'bad-trusted'));
  await writeFile(join(dir, 'bad-trusted', 'x.ticket'), '{"kind":"relay-ticket"}');
  await mkdir(join(dir, 'dup-trusted'));
  const t = formatIndexTicket({ publicKey: identFromSeed(crypto, new Uint8Array(32).fill(8)).publicKey, address: '127.0.0.1:9' });
  await writeFile(join(dir, 'dup-trusted', 'a.ticket'), t);
  await writeFile(join(dir, 'dup-trusted', 'b.ticket'), t);
});
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

const base = () => ['--idfile', join(dir, 'index.ident'), '--lclient', '127.0.0.1:0', '--lserver', '127.0.0.1:0'];

describe('stindex command line', () => {
  it('refuses missing options and bad addresses as usage errors', async () => {
    const r = await runBin('stindex', ['--lclient', '127.0.0.1:0', '--lserver', '127.0.0.1:0'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--idfile');
    const bad = await runBin('stindex', [...base().slice(0, 2), '--lclient', 'nowhere', '--lserver', '127.0.0.1:0'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--lclient');
  }, 60_000);

  it('serves until told to stop, then closes its listeners and exits 0', async () => {
    const out: string[] = [];
    let stop: (() => void) | undefined;
    const until = new Promise<void>((r) => { stop = r; });
    const io = { out: (t: string) => { out.push(t); if (t.includes('listening')) stop?.(); }, err: (t: string) => { out.push(t); } };
    // a --trusted directory that does not exist stops it before it listens
    expect(await main([...base(), '--trusted', join(dir, 'empty-trusted')], io, until)).toBe(1);
    await mkdir(join(dir, 'empty-trusted'));
    out.length = 0;
    const ok = await main([...base(), '--trusted', join(dir, 'empty-trusted'), '--ttl', '60'], io, until);
    expect(ok).toBe(0);
    expect(out[0]).toMatch(/^stindex: listening for nodes on 127\.0\.0\.1:\d+, for index servers on 127\.0\.0\.1:\d+, trusting 0 index server\(s\)$/);
    expect(out[1]).toBe('stindex: stopped');
  });

  it('refuses a trusted directory holding something other than index tickets, or one server twice', async () => {
    const wrong = await runBin('stindex', [...base(), '--trusted', join(dir, 'bad-trusted')], dir);
    expect(isOneLineFailure(wrong)).toBe(true);
    expect(wrong.stderr).toContain('x.ticket');
    const dup = await runBin('stindex', [...base(), '--trusted', join(dir, 'dup-trusted')], dir);
    expect(isOneLineFailure(dup)).toBe(true);
    const missing = await runBin('stindex', [...base(), '--trusted', join(dir, 'nope')], dir);
    expect(isOneLineFailure(missing)).toBe(true);
  }, 60_000);
});
