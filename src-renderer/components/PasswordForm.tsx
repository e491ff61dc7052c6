import { useId, useState, type FormEvent } from 'react';
import type { BridgeError, Result } from '../../src-main/bridge.ts';

export interface PasswordFormProps {
  /** 'create' asks twice (first run); 'unlock' asks once. */
  readonly mode: 'create' | 'unlock';
  readonly minLength: number;
  readonly onSubmit: (password: string) => Promise<Result<void, BridgeError>>;
}

export function PasswordForm({ mode, minLength, onSubmit }: PasswordFormProps) {
  const id = useId();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (mode === 'create' && [...password].length < minLength) return setError(`Choose a password of at least ${minLength} characters.`);
    if (mode === 'create' && password !== confirm) return setError('The two passwords differ. Type the same password twice.');
    if (password === '') return setError('Enter your wallet password.');
    setBusy(true);
    setError(undefined);
    const r = await onSubmit(password);
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      setPassword('');
      setConfirm('');
    }
  }

  const label = mode === 'create' ? 'Set password' : 'Unlock';
  return (
    <form className="narrow-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor={`${id}-pw`}>Password</label>
        <input
          id={`${id}-pw`}
          type="password"
          autoComplete={mode === 'create' ? 'new-password' : 'current-password'}
          value={password}
          aria-invalid={error !== undefined}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      {mode === 'create' && (
        <div className="field">
          <label htmlFor={`${id}-confirm`}>Confirm password</label>
          <input id={`${id}-confirm`} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </div>
      )}
      <button type="submit" disabled={busy} aria-busy={busy}>
        {busy ? (mode === 'create' ? 'Protecting…' : 'Unlocking…') : label}
      </button>
      {error !== undefined && <p role="alert" className="message error">{error}</p>}
    </form>
  );
}
