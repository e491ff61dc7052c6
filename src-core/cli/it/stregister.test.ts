/** stregister and stverify as a seller runs them: the tutorial's invoice, then a genuinely
 *  signed receipt and commit (reference/funder.md §2.5) checked against it, and every way the
 *  check can fail. */
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../codec/index.ts';
import { formatCommit, formatInvoice, formatReceipt, parseInvoice } from '../../files/index.ts';
import type { Receipt } from '../../proto/index.ts';
import { COMMIT, INVOICE, RECEIPT } from '../../files/vectors/funder-2-5.ts';
import { isOneLineFailure, runBin } from './spawn.ts';

let dir: string;
const run = (program: string, ...args: string[]) => runBin(program, args, dir);
const put = (name: string, text: string) => writeFile(join(dir, name), text);
// the seller key printed in the tutorial (seeds/000_*, "node0 prepares an invoice")
const TUTORIAL_KEY = 'TiTqXCEMBDoAyseEiw8t6r3L7do_k0iXOU1_rk4ERqw';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offset-stregister-'));
  await put('vector.invoice', formatInvoice(INVOICE));
  await put('vector.receipt', formatReceipt(RECEIPT));
  await put('vector.commit', formatCommit(COMMIT));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('stregister gen-invoice', () => {
  it('writes the tutorial invoice: 60 credits of the default currency, a random id', async () => {
    const [a, b] = await Promise.all([
      run('stregister', 'gen-invoice', '-a', '60', '-p', TUTORIAL_KEY, '-o', 'bananas.invoice'),
      run('stregister', 'gen-invoice', '--amount', '340282366920938463463374607431768211455', '--public-key', TUTORIAL_KEY,
        '--output', 'big.invoice', '-c', 'USD', '--description', 'a bag of bananas', '--expires', '2026-12-31T23:59:59Z'),
    ]);
    expect([a.code, a.stdout, a.stderr, b.code, b.stderr]).toEqual([0, '', '', 0, '']);
    const bananas = parseInvoice(await readFile(join(dir, 'bananas.invoice'), 'utf8'));
    expect(bananas).toMatchObject({ ok: true, value: { currency: 'FST', totalDestPayment: 60n } });
    expect(bananas.ok && toBase64Url(bananas.value.destPublicKey)).toBe(TUTORIAL_KEY);
    const big = parseInvoice(await readFile(join(dir, 'big.invoice'), 'utf8'));
    expect(big).toMatchObject({ ok: true, value: { currency: 'USD', totalDestPayment: (1n << 128n) - 1n, description: 'a bag of bananas', expiresAt: Date.UTC(2026, 11, 31, 23, 59, 59) / 1000 } });
    expect(bananas.ok && big.ok && toBase64Url(bananas.value.invoiceId) !== toBase64Url(big.value.invoiceId)).toBe(true);
  });

  it('takes a key that starts with "-" in the --public-key=KEY form', async () => {
    const dashKey = toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xf8 : i)));
    expect(dashKey.startsWith('-')).toBe(true);
    const r = await run('stregister', 'gen-invoice', '-a', '1', `--public-key=${dashKey}`, '-o', 'dash.invoice');
    expect(r.code).toBe(0);
    const inv = parseInvoice(await readFile(join(dir, 'dash.invoice'), 'utf8'));
    expect(inv.ok && toBase64Url(inv.value.destPublicKey)).toBe(dashKey);
  });

  it.concurrent.for<readonly [string, string[], RegExp]>([
    ['a negative amount', ['-a', '-60'], /--amount: expected a whole number/],
    ['a fractional amount', ['-a', '6.5'], /--amount: expected a whole number/],
    ['an amount beyond u128', ['-a', (1n << 128n).toString()], /out of range/],
    ['a short public key', ['-a', '1', '-p', 'abc'], /--public-key: expected 43 base64url/],
    ['a 17-byte currency', ['-a', '1', '-c', 'ABCDEFGHIJKLMNOPQ'], /--currency: expected 1 to 16 bytes/],
    ['an empty currency', ['-a', '1', '-c', ''], /--currency/],
    ['an expiry in local time', ['-a', '1', '--expires', '2026-12-31 23:59'], /--expires: expected a UTC time/],
  ])('refuses %s in one line and writes nothing', async ([name, args, message], { expect }) => {
    const out = `bad-${name.replace(/\W+/g, '-')}.invoice`;
    const full = args.includes('-p') ? args : [...args, '-p', TUTORIAL_KEY];
    const r = await run('stregister', 'gen-invoice', ...full, '-o', out);
    expect(isOneLineFailure(r)).toBe(true);
    expect(r.stderr).toMatch(message);
    expect(await stat(join(dir, out)).then(() => 'exists', () => 'absent')).toBe('absent');
  });

  it('refuses to replace an invoice unless --force is given', async () => {
    await put('kept.invoice', 'old');
    const r = await run('stregister', 'gen-invoice', '-a', '1', '-p', TUTORIAL_KEY, '-o', 'kept.invoice');
    expect(isOneLineFailure(r)).toBe(true);
    expect(await readFile(join(dir, 'kept.invoice'), 'utf8')).toBe('old');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('verify-receipt and verify-commit', () => {
  it('accepts the genuinely signed receipt and commit, printing exactly the tutorial line', async () => {
    const [reg, ver, com] = await Promise.all([
      run('stregister', 'verify-receipt', '-i', 'vector.invoice', '-r', 'vector.receipt'),
      run('stverify', 'verify-receipt', '--invoice', 'vector.invoice', '--receipt', 'vector.receipt'),
      run('stverify', 'verify-commit', '-i', 'vector.invoice', '-c', 'vector.commit'),
    ]);
    expect(reg).toEqual({ code: 0, stdout: 'Receipt is valid!\n', stderr: '' });
    expect(ver).toEqual({ code: 0, stdout: 'Receipt is valid!\n', stderr: '' });
    expect(com).toEqual({ code: 0, stdout: 'Commit is valid!\n', stderr: '' });
  });

  it("accepts the original's snake_case TOML invoice and receipt", async () => {
    const snakeToml = (json: string) => Object.entries(JSON.parse(json) as Record<string, unknown>)
      .filter(([k]) => k !== 'kind')
      .map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace('total_dest_payment', 'dest_payment')} = ${JSON.stringify(v)}`)
      .join('\n');
    await put('orig.invoice', snakeToml(formatInvoice(INVOICE)));
    // the receipt keeps both amounts: only the invoice's total is named dest_payment
    await put('orig.receipt', Object.entries(JSON.parse(formatReceipt(RECEIPT)) as Record<string, unknown>)
      .filter(([k]) => k !== 'kind').map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} = ${JSON.stringify(v)}`).join('\n'));
    const r = await run('stregister', 'verify-receipt', '-i', 'orig.invoice', '-r', 'orig.receipt');
    expect(r).toEqual({ code: 0, stdout: 'Receipt is valid!\n', stderr: '' });
  });

  const receiptWith = (change: Partial<Record<keyof Receipt, unknown>>): string =>
    JSON.stringify({ ...JSON.parse(formatReceipt(RECEIPT)), ...change });
  const flipped = Uint8Array.from(RECEIPT.signature, (b, i) => (i === 0 ? b ^ 1 : b));

  it.concurrent.for(([
    ['a forged signature', receiptWith({ signature: toBase64Url(flipped) }), /signature is not valid/],
    ['another invoice id', receiptWith({ invoiceId: toBase64Url(new Uint8Array(32).fill(9)) }), /another invoice/],
    ['another currency', receiptWith({ currency: 'USD' }), /currency "USD", the invoice in "OFFSET"/],
    ['another amount', receiptWith({ totalDestPayment: '11' }), /total of 11, the invoice asks for 10/],
    ['an incomplete payment', receiptWith({ isComplete: false }), /incomplete payment/],
    ['a partial destPayment, re-labelled', receiptWith({ destPayment: '9' }), /signature is not valid/],
    ['a malformed file', '{"kind":"receipt"', /bad\d*\.receipt: receipt: not valid JSON/],
    ['a commit given as a receipt', formatCommit(COMMIT), /receipt: this is a commit file/],
  ] as const).map((row, i) => [...row, i % 2 === 0 ? 'stregister' : 'stverify'] as const))('rejects a receipt with %s in one line, exit 1', async ([, text, message, program], { expect }) => {
    // the two programs share one check; alternate them so each meets half of the cases
    const name = `bad${Math.random().toString().slice(2, 10)}.receipt`;
    await put(name, text);
    const r = await run(program, 'verify-receipt', '-i', 'vector.invoice', '-r', name);
    expect(isOneLineFailure(r)).toBe(true);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.startsWith(`${program}: `)).toBe(true);
  });

  it('rejects a forged commit and a commit for another amount', async () => {
    await put('forged.commit', JSON.stringify({ ...JSON.parse(formatCommit(COMMIT)), srcPlainLock: toBase64Url(new Uint8Array(32).fill(8)) }));
    await put('other.invoice', formatInvoice({ ...INVOICE, totalDestPayment: 11n }));
    const [forged, other] = await Promise.all([
      run('stverify', 'verify-commit', '-i', 'vector.invoice', '-c', 'forged.commit'),
      run('stverify', 'verify-commit', '-i', 'other.invoice', '-c', 'vector.commit'),
    ]);
    expect(isOneLineFailure(forged) && forged.stderr).toBe("stverify: invalid commit: the commit's signature is not valid for the invoice's seller key\n");
    expect(isOneLineFailure(other) && other.stderr).toBe('stverify: invalid commit: the commit is for a total of 10, the invoice asks for 11\n');
  });

  it('fails with a usage error when a file option is missing, and on a missing file', async () => {
    const [noR, missing] = await Promise.all([
      run('stregister', 'verify-receipt', '-i', 'vector.invoice'),
      run('stverify', 'verify-receipt', '-i', 'none.invoice', '-r', 'vector.receipt'),
    ]);
    expect(isOneLineFailure(noR) && noR.code).toBe(2);
    expect(noR.stderr).toMatch(/missing required option --receipt/);
    expect(isOneLineFailure(missing) && missing.stderr).toBe('stverify: none.invoice: no such file or directory\n');
  });
});
