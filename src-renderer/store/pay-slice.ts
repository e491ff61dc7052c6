/** Paying invoices from the open card (buyer side): read the invoice, quote the fee, pay when the
 *  person confirms (the quote re-checked first), then hand over the commit and keep the receipt.
 *  Payments are kept per card for this window (docs/wallet.md "Pay"). */
import type { StateCreator } from 'zustand/vanilla';
import { type AppClient, AppRequestError, ackPayment, executePayment } from '../../src-core/app/index.ts';
import { fromBase64Url, toBase64Url } from '../../src-core/codec/index.ts';
import { formatCommit, formatQrPayload, formatReceipt } from '../../src-core/files/index.ts';
import type { Commit, Invoice, Receipt } from '../../src-core/proto/index.ts';
import type { Result } from '../../src-main/bridge.ts';
import { formatMoney } from '../format-amount.ts';
import { commitsFromHistory, paymentsFromHistory } from '../invoice/from-history.ts';
import {
  type KeyPaymentInput, type Quote, describeEarlierPayment, earlierPaymentOf, invoiceToPay, keyPayment, quoteFrom, sameQuote,
} from '../pay/pay-model.ts';
import { feeAboveCap, feeCapOf } from '../fee-cap/fee-cap.ts';
import type { AppState } from './app-store.ts';

/** The buyer's commit, as the file and the QR text the seller needs. */
export interface CommitView {
  readonly commit: Commit;
  readonly commitText: string;
  readonly commitQr: string;
}

export type PaymentState =
  | { readonly kind: 'paying' }
  /** The seller's node holds the payment; the seller needs this commit to collect it (undefined:
   *  rebuilt from the node's report, the commit was shown before this window was opened). */
  | { readonly kind: 'committed'; readonly commit: CommitView | undefined }
  /** Collected (by the seller with the commit, or by the destination itself for a payment to a
   *  public key, which has no commit); the receipt proves it. */
  | { readonly kind: 'paid'; readonly commit: CommitView | undefined; readonly receipt: Receipt; readonly receiptText: string }
  /** Nothing moved. */
  | { readonly kind: 'canceled'; readonly message: string };

export interface PaymentRecord {
  /** base64url of the payment id. */
  readonly id: string;
  readonly invoice: Invoice;
  /** undefined: rebuilt from the node's report, which does not say. */
  readonly fees: bigint | undefined;
  readonly state: PaymentState;
}

/** `autoCollect`: a payment to a public key without an invoice (the destination collects by
 *  itself; the tutorial's send-funds); otherwise an invoice paid by commit. */
export type PayDraft =
  | { readonly kind: 'empty' }
  | { readonly kind: 'quoting'; readonly invoice: Invoice; readonly autoCollect: boolean }
  | { readonly kind: 'quoted'; readonly invoice: Invoice; readonly autoCollect: boolean; readonly quote: Quote; readonly notice?: string };

export interface PaySlice {
  /** By card id, newest first. */
  readonly payments: Readonly<Record<string, readonly PaymentRecord[]>>;
  /** The invoice being looked at on the Pay tab, and its fee quote. */
  readonly payDraft: PayDraft;
  /** Reads an invoice (file or QR text) and asks for its fee quote. */
  readInvoiceToPay(text: string): Promise<Result<void, string>>;
  /** A payment to a public key without an invoice, quoted like an invoice. */
  readKeyToPay(input: KeyPaymentInput): Promise<Result<void, string>>;
  /** Pays the quoted invoice, after asking for the quote again: if it changed, the draft shows the
   *  new quote and nothing is paid (the person confirms again). */
  confirmPayment(): Promise<Result<PaymentRecord, string>>;
  clearPayDraft(): void;
}

function commitView(commit: Commit): CommitView {
  return { commit, commitText: formatCommit(commit), commitQr: formatQrPayload({ kind: 'commit', commit }) };
}

const platformRandom = (n: number): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(n));

async function quote(client: AppClient, invoice: Invoice): Promise<Result<Quote, string>> {
  let outcome;
  try {
    outcome = await client.requestRoutes({ destination: invoice.destPublicKey, currency: invoice.currency, amount: invoice.totalDestPayment });
  } catch (e) {
    return { ok: false, error: `The card could not look for routes: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (outcome.kind === 'failure') return { ok: false, error: 'The index server could not be asked for routes. Check the card has an index server and is connected, then try again.' };
  const q = quoteFrom(outcome.multiRoutes, invoice.totalDestPayment);
  if (q === undefined) {
    return { ok: false, error: `No route can carry ${formatMoney(invoice.totalDestPayment, invoice.currency)} to the seller now: friends may be offline, or limits too low. Nothing was paid.` };
  }
  return { ok: true, value: q };
}

export const createPaySlice = (random: (n: number) => Uint8Array = platformRandom): StateCreator<AppState, [], [], PaySlice> => (set, get, api) => {
  let draftGeneration = 0;
  let watched: AppClient | undefined;

  // A new session of a card: ask the node about the payments still waiting for their receipt.
  api.subscribe((state, prev) => {
    if (state.cardSession === prev.cardSession || state.cardSession.kind !== 'open') return;
    const client = state.cardClient();
    if (client === undefined || client === watched) return;
    watched = client;
    const cardId = state.cardSession.cardId;
    const known = state.payments[cardId] ?? [];
    // payments the node still has open that this window does not know (made before a reload, or
    // in another window): listed, and asked for their outcome once no new parts can join them
    const rebuilt: PaymentRecord[] = state.cardSession.report.openPayments
      .filter((o) => o.stage !== 'new-transactions' && !known.some((p) => p.id === toBase64Url(o.paymentId)))
      .map((o) => ({
        id: toBase64Url(o.paymentId), fees: undefined, state: { kind: 'committed', commit: undefined },
        invoice: { invoiceId: o.invoiceId, currency: o.currency, destPublicKey: o.destPublicKey, totalDestPayment: o.totalDestPayment },
      }));
    if (rebuilt.length > 0) set({ payments: { ...get().payments, [cardId]: [...rebuilt, ...known] } });
    // finished payments from the node's history, with their receipts (kept after a reload)
    client.queryHistory({ kind: 'payment', limit: 100 }).then((page) => {
      const list = get().payments[cardId] ?? [];
      const ended: PaymentRecord[] = paymentsFromHistory(page.rows).filter((h) => !list.some((p) => p.id === h.id)).map((h) => ({
        id: h.id, fees: undefined,
        invoice: { invoiceId: h.invoiceId, currency: h.currency, destPublicKey: h.destPublicKey, totalDestPayment: h.totalDestPayment },
        state: h.outcome.kind === 'success'
          ? { kind: 'paid', commit: undefined, receipt: h.outcome.receipt, receiptText: formatReceipt(h.outcome.receipt) }
          : { kind: 'canceled', message: 'cancelled; nothing moved' },
      }));
      // a commit shown before the reload: the node kept it, so it can be handed to the seller again
      const kept = commitsFromHistory(page.rows);
      const withCommits = list.map((p) => {
        const commit = p.state.kind === 'committed' && p.state.commit === undefined ? kept.get(p.id) : undefined;
        return commit === undefined ? p : { ...p, state: { kind: 'committed' as const, commit: commitView(commit) } };
      });
      if (ended.length > 0 || withCommits.some((p, i) => p !== list[i])) set({ payments: { ...get().payments, [cardId]: [...withCommits, ...ended] } });
    }, () => undefined);
    for (const p of [...rebuilt, ...known]) {
      const id = fromBase64Url(p.id);
      if (p.state.kind === 'committed' && id !== undefined) void awaitReceipt(cardId, client, id, p, true);
    }
    if (state.payDraft.kind !== 'empty') {
      draftGeneration++;
      set({ payDraft: { kind: 'empty' } });
    }
  });

  function open(): { cardId: string; client: AppClient } | undefined {
    const s = get().cardSession;
    const client = get().cardClient();
    return s.kind === 'open' && client !== undefined ? { cardId: s.cardId, client } : undefined;
  }

  function put(cardId: string, record: PaymentRecord): void {
    const list = get().payments[cardId] ?? [];
    const i = list.findIndex((r) => r.id === record.id);
    const next = i < 0 ? [record, ...list] : list.map((r, k) => (k === i ? record : r));
    set({ payments: { ...get().payments, [cardId]: next } });
  }

  /** After the commit: the seller collects, the node closes the payment with the receipt.
   *  `ask`: request-close-payment now (a new session of the card: the answer may have come while
   *  no session listened); otherwise wait for the status the node pushes. */
  async function awaitReceipt(cardId: string, client: AppClient, paymentId: Uint8Array, record: PaymentRecord, ask = false): Promise<void> {
    if (record.state.kind !== 'committed') return;
    const committed = record.state;
    let status;
    try {
      status = await (ask ? client.requestClosePayment(paymentId) : client.nextPaymentStatus(paymentId));
    } catch {
      return; // the session ended; the payment stays committed here until the card is opened again
    }
    if (status.kind === 'success') {
      put(cardId, { ...record, state: { kind: 'paid', commit: committed.commit, receipt: status.receipt, receiptText: formatReceipt(status.receipt) } });
      await ackPayment(client, paymentId, status.ackUid);
    } else if (status.kind === 'canceled') {
      put(cardId, { ...record, state: { kind: 'canceled', message: 'The seller did not collect; the payment was cancelled and nothing moved.' } });
      await ackPayment(client, paymentId, status.ackUid);
    }
  }

  /** Quotes a payment the person is about to confirm. */
  async function draft(inv: Result<Invoice, string>, autoCollect: boolean): Promise<Result<void, string>> {
    const mine = ++draftGeneration;
    const o = open();
    if (o === undefined) return { ok: false, error: 'No card is open.' };
    if (!inv.ok) return inv;
    set({ payDraft: { kind: 'quoting', invoice: inv.value, autoCollect } });
    const q = await quote(o.client, inv.value);
    if (mine !== draftGeneration) return { ok: false, error: 'Another payment was read meanwhile.' };
    if (!q.ok) {
      set({ payDraft: { kind: 'empty' } });
      return q;
    }
    set({ payDraft: { kind: 'quoted', invoice: inv.value, autoCollect, quote: q.value } });
    return { ok: true, value: undefined };
  }

  return {
    payments: {},
    payDraft: { kind: 'empty' },
    async readInvoiceToPay(text) {
      const s = get().cardSession;
      if (s.kind !== 'open') return { ok: false, error: 'No card is open.' };
      const inv = invoiceToPay(text, s.report);
      const earlier = inv.ok ? earlierPaymentOf(get().payments[s.cardId] ?? [], inv.value) : undefined;
      if (earlier !== undefined) return { ok: false, error: describeEarlierPayment(earlier.state.kind) };
      return draft(inv, false);
    },
    async readKeyToPay(input) {
      const s = get().cardSession;
      if (s.kind !== 'open') return { ok: false, error: 'No card is open.' };
      return draft(keyPayment(input, s.report, random(32)), true);
    },
    async confirmPayment() {
      const d = get().payDraft;
      const o = open();
      if (o === undefined) return { ok: false, error: 'No card is open.' };
      if (d.kind !== 'quoted') return { ok: false, error: 'Read an invoice and look at its fee first.' };
      const mine = ++draftGeneration;
      const fresh = await quote(o.client, d.invoice);
      if (mine !== draftGeneration) return { ok: false, error: 'Another invoice was read meanwhile.' };
      if (!fresh.ok) return fresh;
      // the fee cap (fee-cap/): checked on the fresh quote, so a dearer route found since is caught
      const above = feeAboveCap(fresh.value.totalFees, feeCapOf(get().feeCaps[o.cardId], d.invoice.currency), d.invoice.currency);
      if (above !== undefined) {
        set({ payDraft: { ...d, quote: fresh.value, notice: above } });
        return { ok: false, error: above };
      }
      if (!sameQuote(fresh.value, d.quote)) {
        const notice = `The fee changed from ${formatMoney(d.quote.totalFees, d.invoice.currency)} to ${formatMoney(fresh.value.totalFees, d.invoice.currency)}. Nothing was paid: check the new quote and confirm again.`;
        set({ payDraft: { ...d, quote: fresh.value, notice } });
        return { ok: false, error: notice };
      }
      const paymentId = random(16);
      const invoice = d.invoice;
      let record: PaymentRecord = { id: toBase64Url(paymentId), invoice, fees: fresh.value.totalFees, state: { kind: 'paying' } };
      put(o.cardId, record);
      set({ payDraft: { kind: 'empty' } });
      let outcome;
      try {
        outcome = await executePayment(o.client, {
          paymentId, invoiceId: invoice.invoiceId, currency: invoice.currency, totalDestPayment: invoice.totalDestPayment,
          destPublicKey: invoice.destPublicKey, autoCollect: d.autoCollect,
        }, fresh.value.plan, random);
      } catch (e) {
        const message = `The card's session ended during the payment (${e instanceof Error ? e.message : String(e)}); open the card again to see what happened.`;
        put(o.cardId, { ...record, state: { kind: 'canceled', message } });
        return { ok: false, error: message };
      }
      switch (outcome.kind) {
        case 'commit': {
          record = { ...record, fees: outcome.fees, state: { kind: 'committed', commit: commitView(outcome.commit) } };
          put(o.cardId, record);
          void awaitReceipt(o.cardId, o.client, paymentId, record);
          return { ok: true, value: record };
        }
        case 'receipt': { // a payment to a public key: the destination collected by itself
          record = { ...record, fees: outcome.fees, state: { kind: 'paid', commit: undefined, receipt: outcome.receipt, receiptText: formatReceipt(outcome.receipt) } };
          put(o.cardId, record);
          await ackPayment(o.client, paymentId, outcome.ackUid);
          return { ok: true, value: record };
        }
        case 'canceled': {
          const message = 'The payment did not go through (a route refused it); nothing moved. Try again later.';
          put(o.cardId, { ...record, state: { kind: 'canceled', message } });
          return { ok: false, error: message };
        }
        case 'refused': {
          const message = outcome.error instanceof AppRequestError ? `The card refused the payment: ${outcome.error.message}` : 'The card refused the payment.';
          put(o.cardId, { ...record, state: { kind: 'canceled', message } });
          return { ok: false, error: message };
        }
      }
    },
    clearPayDraft() {
      draftGeneration++;
      set({ payDraft: { kind: 'empty' } });
    },
  };
};
