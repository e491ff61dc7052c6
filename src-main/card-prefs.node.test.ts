import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type NodeToApp, appToNode, nodeToApp } from '../src-core/app/index.ts';
import { decodeExact, encode, fromBase64Url, toBase64Url } from '../src-core/codec/index.ts';
import { CARD_PREFS_FILE } from './card-prefs-storage.node.ts';
import { openWalletHost, type RunningHost } from './host.node.ts';

const dirs: string[] = [];
const hosts: RunningHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const PW = 'invoice expiry password';
type Answer = { ok: boolean; value?: any; error?: { code: string; message: string } };
let uid = 0;
const rid = (): Uint8Array => new Uint8Array(16).fill(++uid % 250);
const invoiceId = (n: number): Uint8Array => new Uint8Array(32).fill(n);

/** A real host (node engines, sql.js files) on `dir`, its events decoded and awaitable. */
async function openHost(dir: string) {
  const h = await openWalletHost(dir, () => {}, { cost: { logN: 4, r: 8, p: 1 } });
  hosts.push(h);
  const messages: Array<{ cardId: string; message: NodeToApp }> = [];
  const events: Array<{ name: string; payload: any }> = [];
  const waiters: Array<() => void> = [];
  h.events.subscribe((text) => {
    const e = JSON.parse(text) as { name: string; payload: any };
    events.push(e);
    if (e.name === 'app.message') {
      const decoded = decodeExact(nodeToApp, fromBase64Url(e.payload.message) as Uint8Array);
      if (decoded.ok) messages.push({ cardId: e.payload.cardId, message: decoded.value });
    }
    for (const w of waiters.splice(0)) w();
  });
  let id = 0;
  const call = async (name: string, args: unknown = {}): Promise<Answer> => JSON.parse(await h.dispatcher.handle(JSON.stringify({ id: ++id, name, args }))) as Answer;
  const waitFor = async (pred: (m: { cardId: string; message: NodeToApp }) => boolean): Promise<NodeToApp> => {
    for (;;) {
      const hit = messages.find(pred);
      if (hit !== undefined) return hit.message;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  const addInvoice = async (cardId: string, n: number): Promise<void> => {
    const requestId = rid();
    const message = toBase64Url(encode(appToNode, { requestId, request: { kind: 'add-invoice', invoiceId: invoiceId(n), currency: 'FST', totalDestPayment: 60n } }));
    expect(await call('app.request', { cardId, message })).toMatchObject({ ok: true });
    const ack = await waitFor((m) => m.message.kind === 'ack' && toBase64Url(m.message.requestId) === toBase64Url(requestId));
    expect(ack).toMatchObject({ result: { kind: 'ok' } });
  };
  const cancelled = (cardId: string, n: number) => waitFor((m) => m.cardId === cardId && m.message.kind === 'invoice-event'
    && m.message.event.kind === 'canceled' && toBase64Url(m.message.invoiceId) === toBase64Url(invoiceId(n)));
  const openInvoices = async (cardId: string): Promise<string[]> => {
    const from = messages.length;
    expect(await call('app.connect', { cardId })).toMatchObject({ ok: true });
    const r = await waitFor((m) => messages.indexOf(m) >= from && m.cardId === cardId && m.message.kind === 'report');
    return r.kind === 'report' ? r.report.openInvoices.map((o) => toBase64Url(o.invoiceId)) : [];
  };
  return { dir, h, call, events, addInvoice, cancelled, openInvoices };
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'offset-prefs-'));
  dirs.push(d);
  return join(d, 'data');
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const b64 = (n: number): string => toBase64Url(invoiceId(n));

describe('the seller wallet cancels expired invoices (host side)', () => {
  it('cancels an invoice on its timer while unlocked, and one that expired while locked at unlock, even after a restart', async () => {
    const dir = tempDir();
    let w = await openHost(dir);
    await w.call('wallet.create', { password: PW });
    const card = (await w.call('cards.create', { name: 'Shop' })).value.card.id as string;
    await w.addInvoice(card, 1);
    await w.addInvoice(card, 2);
    await w.addInvoice(card, 3);
    // 1: expires in a moment (the timer); 2: in a few seconds, but the wallet is locked and the host
    // restarted meanwhile; 3: far away
    expect(await w.call('invoices.setExpiry', { cardId: card, invoiceId: b64(1), expiresAt: nowSeconds() + 1 })).toMatchObject({ ok: true });
    expect(await w.call('invoices.setExpiry', { cardId: card, invoiceId: b64(2), expiresAt: nowSeconds() + 2 })).toMatchObject({ ok: true });
    expect(await w.call('invoices.setExpiry', { cardId: card, invoiceId: b64(3), expiresAt: nowSeconds() + 3600 })).toMatchObject({ ok: true });
    await w.cancelled(card, 1);
    expect(await w.openInvoices(card)).toEqual(expect.arrayContaining([b64(2), b64(3)]));
    expect(await w.openInvoices(card)).not.toContain(b64(1));
    await w.call('wallet.lock');
    const lockedAt = nowSeconds();
    const saved = JSON.parse(readFileSync(join(dir, CARD_PREFS_FILE), 'utf8')) as { expiries: Array<{ invoiceId: string }> };
    expect(saved.expiries.map((e) => e.invoiceId).sort()).toEqual([b64(2), b64(3)].sort());
    const first = w.h;
    hosts.splice(hosts.indexOf(first), 1);
    await first.close();

    // invoice 2's time passes while no host runs; the next host cancels it at unlock
    await expect.poll(() => nowSeconds() >= lockedAt + 3, { timeout: 10_000, interval: 200 }).toBe(true);
    w = await openHost(dir);
    expect(await w.call('wallet.unlock', { password: PW })).toMatchObject({ ok: true });
    await w.cancelled(card, 2);
    expect(await w.openInvoices(card)).toEqual([b64(3)]);
    const left = (): string[] => (JSON.parse(readFileSync(join(dir, CARD_PREFS_FILE), 'utf8')) as { expiries: Array<{ invoiceId: string }> }).expiries.map((e) => e.invoiceId);
    await expect.poll(left, { timeout: 5000, interval: 50 }).toEqual([b64(3)]);
  }, 60_000);

  it('drops an expiry whose invoice was already collected or cancelled, and a removed card\'s entries', async () => {
    const w = await openHost(tempDir());
    await w.call('wallet.create', { password: PW });
    const card = (await w.call('cards.create', { name: 'Shop' })).value.card.id as string;
    // no such invoice on the node (collected or cancelled earlier): the node refuses, the entry goes
    expect(await w.call('invoices.setExpiry', { cardId: card, invoiceId: b64(9), expiresAt: nowSeconds() - 5 })).toMatchObject({ ok: true });
    await expect.poll(() => readPrefs(w), { timeout: 10_000, interval: 50 }).toBe(0);
    expect(await w.call('invoices.setExpiry', { cardId: card, invoiceId: b64(8), expiresAt: nowSeconds() + 3600 })).toMatchObject({ ok: true });
    expect(await w.call('feeCaps.set', { cardId: card, currency: 'FST', cap: '5' })).toMatchObject({ ok: true });
    expect(await w.call('cards.remove', { cardId: card })).toMatchObject({ ok: true });
    expect(await w.call('feeCaps.get', { cardId: card })).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    expect(readPrefs(w)).toBe(0);
  }, 60_000);

  it('refuses expiries for unknown cards, while locked, and malformed ones, changing nothing', async () => {
    const dir = tempDir();
    const w = await openHost(dir);
    expect(await w.call('invoices.setExpiry', { cardId: 'nocard', invoiceId: b64(1), expiresAt: 5 })).toMatchObject({ ok: false, error: { code: 'locked' } });
    await w.call('wallet.create', { password: PW });
    const card = (await w.call('cards.create', { name: 'Shop' })).value.card.id as string;
    expect(await w.call('invoices.setExpiry', { cardId: 'nocard', invoiceId: b64(1), expiresAt: 5 })).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    expect(await w.call('invoices.setExpiry', { cardId: card, invoiceId: toBase64Url(new Uint8Array(31)), expiresAt: 5 })).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    expect(await w.call('invoices.setExpiry', { cardId: card, invoiceId: b64(1), expiresAt: -1 })).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    expect(await w.call('invoices.setExpiry', { cardId: card, invoiceId: b64(1), expiresAt: 1.5 })).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    await w.call('wallet.lock');
    expect(await w.call('invoices.setExpiry', { cardId: card, invoiceId: b64(1), expiresAt: 5 })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(readPrefs(w)).toBe(0);
  });
});

describe('fee caps per card and currency', () => {
  it('are none by default, set, replaced and removed per currency, kept in the file and announced', async () => {
    const dir = tempDir();
    const w = await openHost(dir);
    await w.call('wallet.create', { password: PW });
    const card = (await w.call('cards.create', { name: 'Buyer' })).value.card.id as string;
    expect(await w.call('feeCaps.get', { cardId: card })).toMatchObject({ ok: true, value: { caps: [] } });
    expect(await w.call('feeCaps.set', { cardId: card, currency: 'FST', cap: '3' })).toMatchObject({ ok: true });
    expect(await w.call('feeCaps.set', { cardId: card, currency: 'EUR', cap: '10' })).toMatchObject({ ok: true });
    expect(await w.call('feeCaps.set', { cardId: card, currency: 'FST', cap: '2' })).toMatchObject({ ok: true });
    expect(await w.call('feeCaps.get', { cardId: card })).toMatchObject({ ok: true, value: { caps: [{ currency: 'EUR', cap: '10' }, { currency: 'FST', cap: '2' }] } });
    expect(w.events.filter((e) => e.name === 'feeCaps.changed').at(-1)?.payload).toEqual({ cardId: card, caps: [{ currency: 'EUR', cap: '10' }, { currency: 'FST', cap: '2' }] });
    expect(await w.call('feeCaps.set', { cardId: card, currency: 'EUR', cap: null })).toMatchObject({ ok: true });
    expect(await w.call('feeCaps.set', { cardId: card, currency: 'FST', cap: '-1' })).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    expect(await w.call('feeCaps.set', { cardId: card, currency: '', cap: '1' })).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    const saved = JSON.parse(readFileSync(join(dir, CARD_PREFS_FILE), 'utf8')) as unknown;
    expect(saved).toEqual({ expiries: [], feeCaps: [{ cardId: card, currency: 'FST', cap: '2' }] });
  });
});

/** How many entries (expiries and caps) the host's file holds. */
function readPrefs(w: { dir: string }): number {
  if (!existsSync(join(w.dir, CARD_PREFS_FILE))) return 0;
  const p = JSON.parse(readFileSync(join(w.dir, CARD_PREFS_FILE), 'utf8')) as { expiries: unknown[]; feeCaps: unknown[] };
  return p.expiries.length + p.feeCaps.length;
}
