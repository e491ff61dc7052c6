import { useId, useState, type FormEvent } from 'react';
import { toBase64Url } from '../../src-core/codec/index.ts';
import type { CardTabProps } from '../components/card-tabs.ts';
import { formatMoney } from '../format-amount.ts';
import { useAppStore } from '../useAppStore.ts';
import { EXPIRY_CHOICES, type InvoiceRecord, cardCurrencies, describeInvoiceState } from './invoice-model.ts';
import { QrShow } from './QrShow.tsx';
import { ScanInput } from './ScanInput.tsx';

type Message = { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;
const EMPTY: readonly InvoiceRecord[] = [];

/** Get paid: make an invoice, show it as a QR code and file, accept the buyer's commit, collect. */
export function GetPaidTab({ cardId, report }: CardTabProps) {
  const id = useId();
  const invoices = useAppStore((s) => s.invoices[cardId]) ?? EMPTY;
  const createInvoice = useAppStore((s) => s.createInvoice);
  const currencies = cardCurrencies(report);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('');
  const [description, setDescription] = useState('');
  const [expiresIn, setExpiresIn] = useState(0);
  const [expiresAtText, setExpiresAtText] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(undefined);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const chosen = currency !== '' && currencies.includes(currency) ? currency : (currencies[0] ?? '');

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setBusy(true);
    const at = expiresIn < 0 ? Math.floor(new Date(expiresAtText).getTime() / 1000) : undefined;
    const r = await createInvoice({ amount, currency: chosen, description, ...(at === undefined ? { expiresInSeconds: expiresIn } : { expiresAtSeconds: Number.isNaN(at) ? -1 : at }) });
    setBusy(false);
    if (!r.ok) return setMessage({ kind: 'error', text: r.error });
    setMessage({ kind: 'ok', text: `Invoice for ${formatMoney(r.value.invoice.totalDestPayment, r.value.invoice.currency)} made. Show its QR code or give its file to the buyer.` });
    setAmount('');
    setDescription('');
    setSelected(toBase64Url(r.value.invoice.invoiceId));
  }

  const current = invoices.find((r) => toBase64Url(r.invoice.invoiceId) === selected);
  return (
    <>
      <section className="panel" aria-labelledby={`${id}-new`}>
        <h2 id={`${id}-new`}>New invoice</h2>
        {currencies.length === 0 ? (
          <p className="empty"><strong>No currencies yet</strong>This card is paid through its friends: add a friend (Friends tab) first.</p>
        ) : (
          <form onSubmit={(e) => void submit(e)}>
            <div className="row">
              <div className="field">
                <label htmlFor={`${id}-amount`}>Amount</label>
                <input id={`${id}-amount`} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="for example 60" />
              </div>
              <div className="field">
                <label htmlFor={`${id}-currency`}>Currency</label>
                <select id={`${id}-currency`} value={chosen} onChange={(e) => setCurrency(e.target.value)}>
                  {currencies.map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
              </div>
            </div>
            <div className="field card-form">
              <label htmlFor={`${id}-description`}>Description (what it is for)</label>
              <input id={`${id}-description`} value={description} onChange={(e) => setDescription(e.target.value)} />
            </div>
            <div className="field card-form">
              <label htmlFor={`${id}-expires`}>Expires</label>
              <select id={`${id}-expires`} value={expiresIn} onChange={(e) => setExpiresIn(Number(e.target.value))}>
                {EXPIRY_CHOICES.map((c) => <option key={c.seconds} value={c.seconds}>{c.label}</option>)}
              </select>
              {expiresIn < 0 && (
                <input type="datetime-local" step={1} aria-label="Expiry time" value={expiresAtText} onChange={(e) => setExpiresAtText(e.target.value)} />
              )}
            </div>
            <button type="submit" disabled={busy}>Create invoice</button>
          </form>
        )}
        {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}
      </section>
      {current !== undefined && <InvoiceDetail record={current} onClose={() => setSelected(undefined)} />}
      <section className="panel" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`}>Invoices</h2>
        {invoices.length === 0 ? (
          <p className="empty"><strong>No invoices yet</strong>Invoices you make on this card appear here with their state.</p>
        ) : (
          <ul className="card-list" aria-label="Invoices">
            {invoices.map((r) => {
              const key = toBase64Url(r.invoice.invoiceId);
              const label = `Invoice ${formatMoney(r.invoice.totalDestPayment, r.invoice.currency)}${r.invoice.description === undefined ? '' : ` ${r.invoice.description}`}`;
              return (
                <li key={key} className="card-item" aria-label={label}>
                  <div className="card-main">
                    <div>
                      <div className="card-name balance">{formatMoney(r.invoice.totalDestPayment, r.invoice.currency)}</div>
                      <div className="card-meta">{r.invoice.description ?? (r.rebuilt ? '(made before this window opened: no description)' : '(no description)')}</div>
                      {r.invoice.expiresAt !== undefined && (r.state === 'open' || r.state === 'paid') && (
                        <div className="card-meta">expires {new Date(r.invoice.expiresAt * 1000).toLocaleString()}</div>
                      )}
                      <div className={`invoice-state state-${r.state}`}>{describeInvoiceState(r)}</div>
                    </div>
                    <button type="button" className="secondary" aria-expanded={selected === key} onClick={() => setSelected(selected === key ? undefined : key)}>
                      {selected === key ? 'Hide' : 'Show'} invoice
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}

function InvoiceDetail({ record, onClose }: { readonly record: InvoiceRecord; readonly onClose: () => void }) {
  const id = useId();
  const cancelInvoice = useAppStore((s) => s.cancelInvoice);
  const collectInvoice = useAppStore((s) => s.collectInvoice);
  const [commitText, setCommitText] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(undefined);
  const inv = record.invoice;
  const live = record.state === 'open' || record.state === 'paid';

  async function run(action: () => Promise<{ ok: boolean; error?: string }>, done: string): Promise<void> {
    setBusy(true);
    const r = await action();
    setBusy(false);
    setMessage(r.ok ? { kind: 'ok', text: done } : { kind: 'error', text: r.error ?? 'Something went wrong.' });
    if (r.ok) setCommitText('');
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Invoice for {formatMoney(inv.totalDestPayment, inv.currency)}</h2>
      {inv.description !== undefined && <p className="lead">{inv.description}</p>}
      {inv.expiresAt !== undefined && <p className="card-meta">Expires {new Date(inv.expiresAt * 1000).toLocaleString()}: this wallet cancels it then, even with no window open.</p>}
      <p className={`invoice-state state-${record.state}`} aria-label="Invoice state">{describeInvoiceState(record)}</p>
      {live && (
        <>
          <p className="lead">Show this QR code to the buyer, or give them the invoice file. Once they paid, they give you a commit: read it below to collect.</p>
          <QrShow text={record.qrText} fileText={record.fileText} fileName={`invoice-${toBase64Url(inv.invoiceId).slice(0, 8)}.invoice`} label="Invoice" />
          <h3>Collect with the buyer's commit</h3>
          <ScanInput what="commit" extensions={['.commit']} value={commitText} onChange={(t) => { setCommitText(t); setMessage(undefined); }}
            onError={(text) => setMessage({ kind: 'error', text })} />
          <div className="card-actions">
            <button type="button" disabled={busy} onClick={() => void run(() => collectInvoice(inv.invoiceId, commitText), 'Commit accepted: the payment is collected.')}>Collect</button>
            <button type="button" className="secondary danger" disabled={busy}
              onClick={() => void run(() => cancelInvoice(inv.invoiceId), 'Invoice cancelled: nothing can be paid for it any more.')}>Cancel invoice</button>
          </div>
        </>
      )}
      {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}
      <div className="card-actions">
        <button type="button" className="secondary" onClick={onClose}>Close</button>
      </div>
      <p className="card-meta">Invoice id: <code className="public-key">{toBase64Url(inv.invoiceId)}</code></p>
    </section>
  );
}
