import { useId, useState, type FormEvent } from 'react';
import type { NodeReport } from '../../src-core/app/index.ts';
import { describeOpenFileError, openTextFile, pickFile } from '../files/file-port.ts';
import { CameraScanButton } from '../friend/CameraScanButton.tsx';
import { scanQrImage } from '../qr/qr-image.ts';
import { describeScanError } from '../qr/qr-pixels.ts';
import { useAppStore } from '../useAppStore.ts';
import { type ServerKind, nameFromFileName, serverRows } from './server-input.ts';

const TITLE = { relay: 'Relays', index: 'Index servers' } as const;
const ONE = { relay: 'relay', index: 'index server' } as const;
const A = { relay: 'a', index: 'an' } as const;
const STATUS = { connected: 'connected', standby: 'standby (the card uses another one)', 'not-connected': 'not connected: the card keeps trying' } as const;
const HELP = {
  relay: 'Friends reach this card through its relays. Your friend file lists them, so give friends a new friend file after a change.',
  index: 'Index servers find routes for payments. The card keeps one connection, to one of them; the others stand by.',
} as const;

type Message = { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;

/** A card's relays or index servers: the list with status, add from a ticket, remove. */
export function ServerSection({ kind, report }: { readonly kind: ServerKind; readonly report: NodeReport }) {
  const id = useId();
  const addServer = useAppStore((s) => s.addServer);
  const removeServer = useAppStore((s) => s.removeServer);
  const [ticketText, setTicketText] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(undefined);
  const rows = serverRows(kind, report);
  const what = ONE[kind];

  async function open(): Promise<void> {
    const r = await openTextFile(document, ['.ticket', '.json', '.toml', '.txt']);
    if (!r.ok) return setMessage({ kind: 'error', text: describeOpenFileError(r.error) });
    if (r.value === undefined) return;
    setTicketText(r.value.text);
    const suggested = nameFromFileName(r.value.name);
    setName((current) => (current.trim() === '' ? suggested : current)); // a name typed while the file was read wins
    setMessage(undefined);
  }

  async function picture(): Promise<void> {
    const r = await pickFile(document, ['image/*']);
    if (!r.ok) return setMessage({ kind: 'error', text: describeOpenFileError(r.error) });
    if (r.value === undefined) return;
    const q = await scanQrImage(r.value.file);
    if (!q.ok) return setMessage({ kind: 'error', text: `No ${what} ticket QR code was read from ${r.value.name}: ${describeScanError(q.error)}` });
    setTicketText(q.value);
    setMessage(undefined);
  }

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setBusy(true);
    const r = await addServer(kind, { ticketText, name });
    setBusy(false);
    if (!r.ok) return setMessage({ kind: 'error', text: r.error });
    setMessage({ kind: 'ok', text: `The ${what} "${name.trim()}" is added.` });
    setTicketText('');
    setName('');
  }

  async function remove(publicKey: Uint8Array, serverName: string): Promise<void> {
    setBusy(true);
    const r = await removeServer(kind, publicKey);
    setBusy(false);
    setMessage(r.ok ? { kind: 'ok', text: `The ${what} "${serverName}" is removed.` } : { kind: 'error', text: r.error });
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{TITLE[kind]}</h2>
      <p className="lead">{HELP[kind]}</p>
      {rows.length === 0 ? (
        <p className="empty"><strong>No {what}s yet</strong>Add one from the ticket its operator gives out.</p>
      ) : (
        <ul className="card-list" aria-label={TITLE[kind]}>
          {rows.map((r) => (
            <li key={r.key} className="card-item" aria-label={`${ONE[kind]} ${r.name}`}>
              <div className="card-main">
                <div>
                  <div className="card-name">{r.name}</div>
                  <div className="card-meta">{r.address} · <span className={`status-${r.status}`}>{STATUS[r.status]}</span></div>
                  <div className="card-meta"><code className="public-key">{r.key}</code></div>
                </div>
                <button type="button" className="secondary danger" disabled={busy} onClick={() => void remove(r.publicKey, r.name)}>Remove {r.name}</button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={`${id}-ticket`}>{kind === 'relay' ? 'Relay ticket' : 'Index server ticket'}</label>
          <textarea id={`${id}-ticket`} rows={3} value={ticketText} spellCheck={false}
            placeholder={`Paste the ${what} ticket (stmgr ${kind === 'relay' ? 'relay' : 'index'}-ticket)`} onChange={(e) => setTicketText(e.target.value)} />
        </div>
        <div className="card-actions">
          <button type="button" className="secondary" onClick={() => void open()}>Open {A[kind]} {what} ticket file…</button>
          <button type="button" className="secondary" onClick={() => void picture()}>Read {A[kind]} {what} QR picture…</button>
          <CameraScanButton what={`${A[kind]} ${what} ticket`} onText={(t) => { setTicketText(t); setMessage(undefined); }} onError={(text) => setMessage({ kind: 'error', text })} />
        </div>
        <div className="row card-form">
          <div className="field">
            <label htmlFor={`${id}-name`}>{kind === 'relay' ? 'Relay name' : 'Index server name'}</label>
            <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <button type="submit" disabled={busy}>Add {what}</button>
        </div>
      </form>
      {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}
    </section>
  );
}
