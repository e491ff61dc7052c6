import { useId, useState, type FormEvent } from 'react';
import { describeOpenFileError, openTextFile } from '../../files/file-port.ts';
import { useAppStore } from '../../useAppStore.ts';

/** Trusts an app that made its own identity (`stmgr gen-ident`, `stmgr app-ticket`): its app
 *  ticket, opened or pasted, under a name. It then appears among the card's app tickets
 *  (revoke it there); the permissions are the ones the ticket names. */
export function TrustTicketForm({ cardId }: { readonly cardId: string }) {
  const id = useId();
  const trust = useAppStore((s) => s.trustAppTicket);
  const loadTickets = useAppStore((s) => s.loadTickets);
  const [ticket, setTicket] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ readonly kind: 'ok' | 'error'; readonly text: string } | undefined>(undefined);

  async function open(): Promise<void> {
    const r = await openTextFile(document, ['.ticket', '.json', '.toml']);
    if (!r.ok) setMessage({ kind: 'error', text: describeOpenFileError(r.error) });
    else if (r.value !== undefined) setTicket(r.value.text);
  }

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setBusy(true);
    const r = await trust(cardId, name, ticket);
    setBusy(false);
    if (!r.ok) return setMessage({ kind: 'error', text: `The app was not trusted: ${r.error.message}` });
    const p = r.value.permissions;
    const may = (['buyer', 'seller', 'config', 'routes'] as const).filter((k) => p[k]).join(', ') || 'read only';
    setMessage({ kind: 'ok', text: `“${r.value.name}” is trusted (${may}). It connects through command line access.` });
    setTicket('');
    setName('');
    void loadTickets(cardId);
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Trust an app’s own ticket</h2>
      <form onSubmit={(e) => void submit(e)} aria-label="Trust an app ticket" noValidate>
        <p className="lead">For an app that made its own identity: its app ticket (stmgr app-ticket) lets it in with the permissions the ticket names.</p>
        <div className="card-actions">
          <button type="button" className="secondary" onClick={() => void open()}>Open an app ticket…</button>
        </div>
        <div className="field">
          <label htmlFor={`${id}-ticket`}>App ticket</label>
          <textarea id={`${id}-ticket`} rows={3} value={ticket} spellCheck={false} onChange={(e) => setTicket(e.target.value)} />
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor={`${id}-name`}>Who or what it is for</label>
            <input id={`${id}-name`} value={name} maxLength={32} autoComplete="off" onChange={(e) => setName(e.target.value)} />
          </div>
          <button type="submit" disabled={busy} aria-busy={busy}>Trust this app</button>
        </div>
        {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}
      </form>
    </section>
  );
}
