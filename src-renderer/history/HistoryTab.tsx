import { useEffect, useId, useMemo, useState } from 'react';
import './history.css';
import { type NodeReport, hexOf } from '../../src-core/app/index.ts';
import { fromBase64Url, toBase64Url } from '../../src-core/codec/index.ts';
import { formatReceipt } from '../../src-core/files/index.ts';
import { CARD_DECIMALS } from '../card/friend-input.ts';
import { saveFile } from '../files/file-port.ts';
import { formatAmount } from '../format-amount.ts';
import { useAppStore } from '../useAppStore.ts';
import { historyCsv } from './history-csv.ts';
import {
  type HistoryFilterInput, type HistoryItem, NO_FILTER, choices, filterItems, formatSigned, formatTime, historyItem, kindLabel, showsThrough, stateLabel, throughText,
} from './history-model.ts';

export interface HistoryTabProps {
  readonly cardId: string;
  readonly cardName: string;
  readonly report: NodeReport;
}

const safeFileName = (s: string): string => s.replace(/[^A-Za-z0-9 ._-]+/g, '_').trim() || 'card';

/** Payments and invoices of the card from its node's history: search, filters, CSV, receipts. */
export function HistoryTab({ cardId, cardName, report }: HistoryTabProps) {
  const id = useId();
  const history = useAppStore((s) => s.history);
  const loadHistory = useAppStore((s) => s.loadHistory);
  const [filter, setFilter] = useState<HistoryFilterInput>(NO_FILTER);
  const [shown, setShown] = useState<string | undefined>(undefined);
  // rows change when payments and invoices do: reload then (and on opening the tab)
  const activity = `${report.openInvoices.map((i) => `${toBase64Url(i.invoiceId)}:${i.paidDestPayment}`).join()}|${report.openPayments.map((p) => `${toBase64Url(p.paymentId)}:${p.stage}`).join()}`;
  useEffect(() => { void loadHistory(); }, [cardId, activity, loadHistory]);

  const rows = history.kind === 'loaded' && history.cardId === cardId ? history.rows : [];
  // the node keeps no fees; payments this window made know theirs (the pay slice)
  const payments = useAppStore((s) => s.payments[cardId]);
  const fees = useMemo(() => feesById(payments ?? []), [payments]);
  const items = useMemo(() => rows.map((r) => historyItem(r, report, fees)), [rows, report, fees]);
  const visible = filterItems(items, filter);
  const edit = (patch: Partial<HistoryFilterInput>) => setFilter((f) => ({ ...f, ...patch }));
  const receiptItem = items.find((i) => i.id === shown && i.receipt !== undefined);

  function exportCsv(): void {
    saveFile(document, `${safeFileName(cardName)} history.csv`, new Blob([historyCsv(visible)], { type: 'text/csv' }));
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>History</h2>
      <div className="row card-form" role="search" aria-label="Search the history">
        <div className="field">
          <label htmlFor={`${id}-text`}>Search</label>
          <input id={`${id}-text`} type="search" value={filter.text} placeholder="name, amount, state…" onChange={(e) => edit({ text: e.target.value })} />
        </div>
        <Choice id={`${id}-kind`} label="Kind" value={filter.kind} options={choices(items, 'kind')} name={kindLabel} onChange={(kind) => edit({ kind })} />
        <Choice id={`${id}-state`} label="State" value={filter.state} options={choices(items, 'state')} name={stateLabel} onChange={(state) => edit({ state })} />
        <Choice id={`${id}-cur`} label="Currency" value={filter.currency} options={choices(items, 'currency')} name={(c) => c} onChange={(currency) => edit({ currency })} />
      </div>
      <div className="card-actions">
        <button type="button" className="secondary" onClick={() => void loadHistory()}>Reload</button>
        <button type="button" className="secondary" disabled={visible.length === 0} onClick={exportCsv}>Export CSV ({visible.length} {visible.length === 1 ? 'row' : 'rows'})</button>
      </div>
      {history.kind === 'loading' && rows.length === 0 && <p role="status">Reading the history…</p>}
      {history.kind === 'failed' && <p role="alert" className="message error">{history.message}</p>}
      {history.kind === 'loaded' && history.truncated && <p className="card-meta">Showing the newest {rows.length} entries.</p>}
      {history.kind === 'loaded' && items.length === 0 && (
        <p className="empty"><strong>No payments or invoices yet</strong>They show here once this card pays or gets paid.</p>
      )}
      {items.length > 0 && visible.length === 0 && <p className="empty"><strong>Nothing matches</strong>Change the search or the filters.</p>}
      {visible.length > 0 && (
        <div className="table-wrap">
          <table className="history-table" aria-label="History">
            <thead>
              <tr><th scope="col">Time (UTC)</th><th scope="col">Kind</th><th scope="col">Counterpart</th><th scope="col">Amount</th><th scope="col">Fee</th><th scope="col">State</th><th scope="col"><span className="sr-only">Receipt</span></th></tr>
            </thead>
            <tbody>
              {visible.map((i) => (
                <tr key={i.id}>
                  <td>{formatTime(i.time)}</td>
                  <td>{i.kindLabel}</td>
                  <td className="counterpart" title={i.counterpartKey}>
                    {i.counterpart === '' ? '—' : i.counterpart}
                    {showsThrough(i) && <span className="through">through {throughText(i)}</span>}
                  </td>
                  <td className={`amount ${i.settled ? (i.amount < 0n ? 'out' : 'in') : 'unsettled'}`}>
                    {i.settled ? formatSigned(i.amount) : formatAmount(i.amount < 0n ? -i.amount : i.amount, CARD_DECIMALS, { group: ',' })} {i.currency}
                  </td>
                  <td>{i.fee === undefined ? '—' : `${formatAmount(i.fee, CARD_DECIMALS, { group: ',' })} ${i.currency}`}</td>
                  <td>{i.stateLabel}</td>
                  <td>{i.receipt !== undefined && (
                    <button type="button" className="link" aria-expanded={shown === i.id} onClick={() => setShown(shown === i.id ? undefined : i.id)}>
                      {shown === i.id ? 'Hide receipt' : 'Receipt'}
                    </button>
                  )}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {receiptItem !== undefined && <ReceiptView item={receiptItem} cardName={cardName} />}
    </section>
  );
}

function feesById(payments: readonly { readonly id: string; readonly fees: bigint | undefined }[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const p of payments) {
    const id = fromBase64Url(p.id);
    if (id !== undefined && p.fees !== undefined) out.set(`payment:${hexOf(id)}`, p.fees);
  }
  return out;
}

function Choice({ id, label, value, options, name, onChange }: {
  readonly id: string; readonly label: string; readonly value: string; readonly options: readonly string[];
  readonly name: (v: string) => string; readonly onChange: (v: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All</option>
        {options.map((o) => <option key={o} value={o}>{name(o)}</option>)}
      </select>
    </div>
  );
}

function ReceiptView({ item, cardName }: { readonly item: HistoryItem; readonly cardName: string }) {
  if (item.receipt === undefined) return null;
  const text = formatReceipt(item.receipt);
  const short = toBase64Url(item.receipt.invoiceId).slice(0, 8);
  return (
    <div className="receipt-view" role="region" aria-label="Receipt">
      <h3>Receipt of {formatAmount(-item.amount, CARD_DECIMALS, { group: ',' })} {item.currency} to {item.counterpart}</h3>
      <p className="card-meta">Signed by the seller's card: it proves the invoice {toBase64Url(item.receipt.invoiceId)} was paid. Anyone can check it with stverify or stregister verify-receipt.</p>
      <pre aria-label="Receipt file">{text}</pre>
      <button type="button" className="secondary"
        onClick={() => saveFile(document, `${safeFileName(cardName)} ${short}.receipt`, new Blob([text], { type: 'application/json' }))}>
        Save receipt
      </button>
    </div>
  );
}
