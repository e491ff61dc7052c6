/** The history slice against a real wallet host with node engines: rows are the node's own
 *  history (query-history through the card's session). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcessTransport } from '../../src-main/dispatcher.ts';
import { openWalletHost } from '../../src-main/host.node.ts';
import { createBridgeClient } from '../bridge-client.ts';
import { createAppStore } from './app-store.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('history slice', () => {
  it('reads the card history newest first: an invoice opened, then cancelled, and another still open', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'offset-history-slice-'));
    cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
    const h = await openWalletHost(join(tmp, 'data'), (e) => { throw e; }, { cost: { logN: 4, r: 8, p: 1 } });
    cleanups.push(() => h.close());
    const a = createAppStore(createBridgeClient(inProcessTransport(h.dispatcher, h.events)));
    cleanups.push(() => a.getState().closeCard());
    expect((await a.getState().createPassword('history slice password')).ok).toBe(true);
    const card = await a.getState().createCard('Alice');
    if (!card.ok) throw new Error('card not created');

    await a.getState().loadHistory();
    expect(a.getState().history).toEqual({ kind: 'idle' }); // no card open

    await a.getState().openCard(card.value.id);
    await a.getState().loadHistory();
    expect(a.getState().history).toEqual({ kind: 'loaded', cardId: card.value.id, rows: [], truncated: false });

    const first = new Uint8Array(32).fill(1);
    const second = new Uint8Array(32).fill(2);
    expect((await a.getState().cardRequest({ kind: 'add-invoice', invoiceId: first, currency: 'FST', totalDestPayment: 60n })).ok).toBe(true);
    expect((await a.getState().cardRequest({ kind: 'cancel-invoice', invoiceId: first })).ok).toBe(true);
    expect((await a.getState().cardRequest({ kind: 'add-invoice', invoiceId: second, currency: 'USD', totalDestPayment: 7n })).ok).toBe(true);
    await a.getState().loadHistory();
    const v = a.getState().history;
    if (v.kind !== 'loaded') throw new Error(`history is ${v.kind}`);
    expect(v.rows.map((r) => [r.kind, r.currency, r.amount, r.state])).toEqual(expect.arrayContaining([
      ['invoice', 'FST', 60n, 'canceled'],
      ['invoice', 'USD', 7n, 'open'],
    ]));
    expect(v.rows).toHaveLength(2);
    expect(v.rows[0]!.time).toBeGreaterThanOrEqual(v.rows[1]!.time);
  });
});
