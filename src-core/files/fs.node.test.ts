import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nobleBackend } from '../crypto/index.ts';
import { readFileAs, readTextFile, writeFileAtomic } from './fs.node.ts';
import { formatIdent, identFromSeed, parseIdent } from './ident.ts';
import { parseInvoice } from './invoice.ts';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'offset-files-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const ident = identFromSeed(nobleBackend, new Uint8Array(32).fill(3));

describe('writeFileAtomic()', () => {
  it('writes an ident file with mode 0600 and leaves no temp file', async () => {
    const path = join(dir, 'node.ident');
    expect(await writeFileAtomic(path, 'ident', formatIdent(ident))).toEqual({ ok: true, value: undefined });
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['node.ident']);
    expect(await readFileAs(path, 'ident', (t) => parseIdent(t, nobleBackend))).toEqual({ ok: true, value: ident });
  });

  it('refuses to replace an existing file and leaves it untouched', async () => {
    const path = join(dir, 'a.invoice');
    await writeFile(path, 'precious');
    const r = await writeFileAtomic(path, 'invoice', '{}');
    expect(r).toMatchObject({ ok: false, error: { code: 'exists' } });
    expect(await readFile(path, 'utf8')).toBe('precious');
    expect(await readdir(dir)).toEqual(['a.invoice']);
  });

  it('replaces an existing file when told to', async () => {
    const path = join(dir, 'a.ticket');
    await writeFile(path, 'old');
    expect((await writeFileAtomic(path, 'node-ticket', 'new', { overwrite: true })).ok).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['a.ticket']);
  });

  it('reports a missing directory as not-found', async () => {
    const r = await writeFileAtomic(join(dir, 'nope', 'x.ident'), 'ident', 'x');
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('refuses to write over a directory', async () => {
    await mkdir(join(dir, 'sub'));
    const r = await writeFileAtomic(join(dir, 'sub'), 'invoice', 'x');
    expect(r).toMatchObject({ ok: false, error: { code: 'exists' } });
    expect(await readdir(dir)).toEqual(['sub']);
  });
});

describe('readTextFile() and readFileAs()', () => {
  it('names the path and the field in a parse error', async () => {
    const path = join(dir, 'bad.invoice');
    await writeFile(path, '{"currency":"FST"}');
    const r = await readFileAs(path, 'invoice', parseInvoice);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(`${path}: invoice: field invoiceId: missing`);
  });

  it('reports a missing file as not-found', async () => {
    expect(await readTextFile(join(dir, 'none'), 'receipt')).toMatchObject({ ok: false, error: { code: 'not-found', fileKind: 'receipt' } });
  });

  it('rejects a directory, invalid UTF-8 and a huge file', async () => {
    expect(await readTextFile(dir, 'invoice')).toMatchObject({ ok: false, error: { code: 'io' } });
    await writeFile(join(dir, 'bin'), Uint8Array.of(0x7b, 0xff, 0xfe));
    expect(await readTextFile(join(dir, 'bin'), 'invoice')).toMatchObject({ ok: false, error: { code: 'syntax' } });
    await writeFile(join(dir, 'big'), Buffer.alloc(300 * 1024, 0x20));
    expect(await readTextFile(join(dir, 'big'), 'invoice')).toMatchObject({ ok: false, error: { code: 'too-large' } });
  });
});
