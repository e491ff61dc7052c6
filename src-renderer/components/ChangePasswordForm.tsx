import { useId, useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH, type BridgeError, type Result } from '../../src-main/bridge.ts';

export interface ChangePasswordFormProps {
  readonly onChange: (oldPassword: string, newPassword: string) => Promise<Result<void, BridgeError>>;
}

type Outcome = { readonly kind: 'none' } | { readonly kind: 'changed' } | { readonly kind: 'failed'; readonly message: string };

export function ChangePasswordForm({ onChange }: ChangePasswordFormProps) {
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if ([...next].length < MIN_PASSWORD_LENGTH) return setOutcome({ kind: 'failed', message: `Choose a new password of at least ${MIN_PASSWORD_LENGTH} characters.` });
    if (next !== confirm) return setOutcome({ kind: 'failed', message: 'The two new passwords differ. Type the same new password twice.' });
    setBusy(true);
    const r = await onChange(current, next);
    setBusy(false);
    setCurrent('');
    if (r.ok) {
      setNext('');
      setConfirm('');
      setOutcome({ kind: 'changed' });
    } else {
      setOutcome({ kind: 'failed', message: r.error.message });
    }
  }

  return (
    <form className="narrow-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor={`${id}-cur`}>Current password</label>
        <input id={`${id}-cur`} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-new`}>New password</label>
        <input id={`${id}-new`} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-confirm`}>Confirm new password</label>
        <input id={`${id}-confirm`} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </div>
      <button type="submit" disabled={busy} aria-busy={busy}>{busy ? 'Changing…' : 'Change password'}</button>
      {outcome.kind === 'failed' && <p role="alert" className="message error">{outcome.message}</p>}
      {outcome.kind === 'changed' && <p role="status" className="message ok">Password changed. Use the new one from now on.</p>}
    </form>
  );
}
