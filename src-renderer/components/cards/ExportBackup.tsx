import { useId, useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH } from '../../../src-main/bridge.ts';
import { saveFileResult } from '../../files/file-port.ts';
import { useAppStore } from '../../useAppStore.ts';

export interface ExportBackupProps {
  readonly cardId: string;
  /** Called once the backup file was handed to the save dialog / download. */
  readonly onExported?: (fileName: string) => void;
}

/** When the card was last backed up, in words. */
export function describeBackedUp(backedUpAt: number | null): string {
  return backedUpAt === null ? 'Not backed up yet.' : `Last backup exported ${new Date(backedUpAt).toLocaleString()}.`;
}

/** Export a card's backup: its key and its friends and balances (the node database), sealed
 *  under a backup password asked twice, saved as `<name>.offset-card` (a download in the
 *  browser, the save dialog in Electron). Reusable: the cards list and a card's settings. */
export function ExportBackup({ cardId, onExported }: ExportBackupProps) {
  const id = useId();
  const card = useAppStore((s) => s.cards.find((c) => c.id === cardId));
  const exportCard = useAppStore((s) => s.exportCard);
  const markBackupSaved = useAppStore((s) => s.markBackupSaved);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ readonly kind: 'ok' | 'error'; readonly text: string } | undefined>(undefined);

  if (card === undefined) return null;
  if (card.kind === 'remote') {
    return <p className="message">A remote card’s key and data live on its node: back up the node itself, and keep the .rcard file to connect again.</p>;
  }

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setBusy(true);
    const r = await exportCard(cardId, password, repeat);
    setBusy(false);
    if (!r.ok) {
      setMessage({ kind: 'error', text: `No backup was made: ${r.error.message}` });
      return;
    }
    const saved = await saveFileResult(document, r.value.fileName, new Blob([r.value.text], { type: 'application/json' }));
    if (saved.kind === 'cancelled' || saved.kind === 'failed') {
      setMessage({ kind: 'error', text: saved.kind === 'failed' ? saved.message : 'The backup file was not saved (cancelled). Export again to save it.' });
      return;
    }
    setPassword('');
    setRepeat('');
    const marked = await markBackupSaved(cardId);
    const where = saved.kind === 'saved' ? `saved as “${saved.name}”` : `“${r.value.fileName}” made (see your browser’s downloads)`;
    // the file exists either way; only the reminder could not be cleared (e.g. the wallet locked)
    const note = marked.ok ? '' : ` (The wallet could not record it: ${marked.error.message})`;
    setMessage({ kind: 'ok', text: `Backup ${where}. Keep the file and its password somewhere safe, away from this computer.${note}` });
    onExported?.(saved.kind === 'saved' ? saved.name : r.value.fileName);
  }

  return (
    <form className="backup-form" aria-label={`Export a backup of ${card.name}`} onSubmit={(e) => void submit(e)} noValidate>
      <p className="card-meta">
        {describeBackedUp(card.backedUpAt)} A backup holds the card’s key, friends and balances, sealed under its own password
        (at least {MIN_PASSWORD_LENGTH} characters; the wallet password is not used).
      </p>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-pw`}>Backup password</label>
          <input id={`${id}-pw`} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-repeat`}>Repeat backup password</label>
          <input id={`${id}-repeat`} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </div>
        <button type="submit" disabled={busy} aria-busy={busy}>{busy ? 'Sealing…' : 'Export backup'}</button>
      </div>
      {message !== undefined && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>
      )}
    </form>
  );
}
