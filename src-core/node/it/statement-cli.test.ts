/** Verifiable statements end to end: real nodes pay each other (send-funds and an invoice paid by
 *  commit), each card exports its statement through the app protocol, and the real `stverify
 *  statement` program accepts the files as they are and rejects tampered copies with a reason. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBackend as crypto } from '../../crypto/backend.node.ts';
import { executePayment } from '../../app/index.ts';
import { exportStatement, formatStatement, parseStatement, type Statement } from '../../statement/index.ts';
import { runBin } from '../../cli/it/spawn.ts';
import { main as stctrlMain } from '../../cli/stctrl.ts';
import { formatIdent, formatNodeTicket, identFromSeed } from '../../files/index.ts';
import { Net, type TestNode, balance, pay, quote, until } from './harness.ts';

let net: Net;
let b: TestNode;
let s: TestNode;
let bought: Statement;
let sold: Statement;

beforeAll(async () => {
  net = await Net.create(13);
  b = await net.addNode('B', 91);
  s = await net.addNode('S', 92);
  await net.befriend(b, s, 1000n);
  for (const amount of [5n, 7n]) expect((await pay(b, s.publicKey, amount)).kind).toBe('receipt');
  // an invoice paid by commit: the seller collects with commit-invoice, the buyer closes with a receipt
  const invoiceId = crypto.randomBytes(32);
  await s.app.request({ kind: 'add-invoice', invoiceId, currency: 'FST', totalDestPayment: 20n });
  const paymentId = crypto.randomBytes(16);
  const out = await executePayment(b.app, {
    paymentId, invoiceId, currency: 'FST', totalDestPayment: 20n, destPublicKey: s.publicKey, autoCollect: false,
  }, await quote(b, s.publicKey, 20n), (k) => crypto.randomBytes(k));
  if (out.kind !== 'commit') throw new Error(`expected a commit, got ${out.kind}`);
  await s.app.request({ kind: 'commit-invoice', commit: out.commit });
  await until(b.app, (r) => r.openPayments.some((p) => p.stage === 'success'), 'the buyer to see the collect');
  expect((await b.app.requestClosePayment(paymentId)).kind).toBe('success');
  await until(b.app, () => balance(b.app, s.publicKey) === -32n, 'B to owe S 32');
  await until(s.app, () => balance(s.app, b.publicKey) === 32n, 'S to see 32');
  await writeFile(join(b.dir, 'app.ident'), formatIdent(identFromSeed(crypto, new Uint8Array(32).fill(92)))); // the harness's app seed n + 1
  await writeFile(join(b.dir, 'node.ticket'), formatNodeTicket({ publicKey: b.publicKey, address: b.address }));
  const now = Date.now() + 1;
  bought = (await exportStatement(b.app, { friend: s.publicKey, currency: 'FST', from: 0, to: now, now })).statement;
  sold = (await exportStatement(s.app, { friend: b.publicKey, currency: 'FST', from: 0, to: now, now })).statement;
}, 120_000);
afterAll(async () => { await net.close(); });

async function stverify(st: Statement | string, name: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const path = join(net.dir, name);
  await writeFile(path, typeof st === 'string' ? st : formatStatement(st));
  return runBin('stverify', ['statement', path], net.dir);
}

describe('stverify statement with statements exported from real nodes', () => {
  it("accepts the buyer's statement: three receipts signed by the seller, the balance signed by the friend", async () => {
    expect(bought.csv.split('\n').slice(1, -1).map((l) => l.split(',').slice(2, 3).concat(l.split(',').slice(6, 7)))).toEqual([
      ['payment', '-5'], ['payment', '-7'], ['payment', '-20'],
    ]);
    const r = await stverify(bought, 'bought.statement');
    expect(r.stdout.split('\n')).toEqual([
      'line 1: OK payment -5 FST — receipt signed by the seller',
      'line 2: OK payment -7 FST — receipt signed by the seller',
      'line 3: OK payment -20 FST — receipt signed by the seller',
      expect.stringMatching(/^balance: OK — balance -32 FST as the friend last signed it \(move \d+\)$/),
      'Statement is valid! (3 lines)',
      '',
    ]);
    expect(r.code).toBe(0);
  }, 60_000);

  it("accepts the seller's statement: two auto-collected payments and a commit, the balance B last signed", async () => {
    const r = await stverify(sold, 'sold.statement');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('line 1: OK received 5 FST — receipt signed by this card');
    expect(r.stdout).toContain('line 3: OK invoice 20 FST — commit signed by this card');
    // the friend's last token usually came before our collect of the invoice: it then signs 12, not 32
    expect(r.stdout).toMatch(/balance: OK — balance (12|32) FST as the friend last signed it/);
  }, 60_000);

  it('rejects a changed amount, a flipped signature and an added line, each with its reason', async () => {
    const text = await readFile(join(net.dir, 'bought.statement'), 'utf8');
    const parsed = parseStatement(text);
    if (!parsed.ok) throw new Error(parsed.error);
    const st = parsed.value;

    const amount = await stverify({ ...st, csv: st.csv.replace(',FST,-7,', ',FST,-70,') }, 'amount.statement');
    expect(amount.code).toBe(1);
    expect(amount.stdout).toContain('line 2: FAILED payment -70 FST — the receipt is for 7, the line says 70');
    expect(amount.stdout).toContain('Statement is NOT valid.');

    const a = st.artifacts[0];
    if (a === undefined) throw new Error('no artifact');
    const flippedBytes = a.bytes.slice();
    flippedBytes[flippedBytes.length - 5] = (flippedBytes[flippedBytes.length - 5] as number) ^ 0x10;
    const flipped = await stverify({ ...st, artifacts: [{ ...a, bytes: flippedBytes }, ...st.artifacts.slice(1)] }, 'flipped.statement');
    expect(flipped.code).toBe(1);
    expect(flipped.stdout).toContain("line 1: FAILED payment -5 FST — the receipt's signature is not the seller's");

    const last = st.csv.trimEnd().split('\n').pop() as string;
    const added = await stverify({ ...st, csv: `${st.csv}${last.replace(/^3,/, '4,')}\n` }, 'added.statement');
    expect(added.code).toBe(1);
    expect(added.stdout).toContain('line 4: FAILED payment -20 FST — artifact 3 already backs line 3');

    const balanceLie = await stverify({ ...st, signedBalance: 0n }, 'balance.statement');
    expect(balanceLie.code).toBe(1);
    expect(balanceLie.stdout).toContain('balance: FAILED — the friend signed a balance of -32 FST, the statement says 0');
  }, 60_000);

  it('stctrl lists the history and writes the same statement, which stverify accepts', async () => {
    let out = '';
    let err = '';
    const io = { out: (x: string) => { out += x.endsWith('\n') ? x : `${x}\n`; }, err: (x: string) => { err += `${x}\n`; } };
    const cli = ['-I', join(b.dir, 'app.ident'), '-T', join(b.dir, 'node.ticket')];
    expect(await stctrlMain([...cli, 'info', 'history', '-k', 'payment', '--limit', '2'], io)).toBe(0);
    const table = out.split('\n');
    expect(table[0]).toMatch(/\| time \(UTC\) +\| kind +\| currency \| amount \| state +\| counterpart +\| through \|/);
    // paid straight to the friend S, through S's channel
    expect(out.match(/\| payment \| FST +\| -20 +\| success \| [A-Za-z0-9_-]{43} \| S +\|/g)).toHaveLength(1);
    expect(out.match(/\| payment \| FST +\| -7 +\| success \| [A-Za-z0-9_-]{43} \| S +\|/g)).toHaveLength(1);
    out = '';
    const file = join(net.dir, 'stctrl.statement');
    expect(await stctrlMain([...cli, 'info', 'statement', '-n', 'S', '-o', file], io)).toBe(0);
    expect(out).toBe('Statement written: 3 lines.\n');
    expect(await stctrlMain([...cli, 'info', 'statement', '-n', 'S', '-o', file], io)).toBe(1);
    expect(err).toMatch(/exists \(use --force/);
    const r = await runBin('stverify', ['statement', file], net.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Statement is valid! (3 lines)');
  }, 60_000);

  it('refuses a file that is not a statement in one line', async () => {
    const r = await stverify('{"kind":"friend"}', 'junk.statement');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^stverify: .*junk\.statement: not a valid statement file: not a statement/);
  }, 60_000);
});
