import { useEffect, useId, useState } from 'react';
import './pairing.css';
import type { IssuedAppTicket, TicketPermissions } from '../../src-main/bridge.ts';
import { saveFile } from '../files/file-port.ts';
import { QrShow } from '../invoice/QrShow.tsx';
import { useAppStore } from '../useAppStore.ts';
import { checkTicketName, permissionWords, ticketFileBase } from './pairing-slice.ts';

const NONE: TicketPermissions = { routes: false, buyer: false, seller: false, config: false };
const CHOICES: readonly { readonly key: keyof TicketPermissions; readonly label: string }[] = [
  { key: 'routes', label: 'Routes: find routes and fees' },
  { key: 'buyer', label: 'Buyer: pay from this card' },
  { key: 'seller', label: 'Seller: make and collect invoices' },
  { key: 'config', label: 'Config: friends, limits, relays' },
];

type Message = { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;

/** Scoped pairing for the card's Settings: issue an app ticket with chosen permissions (as files
 *  for stctrl, or a remote-card file and QR code for another wallet), list the tickets, revoke
 *  one — the card stops accepting it at once. Tickets work while command line access is on. */
export function PairingSection({ cardId, cardName }: { readonly cardId: string; readonly cardName: string }) {
  const id = useId();
  const view = useAppStore((s) => s.appTickets.get(cardId));
  const loadTickets = useAppStore((s) => s.loadTickets);
  const issueTicket = useAppStore((s) => s.issueTicket);
  const revokeTicket = useAppStore((s) => s.revokeTicket);
  const [name, setName] = useState('');
  const [perms, setPerms] = useState<TicketPermissions>({ ...NONE, routes: true });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(undefined);
  const [issued, setIssued] = useState<IssuedAppTicket | undefined>(undefined);
  useEffect(() => { void loadTickets(cardId); }, [cardId, loadTickets]);

  async function issue(e: React.FormEvent): Promise<void> {
    e.preventDefault();
    const n = checkTicketName(name);
    if (!n.ok) { setMessage({ kind: 'error', text: n.error }); return; }
    setBusy(true);
    const r = await issueTicket(cardId, n.value, perms);
    setBusy(false);
    if (!r.ok) { setMessage({ kind: 'error', text: r.error }); return; }
    setIssued(r.value);
    setName('');
    setMessage({ kind: 'ok', text: `Ticket "${r.value.ticket.name}" issued: ${permissionWords(r.value.ticket.permissions)}.` });
  }

  async function revoke(ticketId: string, ticketName: string): Promise<void> {
    setBusy(true);
    const r = await revokeTicket(cardId, ticketId);
    setBusy(false);
    if (issued?.ticket.id === ticketId) setIssued(undefined);
    setMessage(r.ok
      ? { kind: 'ok', text: `Ticket "${ticketName}" revoked: the card no longer accepts it, and an app connected with it was disconnected.` }
      : { kind: 'error', text: r.error });
  }

  const tickets = view?.kind === 'loaded' ? view.tickets : [];
  const base = issued === undefined ? '' : ticketFileBase(cardName, issued.ticket.name);
  return (
    <section className="panel pairing" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>App tickets</h2>
      <p className="lead">
        Let another program or wallet use this card with only the permissions you choose. Every app can read the card's
        balances and history; tick what else it may do. Tickets work while command line access is on; revoke one and the
        card stops accepting it at once.
      </p>
      <form className="card-form" onSubmit={(e) => void issue(e)} aria-label="Issue an app ticket">
        <div className="field">
          <label htmlFor={`${id}-name`}>Ticket name</label>
          <input id={`${id}-name`} value={name} maxLength={32} placeholder="e.g. shop till, accountant" onChange={(e) => setName(e.target.value)} />
        </div>
        <fieldset className="permissions">
          <legend>Permissions</legend>
          {CHOICES.map((c) => (
            <label key={c.key} className="check">
              <input type="checkbox" checked={perms[c.key]} onChange={(e) => setPerms((p) => ({ ...p, [c.key]: e.target.checked }))} />
              {' '}{c.label}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy}>Issue ticket</button>
      </form>
      {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}
      {issued !== undefined && (
        <div className="issued-ticket" role="region" aria-label="New app ticket">
          <h3>Ticket "{issued.ticket.name}" — {permissionWords(issued.ticket.permissions)}</h3>
          <p className="card-meta">
            Shown once: the wallet does not keep the app's identity. Whoever has these files can do what the ticket allows.
            Another wallet imports the remote card file (or scans its QR code); stctrl uses the app identity and the node ticket:
          </p>
          <pre aria-label="stctrl command for the ticket">{`stctrl -I '${base}.ident' -T '${base}.ticket' info friends`}</pre>
          <div className="card-actions">
            <button type="button" className="secondary" onClick={() => saveFile(document, `${base}.ident`, new Blob([issued.appIdent], { type: 'application/json' }))}>
              Save app identity
            </button>
            <button type="button" className="secondary" onClick={() => saveFile(document, `${base}.ticket`, new Blob([issued.nodeTicket], { type: 'application/json' }))}>
              Save node ticket
            </button>
          </div>
          <QrShow text={issued.rcard} fileText={issued.rcard} fileName={`${base}.rcard`} label="Remote card" />
          <button type="button" className="secondary" onClick={() => setIssued(undefined)}>Done</button>
        </div>
      )}
      {view?.kind === 'failed' && <p role="alert" className="message error">{view.message}</p>}
      {view?.kind === 'loaded' && tickets.length === 0 && <p className="empty"><strong>No app tickets</strong>Issued tickets show here.</p>}
      {tickets.length > 0 && (
        <ul className="ticket-list" aria-label="App tickets">
          {tickets.map((t) => (
            <li key={t.id} aria-label={`Ticket ${t.name}`}>
              <span className="ticket-name">{t.name}</span>
              <span className="ticket-perms">{permissionWords(t.permissions)}</span>
              <span className="card-meta">issued {new Date(t.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC · app {t.publicKey.slice(0, 8)}…</span>
              <button type="button" className="secondary danger" disabled={busy} onClick={() => void revoke(t.id, t.name)}>Revoke {t.name}</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
