import { useId, useState, type FormEvent } from 'react';
import { MAX_CARD_NAME_CHARS, type BridgeError, type CardFile, type CardView, type Result } from '../../../src-main/bridge.ts';
import { describeOpenFileError, openTextFile } from '../../files/file-port.ts';
import { CARD_FILE_ACCEPT, detectCardFile } from './card-file.ts';

export interface ImportCardFormProps {
  readonly onImport: (name: string, file: CardFile, password: string) => Promise<Result<CardView, BridgeError>>;
}

type Message = { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;

/** Adds a card from a file: a backup (.offset-card, with its backup password) or a remote card
 *  (.rcard). The file is opened with the file dialog or its text pasted. */
export function ImportCardForm({ onImport }: ImportCardFormProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(undefined);
  const detected = text.trim() === '' ? undefined : detectCardFile(text, fileName);

  function take(newText: string, newFileName: string): void {
    setText(newText);
    setFileName(newFileName);
    setMessage(undefined);
    const d = detectCardFile(newText, newFileName);
    if (d.ok && name.trim() === '') setName(d.value.suggestedName);
  }

  async function open(): Promise<void> {
    const r = await openTextFile(document, CARD_FILE_ACCEPT);
    if (!r.ok) setMessage({ kind: 'error', text: describeOpenFileError(r.error) });
    else if (r.value !== undefined) take(r.value.text, r.value.name);
  }

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (detected === undefined) return setMessage({ kind: 'error', text: 'Open a card file or paste its text first.' });
    if (!detected.ok) return setMessage({ kind: 'error', text: detected.error });
    if (name.trim() === '') return setMessage({ kind: 'error', text: 'Give the card a name.' });
    setBusy(true);
    const r = await onImport(name, detected.value.file, detected.value.file.kind === 'backup' ? password : '');
    setBusy(false);
    if (!r.ok) {
      const why = r.error.code === 'wrong-password' ? 'the backup password is wrong (or the file was changed). Nothing was added.' : r.error.message;
      return setMessage({ kind: 'error', text: `The card was not imported: ${why}` });
    }
    setMessage({ kind: 'ok', text: `Card “${r.value.name}” imported.` });
    setText('');
    setFileName('');
    setName('');
    setPassword('');
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Import a card" noValidate>
      <p className="lead">A card backup (.offset-card) from this or another wallet, or a remote card (.rcard) made with stmgr node-entry.</p>
      <div className="card-actions">
        <button type="button" className="secondary" onClick={() => void open()}>Open a card file…</button>
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>Card file text</label>
        {/* an opened file's text stays off the screen: an .rcard holds a private key */}
        <textarea id={`${id}-text`} rows={3} value={fileName === '' ? text : ''} spellCheck={false} autoComplete="off"
          placeholder={fileName === '' ? 'Or paste the file’s text here' : `${fileName} is opened; paste here to use another file instead`}
          onChange={(e) => take(e.target.value, '')} />
      </div>
      {detected?.ok === true && (
        <p className="card-meta" role="status">
          {detected.value.file.kind === 'backup' ? 'A card backup: it opens with its backup password.' : 'A remote card: the wallet will connect to its node.'}
          {fileName !== '' && ` (${fileName})`}
        </p>
      )}
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name for the imported card</label>
          <input id={`${id}-name`} value={name} maxLength={MAX_CARD_NAME_CHARS} autoComplete="off" onChange={(e) => setName(e.target.value)} />
        </div>
        {detected?.ok === true && detected.value.file.kind === 'backup' && (
          <div className="field">
            <label htmlFor={`${id}-pw`}>Backup password</label>
            <input id={`${id}-pw`} type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
        )}
        <button type="submit" disabled={busy} aria-busy={busy}>{busy ? 'Importing…' : 'Import card'}</button>
      </div>
      {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}
    </form>
  );
}
