/** stctrl against real nodes (in this process for speed; the tutorial test spawns it): a buyer
 *  sees the fee before paying and pays nothing it did not confirm; the seller's own invoice is
 *  paid with a commit and collected, and the buyer gets a receipt that checks offline. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../codec/index.ts';
import { nodeBackend as crypto } from '../../crypto/backend.node.ts';
import { formatIdent, formatNodeTicket, identFromSeed, parseInvoice, parseReceipt } from '../../files/index.ts';
import { checkReceiptForInvoice } from '../../proto/index.ts';
import { main } from '../../cli/stctrl.ts';
import { Net, type TestNode, balance, quote, until } from './harness.ts';

let net: Net;
let b: TestNode;
let m: TestNode;
let s: TestNode;
beforeAll(async () => {
  net = await Net.create(7);
  b = await net.addNode('B', 71);
  m = await net.addNode('M', 72);
  s = await net.addNode('S', 73);
  await net.befriend(b, m, 1000n, { b: { mul: 0, add: 2 } }); // M charges B's requests 2
  await net.befriend(m, s, 1000n);
  for (const [t, n] of [[b, 71], [s, 73]] as const) {
    await writeFile(join(t.dir, 'app.ident'), formatIdent(identFromSeed(crypto, new Uint8Array(32).fill(n + 1))));
    await writeFile(join(t.dir, 'node.ticket'), formatNodeTicket({ publicKey: t.publicKey, address: t.address }));
  }
  await quote(b, s.publicKey, 10n); // the index server knows the route
}, 120_000);
afterAll(async () => { await net.close(); });

async function stctrl(t: TestNode, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['-I', join(t.dir, 'app.ident'), '-T', join(t.dir, 'node.ticket'), ...args], {
    out: (x) => { out += x.endsWith('\n') ? x : `${x}\n`; }, err: (x) => { err += x.endsWith('\n') ? x : `${x}\n`; },
  });
  return { code, out, err };
}

describe('stctrl with real nodes', () => {
  it('shows the fee and pays nothing unconfirmed; with --yes pays it, and the mediator keeps it', async () => {
    const key = toBase64Url(s.publicKey);
    const refused = await stctrl(b, 'funds', 'send-funds', '--amount', '10', '--dest', key);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/2 FST in fees on top of 10/);
    expect(balance(b.app, m.publicKey)).toBe(0n);
    expect(b.app.report.openPayments).toHaveLength(0);

    const paid = await stctrl(b, 'funds', 'send-funds', '--amount', '10', '--dest', key, '--yes');
    expect(paid).toMatchObject({ code: 0, out: 'Payment successful!\nFees: 2\n' });
    await until(m.app, (r) => balance(m.app, b.publicKey) === 12n && balance(m.app, s.publicKey) === -10n && r.friends.length === 2, 'M to hold 12 and owe 10');
    await until(s.app, () => balance(s.app, m.publicKey) === 10n, 'S to hold 10');
  }, 60_000);

  it('pays a seller-registered invoice with a commit; the seller collects; the buyer gets a receipt', async () => {
    const inv = join(s.dir, 'sale.invoice');
    const created = await stctrl(s, 'seller', 'create-invoice', '-a', '20', '-i', inv);
    expect(created.code).toBe(0);
    expect(s.app.report.openInvoices).toHaveLength(1);
    const commit = join(b.dir, 'sale.commit');
    const bought = await stctrl(b, 'buyer', 'pay-invoice', '-i', inv, '-c', commit, '--yes');
    expect(bought.code).toBe(0);
    const id = /Payment id: (\S+)/.exec(bought.out)?.[1] as string;
    expect(id).toHaveLength(22);
    // nothing is collected before the seller has the commit
    await until(s.app, (r) => r.openInvoices[0]?.paidDestPayment === 20n, 'the invoice to be fully paid');
    expect(balance(s.app, m.publicKey)).toBe(10n);

    const collected = await stctrl(s, 'seller', 'commit-invoice', '-i', inv, '-c', commit);
    expect(collected.code).toBe(0);
    await until(s.app, () => balance(s.app, m.publicKey) === 30n, 'S to collect 20');
    await until(b.app, (r) => r.openPayments.every((p) => p.stage === 'success'), 'the buyer to see the collect');
    const receiptPath = join(b.dir, 'sale.receipt');
    const status = await stctrl(b, 'buyer', 'payment-status', '-p', id, '-r', receiptPath);
    expect(status).toMatchObject({ code: 0, out: 'Payment succeeded. Saving receipt to file.\n' });
    const invoice = parseInvoice(await readFile(inv, 'utf8'));
    const receipt = parseReceipt(await readFile(receiptPath, 'utf8'));
    if (!invoice.ok || !receipt.ok) throw new Error('unreadable invoice or receipt');
    expect(checkReceiptForInvoice(crypto, invoice.value, receipt.value)).toBeUndefined();
    await until(b.app, (r) => r.openPayments.length === 0, 'the acked payment to be forgotten');
  }, 60_000);

  it('keeps a durable history: the buyer\'s payments with receipts, the seller\'s receipts', () => {
    const bought = b.node.queryHistory({ kind: 'payment', order: 'asc' });
    // to S, through M's channel (the payment's via: its one part came back collected)
    expect(bought.map((r) => [r.state, r.amount, r.counterpart, r.via])).toEqual([
      ['success', -10n, toBase64Url(s.publicKey), [{ friend: toBase64Url(m.publicKey), amount: 10n }]],
      ['success', -20n, toBase64Url(s.publicKey), [{ friend: toBase64Url(m.publicKey), amount: 20n }]],
    ]);
    expect(bought.every((r) => r.data.length > 0)).toBe(true); // the receipt
    const sold = s.node.queryHistory({ order: 'asc' }).map((r) => [r.kind, r.state, r.amount, r.via]);
    // both came through M's channel, the commit-invoice one and the auto-collected one alike
    expect(sold).toEqual([
      ['received', 'collected', 10n, [{ friend: toBase64Url(m.publicKey), amount: 10n }]],
      ['invoice', 'collected', 20n, [{ friend: toBase64Url(m.publicKey), amount: 20n }]],
    ]);
  });

  it('keeps the fees: what the buyer paid through M, what M earned from B', () => {
    const paid = b.node.queryHistory({ kind: 'fee-paid', order: 'asc' }).map((r) => [r.amount, r.counterpart, r.state]);
    expect(paid).toEqual([[-2n, toBase64Url(m.publicKey), 'paid'], [-2n, toBase64Url(m.publicKey), 'paid']]);
    const earned = m.node.queryHistory({ kind: 'fee-earned', order: 'asc' }).map((r) => [r.amount, r.counterpart, r.state]);
    expect(earned).toEqual([[2n, toBase64Url(b.publicKey), 'earned'], [2n, toBase64Url(b.publicKey), 'earned']]);
    expect(s.node.queryHistory({ kind: 'fee-paid' })).toEqual([]);
  });
});
