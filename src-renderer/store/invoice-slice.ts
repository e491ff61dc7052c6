/** The open card's invoices (seller side), per card for this window: made here, or rebuilt from
 *  the node's report (docs/wallet.md "Get paid"). States follow the node's invoice events. */
import type { StateCreator } from 'zustand/vanilla';
import type { AppClient } from '../../src-core/app/index.ts';
import { bytesEqual } from '../../src-core/crypto/index.ts';
import type { Bridge, Result } from '../../src-main/bridge.ts';
import {
  type InvoiceInput, type InvoiceRecord, advance, applyInvoiceEvent, checkCommit, invoiceFromInput, invoiceRecord, reconcile,
} from '../invoice/invoice-model.ts';
import { invoicesFromHistory } from '../invoice/from-history.ts';
import { readExpected } from '../invoice/offset-text.ts';
import type { AppState } from './app-store.ts';

export interface InvoiceSlice {
  /** By card id, newest first. */
  readonly invoices: Readonly<Record<string, readonly InvoiceRecord[]>>;
  createInvoice(input: InvoiceInput): Promise<Result<InvoiceRecord, string>>;
  cancelInvoice(invoiceId: Uint8Array): Promise<Result<void, string>>;
  /** Reads the buyer's commit (file text or QR text), checks it belongs to this invoice, and
   *  hands it to the node, which verifies it and collects. */
  collectInvoice(invoiceId: Uint8Array, commitText: string): Promise<Result<void, string>>;
}

const platformRandom = (n: number): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(n));
const refused = (e: unknown): string => `The card refused: ${e instanceof Error ? e.message : String(e)}`;

/** `bridge`: where an expiring invoice's time is registered (`invoices.setExpiry`), so the host
 *  cancels it even with no window open; without it invoices with an expiry are refused. */
export const createInvoiceSlice = (random: (n: number) => Uint8Array = platformRandom, bridge?: Bridge): StateCreator<AppState, [], [], InvoiceSlice> => (set, get, api) => {
  let watched: AppClient | undefined;

  function open(): { cardId: string; client: AppClient } | undefined {
    const s = get().cardSession;
    const client = get().cardClient();
    return s.kind === 'open' && client !== undefined ? { cardId: s.cardId, client } : undefined;
  }

  function update(cardId: string, f: (list: readonly InvoiceRecord[]) => readonly InvoiceRecord[]): void {
    const list = get().invoices[cardId] ?? [];
    const next = f(list);
    if (next !== list) set({ invoices: { ...get().invoices, [cardId]: next } });
  }

  function updateOne(cardId: string, invoiceId: Uint8Array, f: (r: InvoiceRecord) => InvoiceRecord): void {
    update(cardId, (list) => {
      let changed = false;
      const next = list.map((r) => {
        if (!bytesEqual(r.invoice.invoiceId, invoiceId)) return r;
        const n = f(r);
        if (n !== r) changed = true;
        return n;
      });
      return changed ? next : list;
    });
  }

  // Follow the open card: its invoice events, and its report's open invoices.
  api.subscribe((state, prev) => {
    if (state.cardSession === prev.cardSession) return;
    const s = state.cardSession;
    if (s.kind !== 'open') return;
    const client = state.cardClient();
    const fresh = client !== watched;
    if (fresh && client !== undefined) {
      watched = client;
      const cardId = s.cardId;
      const key = s.report.localPublicKey;
      client.onInvoiceEvent(({ invoiceId, event }) => updateOne(cardId, invoiceId, (r) => applyInvoiceEvent(r, event)));
      // ended invoices from the node's history (a node without query-history: the report only)
      client.queryHistory({ kind: 'invoice', limit: 100 }).then(
        (page) => update(cardId, (list) => invoicesFromHistory(list, page.rows, key)),
        () => undefined,
      );
    }
    update(s.cardId, (list) => reconcile(list, s.report, fresh));
  });

  return {
    invoices: {},
    async createInvoice(input) {
      const o = open();
      const s = get().cardSession;
      if (o === undefined || s.kind !== 'open') return { ok: false, error: 'No card is open.' };
      const inv = invoiceFromInput(input, s.report, random(32));
      if (!inv.ok) return inv;
      if (inv.value.expiresAt !== undefined) {
        // registered before the node has the invoice, so no window exists in which it is payable
        // but would never be cancelled
        if (bridge === undefined) return { ok: false, error: 'This window cannot set an expiry.' };
        const r = await bridge.call('invoices.setExpiry', { cardId: o.cardId, invoiceId: inv.value.invoiceId, expiresAt: inv.value.expiresAt });
        if (!r.ok) return { ok: false, error: `The wallet could not set the expiry: ${r.error.message} No invoice was made.` };
      }
      const record = invoiceRecord(inv.value);
      // listed first, so the report's set-open-invoice finds it (and keeps its description)
      update(o.cardId, (list) => [record, ...list]);
      try {
        await o.client.request({ kind: 'add-invoice', invoiceId: inv.value.invoiceId, currency: inv.value.currency, totalDestPayment: inv.value.totalDestPayment });
      } catch (e) {
        update(o.cardId, (list) => list.filter((r) => r !== record));
        return { ok: false, error: refused(e) };
      }
      const now = (get().invoices[o.cardId] ?? []).find((r) => bytesEqual(r.invoice.invoiceId, inv.value.invoiceId));
      return { ok: true, value: now ?? record };
    },
    async cancelInvoice(invoiceId) {
      const o = open();
      if (o === undefined) return { ok: false, error: 'No card is open.' };
      try {
        await o.client.request({ kind: 'cancel-invoice', invoiceId });
      } catch (e) {
        return { ok: false, error: refused(e) };
      }
      updateOne(o.cardId, invoiceId, (r) => advance(r, 'cancelled', 0n));
      return { ok: true, value: undefined };
    },
    async collectInvoice(invoiceId, commitText) {
      const o = open();
      if (o === undefined) return { ok: false, error: 'No card is open.' };
      const rec = (get().invoices[o.cardId] ?? []).find((r) => bytesEqual(r.invoice.invoiceId, invoiceId));
      if (rec === undefined) return { ok: false, error: 'This card has no such invoice.' };
      if (rec.state === 'collected') return { ok: false, error: 'This invoice is already collected.' };
      if (rec.state === 'cancelled' || rec.state === 'closed') return { ok: false, error: 'This invoice is no longer open: nothing can be collected for it.' };
      const c = readExpected(commitText, 'commit');
      if (!c.ok) return c;
      const commit = checkCommit(c.value, rec.invoice);
      if (!commit.ok) return commit;
      try {
        await o.client.request({ kind: 'commit-invoice', commit: commit.value });
      } catch (e) {
        return { ok: false, error: refused(e) };
      }
      updateOne(o.cardId, invoiceId, (r) => advance(r, 'committed'));
      return { ok: true, value: undefined };
    },
  };
};
