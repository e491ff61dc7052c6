import { useId, useState } from 'react';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { formatMoney } from '../format-amount.ts';
import { useAppStore } from '../useAppStore.ts';
import { describeLink } from './link-model.ts';

/** The cards screen's "Open an offset: link" box, and the link waiting for a card. */
export function LinkBox() {
  const id = useId();
  const link = useAppStore((s) => s.link);
  const cards = useAppStore((s) => s.cards);
  const openLink = useAppStore((s) => s.openLink);
  const openLinkWithCard = useAppStore((s) => s.openLinkWithCard);
  const dismissLink = useAppStore((s) => s.dismissLink);
  const importCard = useAppStore((s) => s.importCard);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [cardId, setCardId] = useState('');
  const [name, setName] = useState('');
  const [done, setDone] = useState<string | undefined>(undefined);
  const chosen = cards.some((c) => c.id === cardId) ? cardId : (cards[0]?.id ?? '');

  function submit(): void {
    setDone(undefined);
    const r = openLink(text);
    if (!r.ok) return setError(r.error);
    setError(undefined);
    setText('');
    if (r.value.kind === 'rcard') setName(r.value.name);
  }

  async function importRcard(fileText: string): Promise<void> {
    const r = await importCard(name.trim(), { kind: 'rcard', text: fileText }, '');
    if (!r.ok) return setError(r.error.message);
    dismissLink();
    setDone(`The remote card "${r.value.name}" is imported.`);
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Open an offset: link</h2>
      <div className="field">
        <label htmlFor={`${id}-text`}>offset: link</label>
        <textarea id={`${id}-text`} rows={2} spellCheck={false} value={text} placeholder="offset:invoice:…"
          onChange={(e) => { setText(e.target.value); setError(undefined); }} />
      </div>
      <div className="card-actions">
        <button type="button" onClick={submit}>Open link</button>
      </div>
      {error !== undefined && <p role="alert" className="message error">{error}</p>}
      {done !== undefined && <p role="status" className="message ok">{done}</p>}
      {link !== undefined && (
        <div className="quote" role="group" aria-label="Opened link">
          <p>{describeLink(link)}</p>
          {(link.kind === 'invoice' || link.kind === 'commit' || link.kind === 'friend') && (
            cards.length === 0 ? <p className="empty">Create a card first.</p> : (
              <div className="row">
                <div className="field">
                  <label htmlFor={`${id}-card`}>Card</label>
                  <select id={`${id}-card`} value={chosen} onChange={(e) => setCardId(e.target.value)}>
                    {cards.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                  </select>
                </div>
                <button type="button" onClick={() => void openLinkWithCard(chosen)}>Open in this card</button>
              </div>
            )
          )}
          {link.kind === 'receipt' && (
            <dl className="quote-summary" aria-label="Receipt">
              <dt>Amount</dt><dd>{formatMoney(link.receipt.totalDestPayment, link.receipt.currency)}</dd>
              <dt>Complete</dt><dd>{link.receipt.isComplete ? 'yes' : 'no'}</dd>
              <dt>Invoice</dt><dd className="public-key">{toBase64Url(link.receipt.invoiceId)}</dd>
              <dt>Signature</dt><dd className="public-key">{toBase64Url(link.receipt.signature).slice(0, 22)}…</dd>
            </dl>
          )}
          {link.kind === 'rcard' && (
            <div className="row">
              <div className="field">
                <label htmlFor={`${id}-name`}>Card name</label>
                <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} />
              </div>
              <button type="button" onClick={() => void importRcard(link.fileText)}>Import remote card</button>
            </div>
          )}
          <div className="card-actions">
            <button type="button" className="secondary" onClick={dismissLink}>Dismiss</button>
          </div>
        </div>
      )}
    </section>
  );
}
