/** The money slices against a real wallet host (node engines on a temp folder) and a real relay
 *  and index server: card A invoices, card B reads the invoice, sees the fee, pays, and A collects
 *  with B's commit; bad input is refused with a sentence and changes nothing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeReport, findFriend } from '../../src-core/app/index.ts';
import { formatCommit, formatInvoice, formatQrPayload, parseReceipt } from '../../src-core/files/index.ts';
import { inProcessTransport } from '../../src-main/dispatcher.ts';
import { openWalletHost } from '../../src-main/host.node.ts';
import { startRelayAndIndex } from '../../test/servers.ts';
import { createBridgeClient } from '../bridge-client.ts';
import { type AppStore, createAppStore } from './app-store.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function report(s: AppStore): NodeReport {
  const c = s.getState().cardSession;
  if (c.kind !== 'open') throw new Error(`card session is ${c.kind}`);
  return c.report;
}
const cardId = (s: AppStore): string => {
  const c = s.getState().cardSession;
  if (c.kind !== 'open') throw new Error('not open');
  return c.cardId;
};

/** Resolves once `pred` holds for the store (checked on every change), or fails after 30 s. */
function until(s: AppStore, pred: () => boolean, what: string): Promise<void> {
  if (pred()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`timed out waiting for ${what}`)); }, 30_000);
    const off = s.subscribe(() => {
      if (!pred()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(typeof r.error === 'string' ? r.error : JSON.stringify(r.error));
  return r.value;
}

/** Two cards of one host, friends through the relay, each letting the other owe 100 FST. */
async function friends() {
  const tmp = mkdtempSync(join(tmpdir(), 'offset-pay-slice-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const servers = await startRelayAndIndex();
  cleanups.push(() => servers.close());
  const h = await openWalletHost(join(tmp, 'data'), (e) => { throw e; }, { cost: { logN: 4, r: 8, p: 1 }, tickMs: 1000 });
  cleanups.push(() => h.close());
  const bridge = () => createBridgeClient(inProcessTransport(h.dispatcher, h.events));
  const a = createAppStore(bridge());
  const b = createAppStore(bridge());
  cleanups.push(() => { a.getState().closeCard(); b.getState().closeCard(); });
  await ok(a.getState().createPassword('pay slice password'));
  const ca = await ok(a.getState().createCard('Alice'));
  const cb = await ok(a.getState().createCard('Bob'));
  await a.getState().openCard(ca.id);
  await b.getState().openCard(cb.id);
  const keyA = report(a).localPublicKey;
  const keyB = report(b).localPublicKey;
  const relay = { publicKey: servers.relay.publicKey, address: servers.relay.address };
  for (const [s, friend, name] of [[a, keyB, 'Bob'], [b, keyA, 'Alice']] as const) {
    const req = s.getState().cardRequest;
    await ok(req({ kind: 'add-relay', relay: { ...relay, name: 'relay' } }));
    await ok(req({ kind: 'add-index-server', server: { ...servers.index, name: 'index' } }));
    await ok(req({ kind: 'add-friend', friendPublicKey: friend, name, relays: [relay], initialBalances: [{ currency: 'FST', balance: 0n }] }));
    await ok(s.getState().setMaxDebt(friend, 'FST', '100'));
    await ok(req({ kind: 'open-friend-currency', friendPublicKey: friend, currency: 'FST' }));
    await ok(req({ kind: 'enable-friend', friendPublicKey: friend }));
  }
  const ready = (s: AppStore, friend: Uint8Array) => () => {
    const f = findFriend(report(s), friend);
    return f?.online === true && f.currencies.some((c) => c.remoteRequestsOpen && c.localMaxDebt === 100n);
  };
  await until(a, ready(a, keyB), 'Alice to see Bob ready');
  await until(b, ready(b, keyA), 'Bob to see Alice ready');
  return { a, b, keyA, keyB, bridge };
}

/** Reads the invoice until the index server knows a route (it hears capacities on its own schedule). */
async function readUntilQuoted(s: AppStore, text: string): Promise<void> {
  const end = Date.now() + 30_000;
  for (;;) {
    const r = await s.getState().readInvoiceToPay(text);
    if (r.ok) return;
    if (!/No route/.test(r.error) || Date.now() > end) throw new Error(r.error);
    await new Promise((res) => setTimeout(res, 200)); // bounded poll, as src-main/it/two-cards.test.ts
  }
}

describe('invoice and pay slices', () => {
  it('A invoices 60, B pays it after the quote, A collects with the commit, B keeps the receipt', async () => {
    const { a, b, keyA, keyB, bridge } = await friends();
    const inv = await ok(a.getState().createInvoice({ amount: '60', currency: 'FST', description: 'two tickets' }));
    expect(inv).toMatchObject({ state: 'open', invoice: { totalDestPayment: 60n, currency: 'FST', description: 'two tickets' } });
    expect(report(a).openInvoices).toHaveLength(1);

    await readUntilQuoted(b, inv.qrText);
    const draft = b.getState().payDraft;
    expect(draft).toMatchObject({ kind: 'quoted', invoice: { totalDestPayment: 60n }, quote: { totalFees: 0n, amount: 60n } });
    const paid = await ok(b.getState().confirmPayment());
    expect(paid.state.kind).toBe('committed');
    if (paid.state.kind !== 'committed' || paid.state.commit === undefined) throw new Error('no commit');
    const commit = paid.state.commit;
    await until(a, () => a.getState().invoices[cardId(a)]?.[0]?.state === 'paid', "Alice's invoice to be paid");
    // the same invoice again: refused before any quote, nothing paid twice
    expect(await b.getState().readInvoiceToPay(inv.fileText)).toMatchObject({ ok: false, error: expect.stringMatching(/already under way.*pay the seller twice/) });
    expect(b.getState().payDraft.kind).toBe('empty');

    // a commit of another invoice, garbage and an invoice instead of a commit change nothing
    const other = { ...commit.commit, invoiceId: new Uint8Array(32).fill(9) };
    const id = inv.invoice.invoiceId;
    expect(await a.getState().collectInvoice(id, formatCommit(other))).toMatchObject({ ok: false, error: expect.stringMatching(/another invoice/) });
    expect(await a.getState().collectInvoice(id, 'garbage')).toMatchObject({ ok: false, error: expect.stringMatching(/not an Offset commit/) });
    expect(await a.getState().collectInvoice(id, inv.fileText)).toMatchObject({ ok: false, error: 'This is an invoice, not a commit.' });
    expect(a.getState().invoices[cardId(a)]?.[0]?.state).toBe('paid');

    // Bob's window leaves his card before Alice collects: reopened, it asks the node for the receipt.
    // A second window (a reload) rebuilds the payment from the node's report and gets it too.
    const bobCard = cardId(b);
    b.getState().closeCard();
    const b2 = createAppStore(bridge());
    cleanups.push(() => b2.getState().closeCard());
    await b2.getState().openCard(bobCard);
    expect(b2.getState().payments[bobCard]).toMatchObject([{ id: paid.id, fees: undefined, state: { kind: 'committed' }, invoice: { totalDestPayment: 60n } }]);
    // the commit shown before the reload comes back from the node's history, to hand over again
    const rebuiltCommit = (): string | undefined => {
      const p = b2.getState().payments[bobCard]?.[0];
      return p?.state.kind === 'committed' ? p.state.commit?.commitText : undefined;
    };
    await until(b2, () => rebuiltCommit() !== undefined, 'the kept commit');
    expect(rebuiltCommit()).toBe(commit.commitText);
    await ok(a.getState().collectInvoice(id, commit.commitQr));
    await until(a, () => a.getState().invoices[cardId(a)]?.[0]?.state === 'collected', 'collected');
    expect(b.getState().payments[bobCard]?.[0]?.state.kind).toBe('committed');
    await b.getState().openCard(bobCard);
    await until(b, () => b.getState().payments[cardId(b)]?.[0]?.state.kind === 'paid', "Bob's receipt");
    expect(await b.getState().readInvoiceToPay(inv.qrText)).toMatchObject({ ok: false, error: expect.stringMatching(/already paid: its receipt/) });
    await until(b2, () => b2.getState().payments[bobCard]?.[0]?.state.kind === 'paid', "the second window's receipt");
    const done = b.getState().payments[cardId(b)]?.[0];
    if (done?.state.kind !== 'paid') throw new Error('not paid');
    const receipt = parseReceipt(done.state.receiptText);
    expect(receipt).toMatchObject({ ok: true, value: { isComplete: true, totalDestPayment: 60n, currency: 'FST' } });
    await until(a, () => findFriend(report(a), keyB)?.currencies[0]?.balance === 60n, 'Bob to owe Alice 60');
    await until(b, () => findFriend(report(b), keyA)?.currencies[0]?.balance === -60n, 'Bob to owe 60');
    expect(report(a).openInvoices).toEqual([]);
    expect(await a.getState().collectInvoice(id, commit.commitText)).toMatchObject({ ok: false, error: expect.stringMatching(/already collected/) });

    // a payment to Alice's public key, no invoice: Alice's card collects by itself, Bob gets the receipt at once
    const keyText = Buffer.from(keyA).toString('base64url');
    expect(await b.getState().readKeyToPay({ publicKey: keyText.slice(1), amount: '5', currency: 'FST' })).toMatchObject({ ok: false, error: expect.stringMatching(/not a public key/) });
    expect(await b.getState().readKeyToPay({ publicKey: keyText, amount: '5.5', currency: 'FST' })).toMatchObject({ ok: false, error: expect.stringMatching(/no decimals/) });
    expect(await b.getState().readKeyToPay({ publicKey: Buffer.from(keyB).toString('base64url'), amount: '5', currency: 'FST' })).toMatchObject({ ok: false, error: expect.stringMatching(/own key/) });
    await ok(b.getState().readKeyToPay({ publicKey: keyText, amount: '5', currency: 'FST' }));
    expect(b.getState().payDraft).toMatchObject({ kind: 'quoted', autoCollect: true, quote: { totalFees: 0n } });
    const sent = await ok(b.getState().confirmPayment());
    expect(sent).toMatchObject({ state: { kind: 'paid', commit: undefined } });
    if (sent.state.kind === 'paid') expect(parseReceipt(sent.state.receiptText)).toMatchObject({ ok: true, value: { totalDestPayment: 5n, isComplete: true } });
    await until(a, () => findFriend(report(a), keyB)?.currencies[0]?.balance === 65n, 'Bob to owe Alice 65');

    // new windows (a reload) list what ended before they opened from the node's history
    const a3 = createAppStore(bridge());
    const b3 = createAppStore(bridge());
    cleanups.push(() => { a3.getState().closeCard(); b3.getState().closeCard(); });
    await a3.getState().openCard(cardId(a));
    await b3.getState().openCard(bobCard);
    await until(a3, () => (a3.getState().invoices[cardId(a)] ?? []).length === 1, "Alice's invoice from the history");
    expect(a3.getState().invoices[cardId(a)]?.[0]).toMatchObject({ state: 'collected', rebuilt: true, invoice: { invoiceId: id, totalDestPayment: 60n } });
    await until(b3, () => (b3.getState().payments[bobCard] ?? []).length === 2, "Bob's payments from the history");
    const fromHistory = b3.getState().payments[bobCard] ?? [];
    expect(fromHistory.map((p) => [p.id, p.state.kind, p.invoice.totalDestPayment])).toEqual(expect.arrayContaining([[paid.id, 'paid', 60n], [sent.id, 'paid', 5n]]));
    const again = fromHistory.find((p) => p.id === paid.id);
    if (again?.state.kind !== 'paid') throw new Error('no receipt');
    expect(again.state.receiptText).toBe(done.state.receiptText);
  }, 90_000);

  it('refuses bad invoices and amounts with a sentence; cancelling an invoice ends it', async () => {
    const { a, b, keyB } = await friends();
    const refused = async (p: Promise<{ ok: boolean; error?: string }>, pattern: RegExp) => {
      const r = await p;
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(pattern);
    };
    const create = (amount: string, currency = 'FST') => a.getState().createInvoice({ amount, currency, description: '' });
    await refused(create('60.5'), /no decimals/);
    await refused(create('-3'), /without a sign/);
    await refused(create('0'), /more than 0/);
    await refused(create('sixty'), /as digits/);
    await refused(create('5', 'EUR'), /Choose one of this card's currencies: FST/);
    expect(a.getState().invoices[cardId(a)] ?? []).toEqual([]);
    expect(report(a).openInvoices).toEqual([]);

    const inv = await ok(create('7'));
    const before = report(b);
    await refused(a.getState().readInvoiceToPay(inv.fileText), /own invoice/);
    const eur = { ...inv.invoice, currency: 'EUR' };
    await refused(b.getState().readInvoiceToPay(formatQrPayload({ kind: 'invoice', invoice: eur })), /no friend in EUR/);
    await refused(b.getState().readInvoiceToPay('offset:friend:AAAA'), /cannot be read/);
    await refused(b.getState().readInvoiceToPay('hello'), /not an Offset invoice/);
    await refused(b.getState().readInvoiceToPay(formatQrPayload({ kind: 'friend', friend: { publicKey: keyB, relays: [] } })), /This is a friend file, not an invoice/);
    await refused(b.getState().confirmPayment(), /Read an invoice/);
    expect(b.getState().payDraft).toEqual({ kind: 'empty' });
    expect(report(b)).toBe(before);

    await ok(a.getState().cancelInvoice(inv.invoice.invoiceId));
    expect(a.getState().invoices[cardId(a)]?.[0]?.state).toBe('cancelled');
    expect(report(a).openInvoices).toEqual([]);
    await refused(a.getState().collectInvoice(inv.invoice.invoiceId, formatInvoice(inv.invoice)), /no longer open/);
  }, 90_000);
});
