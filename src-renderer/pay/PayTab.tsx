import { useId, useState, type FormEvent } from 'react';
import type { NodeReport } from '../../src-core/app/index.ts';
import { toBase64Url } from '../../src-core/codec/index.ts';
import type { Invoice } from '../../src-core/proto/index.ts';
import type { CardTabProps } from '../components/card-tabs.ts';
import { saveFile } from '../files/file-port.ts';
import { formatMoney } from '../format-amount.ts';
import { QrShow } from '../invoice/QrShow.tsx';
import { ScanInput } from '../invoice/ScanInput.tsx';
import type { PaymentRecord } from '../store/pay-slice.ts';
import { ConfirmWithPassword } from '../safety/ConfirmWithPassword.tsx';
import { needsPassword } from '../safety/needs-password.ts';
import { FeeCapNote, useFeeCap } from '../fee-cap/FeeCapSection.tsx';
import { useAppStore } from '../useAppStore.ts';
import { cardCurrencies } from '../invoice/invoice-model.ts';
import { type KeyPaymentInput, type Quote, describeRate, nodeName } from './pay-model.ts';

type Message = { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;
const EMPTY: readonly PaymentRecord[] = [];

/** Pay: read an invoice (paste, file, QR picture, clipboard picture, camera), see the fee quote,
 *  confirm, then give the seller the commit; the receipt is kept. */
export function PayTab({ cardId, report }: CardTabProps) {
  const id = useId();
  const draft = useAppStore((s) => s.payDraft);
  const payments = useAppStore((s) => s.payments[cardId]) ?? EMPTY;
  const readInvoiceToPay = useAppStore((s) => s.readInvoiceToPay);
  const confirmPayment = useAppStore((s) => s.confirmPayment);
  const clearPayDraft = useAppStore((s) => s.clearPayDraft);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(undefined);
  const safety = useAppStore((s) => s.safety);
  // the wallet password is asked first (safety/), for this very quote: a new quote asks anew
  const [confirmFor, setConfirmFor] = useState<object | undefined>(undefined);
  const confirming = draft.kind === 'quoted' && confirmFor === draft;
  const readKeyToPay = useAppStore((s) => s.readKeyToPay);
  const [keyInput, setKeyInput] = useState<KeyPaymentInput>({ publicKey: '', amount: '', currency: '' });
  const currencies = cardCurrencies(report);
  const keyCurrency = currencies.includes(keyInput.currency) ? keyInput.currency : (currencies[0] ?? '');
  const editKey = (patch: Partial<KeyPaymentInput>): void => {
    setKeyInput((k) => ({ ...k, ...patch }));
    if (draft.kind !== 'empty') clearPayDraft();
    setMessage(undefined);
  };
  /** Whose form the quote belongs to: a payment to a public key, or an invoice. */
  const forKey = draft.kind !== 'empty' && draft.autoCollect;
  const quoteView = draft.kind === 'quoted' && (
    <>
      <QuoteView invoice={draft.invoice} quote={draft.quote} report={report} busy={busy}
        onPay={() => (needsPassword(draft.invoice.totalDestPayment + draft.quote.totalFees, draft.invoice.currency, safety) ? setConfirmFor(draft) : void pay())}
        onCancel={() => { setConfirmFor(undefined); clearPayDraft(); setMessage(undefined); }} />
      {confirming && (
        <ConfirmWithPassword action={`Pay ${formatMoney(draft.invoice.totalDestPayment + draft.quote.totalFees, draft.invoice.currency)}, fees included.`} confirmLabel="Confirm and pay"
          onConfirmed={() => { setConfirmFor(undefined); void pay(); }} onCancel={() => setConfirmFor(undefined)} />
      )}
    </>
  );
  const messageView = message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>;

  async function check(t: string): Promise<void> {
    setBusy(true);
    setMessage(undefined);
    const r = await readInvoiceToPay(t);
    setBusy(false);
    if (!r.ok) setMessage({ kind: 'error', text: r.error });
  }

  async function pay(): Promise<void> {
    setBusy(true);
    setMessage({ kind: 'ok', text: 'Paying…' });
    const r = await confirmPayment();
    setBusy(false);
    if (!r.ok) return setMessage({ kind: 'error', text: r.error });
    setText('');
    setKeyInput((k) => ({ ...k, publicKey: '', amount: '' }));
    setMessage({
      kind: 'ok',
      text: r.value.state.kind === 'paid' ? 'Paid: the receipt is kept below.' : 'Paid. Give the seller the commit below so they can collect; the receipt appears once they have.',
    });
  }

  async function checkKey(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setMessage(undefined);
    const r = await readKeyToPay({ ...keyInput, currency: keyCurrency });
    setBusy(false);
    if (!r.ok) setMessage({ kind: 'error', text: r.error });
  }

  return (
    <>
      <section className="panel" aria-labelledby={`${id}-read`}>
        <h2 id={`${id}-read`}>Pay an invoice</h2>
        <ScanInput what="invoice" extensions={['.invoice']} value={text}
          onChange={(t) => { setText(t); if (draft.kind !== 'empty') clearPayDraft(); setMessage(undefined); }}
          onError={(t) => setMessage({ kind: 'error', text: t })} />
        <div className="card-actions">
          <button type="button" disabled={busy} onClick={() => void check(text)}>Check invoice and fee</button>
        </div>
        {draft.kind === 'quoting' && !forKey && <p role="status">Looking for routes to the seller…</p>}
        {!forKey && quoteView}
        {!forKey && messageView}
      </section>
      <section className="panel" aria-labelledby={`${id}-key`}>
        <h2 id={`${id}-key`}>Pay a public key (no invoice)</h2>
        <p className="lead">Sends credits straight to another card by its public key; that card collects them by itself. No commit to hand over: the receipt comes at once.</p>
        {currencies.length === 0 ? (
          <p className="empty"><strong>No currencies yet</strong>Add a friend (Friends tab) first: payments go through friends.</p>
        ) : (
          <form onSubmit={(e) => void checkKey(e)}>
            <div className="field">
              <label htmlFor={`${id}-pk`}>Public key of the card to pay</label>
              <input id={`${id}-pk`} value={keyInput.publicKey} spellCheck={false} onChange={(e) => editKey({ publicKey: e.target.value })} />
            </div>
            {report.friends.length > 0 && (
              <div className="field">
                <label htmlFor={`${id}-pk-friend`}>Or a friend</label>
                <select id={`${id}-pk-friend`} value={report.friends.some((f) => toBase64Url(f.publicKey) === keyInput.publicKey.trim()) ? keyInput.publicKey.trim() : ''}
                  onChange={(e) => { if (e.target.value !== '') editKey({ publicKey: e.target.value }); }}>
                  <option value="">(choose a friend)</option>
                  {report.friends.map((f) => <option key={toBase64Url(f.publicKey)} value={toBase64Url(f.publicKey)}>{f.name}</option>)}
                </select>
              </div>
            )}
            <div className="row">
              <div className="field">
                <label htmlFor={`${id}-pk-amount`}>Amount to send</label>
                <input id={`${id}-pk-amount`} inputMode="decimal" value={keyInput.amount} onChange={(e) => editKey({ amount: e.target.value })} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-pk-currency`}>Currency to send</label>
                <select id={`${id}-pk-currency`} value={keyCurrency} onChange={(e) => editKey({ currency: e.target.value })}>
                  {currencies.map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
              </div>
              <button type="submit" disabled={busy}>Check the fee</button>
            </div>
          </form>
        )}
        {draft.kind === 'quoting' && forKey && <p role="status">Looking for routes…</p>}
        {forKey && quoteView}
        {forKey && messageView}
      </section>
      <section className="panel" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`}>Payments</h2>
        {payments.length === 0 ? (
          <p className="empty"><strong>No payments yet</strong>Payments made from this card in this window appear here, with their commits and receipts.</p>
        ) : (
          <ul className="card-list" aria-label="Payments">
            {payments.map((p) => <PaymentItem key={p.id} payment={p} report={report} />)}
          </ul>
        )}
      </section>
    </>
  );
}

function QuoteView({ invoice, quote, report, busy, onPay, onCancel }: {
  readonly invoice: Invoice; readonly quote: Quote; readonly report: NodeReport;
  readonly busy: boolean; readonly onPay: () => void; readonly onCancel: () => void;
}) {
  const cur = invoice.currency;
  const m = (v: bigint): string => formatMoney(v, cur);
  const aboveCap = useFeeCap(cur, quote.totalFees).above !== undefined;
  return (
    <div className="quote" role="group" aria-label="Payment quote">
      <dl className="quote-summary">
        <dt>To</dt><dd>{nodeName(invoice.destPublicKey, report, invoice)}</dd>
        {invoice.description !== undefined && (<><dt>For</dt><dd>{invoice.description}</dd></>)}
        <dt>Amount</dt><dd className="balance">{m(invoice.totalDestPayment)}</dd>
        <dt>Fee</dt><dd className="balance" aria-label="Fee">{m(quote.totalFees)}</dd>
        <FeeCapNote currency={cur} fee={quote.totalFees} />
        <dt>Total</dt><dd className="balance"><strong>{m(invoice.totalDestPayment + quote.totalFees)}</strong></dd>
      </dl>
      <details open={quote.routes.length > 1 || quote.totalFees !== 0n}>
        <summary>How the fee is made ({quote.routes.length === 1 ? 'one route' : `split over ${quote.routes.length} routes`})</summary>
        <ol className="routes" aria-label="Routes">
          {quote.routes.map((r, k) => {
            const mediators = r.route.slice(1, -1);
            return (
              <li key={k}>
                {m(r.share)} through {mediators.length === 0 ? 'no mediator (the seller is a friend)' : mediators.map((x) => nodeName(x, report, invoice)).join(' → ')}
                {': '}fee {m(r.fees)} (rate {describeRate(r.rate)}, {r.route.length - 1} hop{r.route.length === 2 ? '' : 's'})
              </li>
            );
          })}
        </ol>
        <p className="card-meta">Each mediator charges its rate on the part it carries; the route's rate is theirs added up. A quote reserves no credit: it is checked again when you pay.</p>
      </details>
      <div className="card-actions">
        <button type="button" disabled={busy || aboveCap} onClick={onPay}>Pay {m(invoice.totalDestPayment + quote.totalFees)}</button>
        <button type="button" className="secondary" disabled={busy} onClick={onCancel}>Don't pay</button>
      </div>
    </div>
  );
}

function PaymentItem({ payment, report }: { readonly payment: PaymentRecord; readonly report: NodeReport }) {
  const [showReceipt, setShowReceipt] = useState(false);
  const inv = payment.invoice;
  const m = (v: bigint): string => formatMoney(v, inv.currency);
  const s = payment.state;
  const state = s.kind === 'paying' ? 'paying…'
    : s.kind === 'committed' ? `paid: waiting for the seller to collect${s.commit === undefined ? ' (its commit was shown before this window opened)' : ''}`
    : s.kind === 'paid' ? (s.commit !== undefined ? 'collected by the seller: receipt kept' : payment.fees === undefined ? 'paid: receipt kept (from the card\'s history)' : 'paid: receipt kept')
      : `not paid: ${s.message}`;
  const short = payment.id.slice(0, 8);
  return (
    <li className="card-item" aria-label={`Payment ${m(inv.totalDestPayment)}${inv.description === undefined ? '' : ` ${inv.description}`}`}>
      <div className="card-name balance">{m(inv.totalDestPayment)} to {nodeName(inv.destPublicKey, report, inv)}</div>
      <div className="card-meta">{inv.description ?? (payment.fees === undefined ? '(before this window opened)' : s.kind === 'paid' && s.commit === undefined ? 'sent to the public key, no invoice' : '(no description)')} · fee {payment.fees === undefined ? 'not known here' : m(payment.fees)}</div>
      <div className={`invoice-state state-${s.kind}`}>{state}</div>
      {(s.kind === 'committed' || s.kind === 'paid') && s.commit !== undefined && (
        <details open={s.kind === 'committed'}>
          <summary>The commit for the seller</summary>
          <p className="card-meta">The seller collects with this: show them the QR code or give them the file.</p>
          <QrShow text={s.commit.commitQr} fileText={s.commit.commitText} fileName={`payment-${short}.commit`} label="Commit" />
        </details>
      )}
      {s.kind === 'paid' && (
        <div className="card-actions">
          <button type="button" className="secondary" aria-expanded={showReceipt} onClick={() => setShowReceipt(!showReceipt)}>{showReceipt ? 'Hide receipt' : 'View receipt'}</button>
          <button type="button" className="secondary" onClick={() => saveFile(document, `payment-${short}.receipt`, new Blob([s.receiptText], { type: 'application/json' }))}>Save receipt file</button>
        </div>
      )}
      {s.kind === 'paid' && showReceipt && <pre className="file-text" aria-label="Receipt">{s.receiptText}</pre>}
    </li>
  );
}
