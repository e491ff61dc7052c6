import { useState } from 'react';
import { bytesEqual } from '../../src-core/crypto/index.ts';
import { formatMoney } from '../format-amount.ts';
import { useAppStore } from '../useAppStore.ts';

type Message = { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;

/** On the card page opened from an offset: link: what the link asks, with its one action (collect
 *  with a commit, add a friend); an invoice is quoted on the Pay tab below. */
export function LinkBanner({ cardId }: { readonly cardId: string }) {
  const cardLink = useAppStore((s) => (s.cardLink?.cardId === cardId ? s.cardLink : undefined));
  const invoices = useAppStore((s) => s.invoices[cardId]);
  const collectInvoice = useAppStore((s) => s.collectInvoice);
  const addFriend = useAppStore((s) => s.addFriend);
  const dismissLink = useAppStore((s) => s.dismissLink);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<Message>(undefined);
  if (cardLink === undefined) return null;
  const t = cardLink.target;

  async function collect(): Promise<void> {
    if (t.kind !== 'commit') return;
    const rec = invoices?.find((r) => bytesEqual(r.invoice.invoiceId, t.commit.invoiceId));
    if (rec === undefined) return setMessage({ kind: 'error', text: 'This card has no open invoice this commit pays. Open the link with the card that made the invoice.' });
    const r = await collectInvoice(rec.invoice.invoiceId, t.text);
    setMessage(r.ok ? { kind: 'ok', text: 'Commit accepted: the payment is collected.' } : { kind: 'error', text: r.error });
  }

  async function add(): Promise<void> {
    if (t.kind !== 'friend') return;
    const r = await addFriend({ fileText: t.fileText, name, currency: '', balance: '' });
    setMessage(r.ok ? { kind: 'ok', text: 'Friend added from the link.' } : { kind: 'error', text: r.error });
  }

  return (
    <div className="quote" role="group" aria-label="From an offset: link">
      {t.kind === 'invoice' && <p>An invoice from a link, for {formatMoney(t.invoice.totalDestPayment, t.invoice.currency)}{cardLink.problem === undefined ? ': its fee quote is below.' : '.'}</p>}
      {t.kind === 'commit' && (
        <>
          <p>A buyer's commit from a link, paying {formatMoney(t.commit.totalDestPayment, t.commit.currency)}.</p>
          <button type="button" onClick={() => void collect()}>Collect with this commit</button>
        </>
      )}
      {t.kind === 'friend' && (
        <>
          <p>A friend file from a link{t.friend.name === undefined ? '' : ` (${t.friend.name})`}.</p>
          <div className="row">
            <div className="field">
              <label htmlFor="link-friend-name">Friend's name (empty: the suggested one)</label>
              <input id="link-friend-name" value={name} onChange={(e) => setName(e.target.value)} />
            </div>
            <button type="button" onClick={() => void add()}>Add this friend</button>
          </div>
        </>
      )}
      {cardLink.problem !== undefined && <p role="alert" className="message error">{cardLink.problem}</p>}
      {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}
      <div className="card-actions">
        <button type="button" className="secondary" onClick={dismissLink}>Done with the link</button>
      </div>
    </div>
  );
}
