import { useId, useState, type FormEvent } from 'react';
import { DEFAULT_CURRENCY } from '../../src-core/app/index.ts';
import type { AddFriendInput } from '../card/friend-input.ts';
import { describeOpenFileError, openTextFile, pickFile } from '../files/file-port.ts';
import { scanQrImage } from '../qr/qr-image.ts';
import { describeScanError } from '../qr/qr-pixels.ts';
import type { CardResult } from '../store/card-slice.ts';
import { CameraScanButton } from '../friend/CameraScanButton.tsx';

const EMPTY: AddFriendInput = { fileText: '', name: '', currency: DEFAULT_CURRENCY, balance: '' };

/** Paste or open a friend's file, name the friend, agree a starting balance. */
export function AddFriendForm({ onAdd }: { readonly onAdd: (input: AddFriendInput) => Promise<CardResult> }) {
  const id = useId();
  const [input, setInput] = useState<AddFriendInput>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>(undefined);
  const edit = (patch: Partial<AddFriendInput>) => setInput((i) => ({ ...i, ...patch }));

  async function open(): Promise<void> {
    const r = await openTextFile(document, ['.friend', '.json', '.toml', '.txt']);
    if (!r.ok) setMessage({ kind: 'error', text: describeOpenFileError(r.error) });
    else if (r.value !== undefined) edit({ fileText: r.value.text });
  }

  async function scan(): Promise<void> {
    const r = await pickFile(document, ['image/*']);
    if (!r.ok) return setMessage({ kind: 'error', text: describeOpenFileError(r.error) });
    if (r.value === undefined) return;
    const q = await scanQrImage(r.value.file);
    if (!q.ok) return setMessage({ kind: 'error', text: `No friend QR code was read from ${r.value.name}: ${describeScanError(q.error)}` });
    edit({ fileText: q.value });
    setMessage(undefined);
  }

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setBusy(true);
    const r = await onAdd(input);
    setBusy(false);
    if (r.ok) {
      setMessage({ kind: 'ok', text: 'Friend added. Enable the friend and set a max debt to start.' });
      setInput(EMPTY);
    } else {
      setMessage({ kind: 'error', text: r.error });
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={`${id}-file`}>Friend file</label>
        <textarea id={`${id}-file`} rows={5} value={input.fileText} spellCheck={false}
          placeholder="Paste the friend file your friend sent you" onChange={(e) => edit({ fileText: e.target.value })} />
      </div>
      <div className="card-actions">
        <button type="button" className="secondary" onClick={() => void open()}>Open a friend file…</button>
        <button type="button" className="secondary" onClick={() => void scan()}>Read a QR picture…</button>
        <CameraScanButton what="a friend's code" onText={(t) => { edit({ fileText: t }); setMessage(undefined); }}
          onError={(text) => setMessage({ kind: 'error', text })} />
      </div>
      <div className="row card-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>Friend's name</label>
          <input id={`${id}-name`} value={input.name} placeholder="from the file" onChange={(e) => edit({ name: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-currency`}>Currency</label>
          <input id={`${id}-currency`} value={input.currency} onChange={(e) => edit({ currency: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-balance`}>Starting balance (what the friend owes you)</label>
          <input id={`${id}-balance`} value={input.balance} placeholder="0" onChange={(e) => edit({ balance: e.target.value })} />
        </div>
        <button type="submit" disabled={busy}>Add friend</button>
      </div>
      {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}
    </form>
  );
}
