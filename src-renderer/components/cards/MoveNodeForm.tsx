import { useId, useState, type FormEvent } from 'react';
import { MAX_CARD_NAME_CHARS, MAX_NODE_DATABASE_BYTES, type BridgeError, type CardView, type Result } from '../../../src-main/bridge.ts';
import { describeOpenFileError, openTextFile, pickFile } from '../../files/file-port.ts';
import { nameFromFileName } from './card-file.ts';

export interface MoveNodeFormProps {
  readonly onMove: (name: string, ident: string, database: Uint8Array) => Promise<Result<CardView, BridgeError>>;
}

type Message = { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;

/** Moves a node made with the command line tools (stmgr, stnode) into the wallet: its identity
 *  file and its database file become a local card. The node must be stopped first, for good. */
export function MoveNodeForm({ onMove }: MoveNodeFormProps) {
  const id = useId();
  const [ident, setIdent] = useState<{ readonly name: string; readonly text: string } | undefined>(undefined);
  const [database, setDatabase] = useState<{ readonly name: string; readonly bytes: Uint8Array } | undefined>(undefined);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(undefined);

  async function openIdent(): Promise<void> {
    const r = await openTextFile(document, ['.ident', '.json', '.toml']);
    if (!r.ok) return setMessage({ kind: 'error', text: describeOpenFileError(r.error) });
    if (r.value === undefined) return;
    setIdent(r.value);
    if (name.trim() === '') setName(nameFromFileName(r.value.name.replace(/\.ident$/i, '')));
    setMessage(undefined);
  }

  async function openDatabase(): Promise<void> {
    const r = await pickFile(document, ['.db', '.sqlite'], MAX_NODE_DATABASE_BYTES);
    if (!r.ok) return setMessage({ kind: 'error', text: describeOpenFileError(r.error) });
    if (r.value === undefined) return;
    setDatabase({ name: r.value.name, bytes: new Uint8Array(await r.value.file.arrayBuffer()) });
    setMessage(undefined);
  }

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (ident === undefined || database === undefined) return setMessage({ kind: 'error', text: 'Open the node’s identity file and its database first.' });
    if (name.trim() === '') return setMessage({ kind: 'error', text: 'Give the card a name.' });
    setBusy(true);
    const r = await onMove(name, ident.text, database.bytes);
    setBusy(false);
    if (!r.ok) return setMessage({ kind: 'error', text: `The node was not moved: ${r.error.message}` });
    setMessage({ kind: 'ok', text: `The node is now the card “${r.value.name}”. Do not start it with stnode again.` });
    setIdent(undefined);
    setDatabase(undefined);
    setName('');
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Move a node into the wallet" noValidate>
      <p className="lead">
        A node made with the command line tools (stmgr, stnode) becomes a card of this wallet: its identity file and its database.
        Stop the node first, and never run it anywhere else afterwards: two copies of one node break its channels with friends.
      </p>
      <div className="card-actions">
        <button type="button" className="secondary" onClick={() => void openIdent()}>Open its identity file…</button>
        <button type="button" className="secondary" onClick={() => void openDatabase()}>Open its database…</button>
      </div>
      <p className="card-meta" role="status">
        Identity: {ident?.name ?? 'none yet'} · Database: {database === undefined ? 'none yet' : `${database.name} (${Math.ceil(database.bytes.length / 1024)} KiB)`}
      </p>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name for the moved card</label>
          <input id={`${id}-name`} value={name} maxLength={MAX_CARD_NAME_CHARS} autoComplete="off" onChange={(e) => setName(e.target.value)} />
        </div>
        <button type="submit" disabled={busy} aria-busy={busy}>{busy ? 'Moving…' : 'Move node into wallet'}</button>
      </div>
      {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}
    </form>
  );
}
