import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { NodeReport } from '../../src-core/app/index.ts';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { bytesEqual } from '../../src-core/crypto/index.ts';
import { describeOpenFileError, pickFile, saveFile } from '../files/file-port.ts';
import { formatMoney } from '../format-amount.ts';
import { cardCurrencies, type InvoiceRecord } from '../invoice/invoice-model.ts';
import { readExpected } from '../invoice/offset-text.ts';
import { describeCameraError, scanWithCamera } from '../qr/camera-scan.ts';
import { scanQrImage } from '../qr/qr-image.ts';
import { useQrPng } from '../qr/use-qr-png.ts';
import { describeScanError } from '../qr/qr-pixels.ts';
import { useAppStore } from '../useAppStore.ts';
import { type CounterStage, counterKey, counterStatus, saleReceipt } from './counter-model.ts';
import './counter.css';

const EMPTY: readonly InvoiceRecord[] = [];
/** A counter's invoice expires after this long: one left on a screen nobody looks at any more is
 *  cancelled by the wallet instead of staying payable. */
export const COUNTER_INVOICE_SECONDS = 15 * 60;
type Message = { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;

/** Full-screen counter mode for a seller: amount → invoice QR → the buyer's commit by camera (or a
 *  picture, or pasted text) → collected → receipt → next customer (Enter or N). Escape leaves. */
export function CounterScreen({ cardId, cardName, report, onLeave }: {
  readonly cardId: string; readonly cardName: string; readonly report: NodeReport; readonly onLeave: () => void;
}) {
  const [stage, setStage] = useState<CounterStage>({ kind: 'amount' });
  const root = useRef<HTMLDivElement | null>(null);
  // read by one listener for the screen's life: a key pressed right after the stage changed is not
  // lost in the gap between the render and a re-registered listener
  const current = useRef({ stageKind: stage.kind, onLeave });
  current.current = { stageKind: stage.kind, onLeave };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const action = counterKey(e.key, current.current.stageKind);
      if (action === 'none') return;
      e.preventDefault();
      if (action === 'leave') current.current.onLeave();
      else setStage({ kind: 'amount' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => root.current?.focus(), []);

  return (
    <div className="counter" role="dialog" aria-modal="true" aria-label={`Counter mode: ${cardName}`} ref={root} tabIndex={-1}>
      <div className="counter-bar">
        <span className="counter-title">{cardName} · counter</span>
        <button type="button" className="secondary" onClick={onLeave}>Leave counter mode (Esc)</button>
      </div>
      {stage.kind === 'amount' && <AmountStage report={report} onInvoice={(invoiceId) => setStage({ kind: 'invoice', invoiceId })} />}
      {stage.kind === 'invoice' && (
        <InvoiceStage cardId={cardId} invoiceId={stage.invoiceId}
          onPaid={(commit) => setStage({ kind: 'paid', invoiceId: stage.invoiceId, commit, paidAt: Date.now() })}
          onCancelled={() => setStage({ kind: 'amount' })} />
      )}
      {stage.kind === 'paid' && <PaidStage cardId={cardId} stage={stage} onNext={() => setStage({ kind: 'amount' })} />}
    </div>
  );
}

function AmountStage({ report, onInvoice }: { readonly report: NodeReport; readonly onInvoice: (invoiceId: Uint8Array) => void }) {
  const id = useId();
  const createInvoice = useAppStore((s) => s.createInvoice);
  const currencies = cardCurrencies(report);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(undefined);
  const chosen = currency !== '' && currencies.includes(currency) ? currency : (currencies[0] ?? '');

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setBusy(true);
    const r = await createInvoice({ amount, currency: chosen, description, expiresInSeconds: COUNTER_INVOICE_SECONDS });
    setBusy(false);
    if (!r.ok) return setMessage({ kind: 'error', text: r.error });
    onInvoice(r.value.invoice.invoiceId);
  }

  if (currencies.length === 0) {
    return <p className="counter-status">This card has no friends yet: add a friend first, then it can be paid through them.</p>;
  }
  return (
    <form className="counter-amount" onSubmit={(e) => void submit(e)}>
      <label htmlFor={`${id}-amount`} className="counter-label">Amount to charge</label>
      <div className="counter-amount-row">
        <input id={`${id}-amount`} className="counter-amount-input" inputMode="decimal" autoFocus value={amount}
          onChange={(e) => { setAmount(e.target.value); setMessage(undefined); }} placeholder="0" />
        <select aria-label="Currency" value={chosen} onChange={(e) => setCurrency(e.target.value)}>
          {currencies.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>What for (optional)</label>
        <input id={`${id}-description`} value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <button type="submit" disabled={busy}>Show the invoice (Enter)</button>
      <p className="card-meta">The invoice expires after {COUNTER_INVOICE_SECONDS / 60} minutes if nobody pays it.</p>
      {message !== undefined && <p role="alert" className="message error">{message.text}</p>}
    </form>
  );
}

function InvoiceStage({ cardId, invoiceId, onPaid, onCancelled }: {
  readonly cardId: string; readonly invoiceId: Uint8Array;
  readonly onPaid: (commit: NonNullable<ReturnType<typeof commitOf>>) => void; readonly onCancelled: () => void;
}) {
  const records = useAppStore((s) => s.invoices[cardId]) ?? EMPTY;
  const collectInvoice = useAppStore((s) => s.collectInvoice);
  const cancelInvoice = useAppStore((s) => s.cancelInvoice);
  const record = records.find((r) => bytesEqual(r.invoice.invoiceId, invoiceId));
  const status = counterStatus(record);
  const [pasted, setPasted] = useState('');
  const [message, setMessage] = useState<Message>(undefined);
  const [accepted, setAccepted] = useState<ReturnType<typeof commitOf>>(undefined);
  const [scanRound, setScanRound] = useState(0);
  const video = useRef<HTMLVideoElement | null>(null);
  const busy = useRef(false);
  const qrText = record?.qrText;

  const png = useQrPng(qrText).png?.url;

  async function collect(text: string): Promise<void> {
    if (busy.current) return;
    busy.current = true;
    setMessage({ kind: 'ok', text: 'Checking the commit…' });
    const r = await collectInvoice(invoiceId, text);
    busy.current = false;
    if (!r.ok) {
      setMessage({ kind: 'error', text: r.error });
      setScanRound((n) => n + 1); // look again
      return;
    }
    setMessage({ kind: 'ok', text: 'Commit accepted: collecting…' });
    setAccepted(commitOf(text));
  }

  // the camera runs while the payment is complete and no commit was accepted yet
  const scanning = status.scan && accepted === undefined;
  useEffect(() => {
    const v = video.current;
    if (!scanning || v === null) return;
    const scan = scanWithCamera(v);
    void scan.result.then((r) => {
      if (r.ok) void collect(r.value);
      else if (r.error.kind !== 'stopped') setMessage({ kind: 'error', text: `${describeCameraError(r.error)} Read a picture of the commit or paste it instead.` });
    });
    return () => scan.stop();
  }, [scanning, scanRound]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (record?.state === 'collected' && accepted !== undefined) onPaid(accepted);
    if (record?.state === 'cancelled') onCancelled();
  }, [record?.state, accepted]); // eslint-disable-line react-hooks/exhaustive-deps

  async function picture(): Promise<void> {
    const r = await pickFile(document, ['image/*']);
    if (!r.ok) return setMessage({ kind: 'error', text: describeOpenFileError(r.error) });
    if (r.value === undefined) return;
    const q = await scanQrImage(r.value.file);
    if (!q.ok) return setMessage({ kind: 'error', text: `No commit QR code was read from ${r.value.name}: ${describeScanError(q.error)}` });
    await collect(q.value);
  }

  if (record === undefined) return <p className="counter-status" role="status">Making the invoice…</p>;
  const inv = record.invoice;
  return (
    <div className="counter-sale">
      <div className="counter-qr-side">
        {png !== undefined && <img className="counter-qr" src={png} alt="Invoice as a QR code" />}
        <p className="counter-amount-big" aria-label="Amount">{formatMoney(inv.totalDestPayment, inv.currency)}</p>
        {inv.description !== undefined && <p className="lead">{inv.description}</p>}
      </div>
      <div className="counter-scan-side">
        <p className={`counter-status invoice-state state-${record.state}`} role="status" aria-label="Sale state">{status.text}</p>
        <video ref={video} className="counter-camera" hidden={!scanning} muted playsInline aria-label="Camera view for the commit QR code" />
        {scanning && <button type="button" className="secondary" onClick={() => setScanRound((n) => n + 1)}>Restart the camera</button>}
        {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}
        <details>
          <summary>No camera? Read a picture or paste the commit</summary>
          <div className="card-actions">
            <button type="button" className="secondary" onClick={() => void picture()}>Read a commit QR picture…</button>
          </div>
          <textarea aria-label="Commit (file text or QR text)" rows={3} value={pasted} spellCheck={false} onChange={(e) => setPasted(e.target.value)} />
          <div className="card-actions">
            <button type="button" className="secondary" disabled={pasted.trim() === ''} onClick={() => void collect(pasted)}>Collect with this commit</button>
          </div>
        </details>
        <div className="card-actions">
          <button type="button" className="secondary danger"
            onClick={() => void cancelInvoice(invoiceId).then((r) => (r.ok ? onCancelled() : setMessage({ kind: 'error', text: r.error })))}>
            Cancel this sale
          </button>
        </div>
      </div>
    </div>
  );
}

/** The commit in text the node accepted (the slice has checked it already). */
function commitOf(text: string) {
  const c = readExpected(text, 'commit');
  return c.ok ? c.value : undefined;
}

function PaidStage({ cardId, stage, onNext }: { readonly cardId: string; readonly stage: Extract<CounterStage, { kind: 'paid' }>; readonly onNext: () => void }) {
  const records = useAppStore((s) => s.invoices[cardId]) ?? EMPTY;
  const record = records.find((r) => bytesEqual(r.invoice.invoiceId, stage.invoiceId));
  const receipt = record === undefined ? undefined : saleReceipt(record.invoice, stage.commit);
  const png = useQrPng(receipt?.commitQr).png?.url;
  if (record === undefined || receipt === undefined) return null;
  const inv = record.invoice;
  const save = (name: string, text: string) => saveFile(document, name, new Blob([text], { type: 'application/json' }));
  return (
    <div className="counter-paid">
      <p className="counter-paid-word" role="status">Paid</p>
      <p className="counter-amount-big">{formatMoney(inv.totalDestPayment, inv.currency)}</p>
      <section className="counter-receipt" aria-label="Receipt">
        <h2>Receipt</h2>
        <dl className="quote-summary">
          <dt>Amount</dt><dd>{formatMoney(inv.totalDestPayment, inv.currency)}</dd>
          {inv.description !== undefined && (<><dt>For</dt><dd>{inv.description}</dd></>)}
          <dt>Paid</dt><dd>{new Date(stage.paidAt).toLocaleString()}</dd>
          <dt>Invoice</dt><dd className="public-key">{toBase64Url(inv.invoiceId)}</dd>
          <dt>Seller</dt><dd className="public-key">{toBase64Url(inv.destPublicKey)}</dd>
        </dl>
        {png !== undefined && <img className="qr" src={png} alt="Commit as a QR code" />}
        <p className="card-meta">Signed by the seller's card: check it with <code>stverify verify-commit -i {receipt.invoiceFileName} -c {receipt.commitFileName}</code>.</p>
      </section>
      <div className="card-actions counter-receipt-actions">
        <button type="button" className="secondary" onClick={() => void save(receipt.commitFileName, receipt.commitText)}>Save receipt (commit file)</button>
        <button type="button" className="secondary" onClick={() => void save(receipt.invoiceFileName, receipt.invoiceText)}>Save invoice file</button>
        <button type="button" className="secondary" onClick={() => window.print()}>Print receipt</button>
        <button type="button" onClick={onNext}>Next customer (Enter or N)</button>
      </div>
    </div>
  );
}
