import { type FormEvent, useId, useState } from 'react';
import { useAppStore } from '../useAppStore.ts';

export interface ConfirmWithPasswordProps {
  /** What is being confirmed, as a sentence: "Pay 150 FST to Bob." */
  readonly action: string;
  /** Why the password is asked (default: the payment threshold). */
  readonly reason?: string;
  readonly confirmLabel?: string;
  readonly onConfirmed: () => void;
  readonly onCancel: () => void;
}

/** Asks the wallet password before an action and goes ahead only when the host says it is right
 *  (`wallet.verifyPassword`: nothing changes, wrong guesses are rate-limited by the host). The
 *  password is sent once and not kept. */
export function ConfirmWithPassword({ action, reason, confirmLabel, onConfirmed, onCancel }: ConfirmWithPasswordProps) {
  const id = useId();
  const verifyPassword = useAppStore((s) => s.verifyPassword);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setBusy(true);
    const r = await verifyPassword(password);
    setBusy(false);
    setPassword('');
    if (r.ok) return onConfirmed();
    setError(r.error.code === 'wrong-password' ? 'That is not the wallet password. Nothing was done.' : r.error.message);
  }

  return (
    <form className="panel confirm-password" role="group" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h3 id={`${id}-title`}>Confirm with your wallet password</h3>
      <p>{action}</p>
      <p className="card-meta">{reason ?? 'This payment is above the amount you chose to confirm with your password (Safety settings on the cards page).'}</p>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-pw`}>Wallet password</label>
          <input id={`${id}-pw`} type="password" autoComplete="current-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <button type="submit" disabled={busy || password === ''}>{confirmLabel ?? 'Confirm'}</button>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
      {error !== undefined && <p role="alert" className="message error">{error}</p>}
    </form>
  );
}
