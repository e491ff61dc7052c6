import { useId, useState } from 'react';
import type { NodeReport } from '../../src-core/app/index.ts';
import type { FeeCap } from '../../src-main/bridge.ts';
import { formatMoney } from '../format-amount.ts';
import { cardCurrencies } from '../invoice/invoice-model.ts';
import { useAppStore } from '../useAppStore.ts';
import { feeAboveCap, feeCapOf } from './fee-cap.ts';
import './fee-cap.css';

const NONE: readonly FeeCap[] = [];

/** Settings: the card's fee cap in each of its currencies (none by default). */
export function FeeCapSection({ cardId, report }: { readonly cardId: string; readonly report: NodeReport }) {
  const id = useId();
  const caps = useAppStore((s) => s.feeCaps[cardId]) ?? NONE;
  const currencies = cardCurrencies(report);
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Fee caps</h2>
      <p className="lead">The most this card pays mediators for one payment, per currency. A quote with a higher fee cannot be confirmed. Empty: no cap.</p>
      {currencies.length === 0 ? <p className="empty">This card has no currencies yet: add a friend first.</p>
        : currencies.map((c) => <FeeCapRow key={c} cardId={cardId} currency={c} cap={feeCapOf(caps, c)} />)}
    </section>
  );
}

function FeeCapRow({ cardId, currency, cap }: { readonly cardId: string; readonly currency: string; readonly cap: bigint | undefined }) {
  const id = useId();
  const setFeeCap = useAppStore((s) => s.setFeeCap);
  const [text, setText] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>(undefined);
  async function save(value: string): Promise<void> {
    const r = await setFeeCap(cardId, currency, value);
    setMessage(r.ok ? { kind: 'ok', text: value.trim() === '' ? `No fee cap in ${currency}.` : `The fee cap in ${currency} is set.` } : { kind: 'error', text: r.error });
    if (r.ok) setText('');
  }
  return (
    <div className="row">
      <div className="field">
        <label htmlFor={`${id}-cap`}>Fee cap ({currency})</label>
        <input id={`${id}-cap`} inputMode="decimal" value={text} placeholder={cap === undefined ? 'no cap' : String(cap)} onChange={(e) => setText(e.target.value)} />
      </div>
      <span className="card-meta" aria-label={`Current fee cap in ${currency}`}>{cap === undefined ? 'no cap' : `cap ${formatMoney(cap, currency)}`}</span>
      <button type="button" onClick={() => void save(text)}>Set fee cap</button>
      {cap !== undefined && <button type="button" className="secondary" onClick={() => void save('')}>Remove cap</button>}
      {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}
    </div>
  );
}

/** The open card's cap in `currency`, and why `fee` cannot be paid (undefined: it can). */
export function useFeeCap(currency: string, fee: bigint): { readonly cap: bigint | undefined; readonly above: string | undefined } {
  const cap = useAppStore((s) => (s.cardSession.kind === 'open' ? feeCapOf(s.feeCaps[s.cardSession.cardId], currency) : undefined));
  return { cap, above: feeAboveCap(fee, cap, currency) };
}

/** Beside a quote's fee: the cap, and a refusal when the fee is above it. */
export function FeeCapNote({ currency, fee }: { readonly currency: string; readonly fee: bigint }) {
  const { cap, above } = useFeeCap(currency, fee);
  return (
    <>
      <dt>Fee cap</dt><dd aria-label="Fee cap">{cap === undefined ? 'none' : formatMoney(cap, currency)}</dd>
      {above !== undefined && <dd className="message error fee-cap-alert" role="alert">{above}</dd>}
    </>
  );
}
