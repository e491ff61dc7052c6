import { type FormEvent, useEffect, useId, useState } from 'react';
import { useAppStore } from '../useAppStore.ts';
import { type LockUnit, parseSafetyForm, type SafetyFormInput, safetyFormInput } from './safety-form.ts';

const UNITS: readonly LockUnit[] = ['seconds', 'minutes', 'hours'];
type Row = { readonly currency: string; readonly amount: string };

/** The safety settings (kept by the host; saving needs the wallet password): auto-lock after idle
 *  time, and the payment amounts above which the wallet password is asked. */
export function SafetySettingsForm() {
  const id = useId();
  const safety = useAppStore((s) => s.safety);
  const saveSafety = useAppStore((s) => s.saveSafety);
  const [form, setForm] = useState<SafetyFormInput | undefined>(undefined);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ readonly ok: boolean; readonly text: string } | undefined>(undefined);
  useEffect(() => {
    if (safety !== undefined && form === undefined) setForm(safetyFormInput(safety));
  }, [safety, form]);

  if (form === undefined) return <p role="status">Loading the safety settings…</p>;
  const rows: readonly Row[] = form.thresholds.length === 0 ? [{ currency: '', amount: '' }] : form.thresholds;
  const setRow = (i: number, row: Row): void => setForm({ ...form, thresholds: rows.map((r, k) => (k === i ? row : r)) });

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (form === undefined) return;
    const parsed = parseSafetyForm(form);
    if (!parsed.ok) return setMessage({ ok: false, text: parsed.error });
    setBusy(true);
    const r = await saveSafety(parsed.value, password);
    setBusy(false);
    setPassword('');
    if (!r.ok) return setMessage({ ok: false, text: r.error.code === 'wrong-password' ? 'That is not the wallet password. Nothing was changed.' : r.error.message });
    setForm(safetyFormInput(parsed.value));
    setMessage({ ok: true, text: 'Safety settings saved.' });
  }

  return (
    <form onSubmit={(e) => void submit(e)}>
      <fieldset className="plain-fieldset">
        <legend>Lock the wallet after idle time</legend>
        <div className="row">
          <div className="field">
            <label htmlFor={`${id}-lock`}>Lock after no input for (0: never)</label>
            <input id={`${id}-lock`} inputMode="numeric" value={form.autoLock} onChange={(e) => setForm({ ...form, autoLock: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-unit`}>Unit</label>
            <select id={`${id}-unit`} value={form.unit} onChange={(e) => setForm({ ...form, unit: e.target.value as LockUnit })}>
              {UNITS.map((u) => <option key={u} value={u}>{u}</option>)}
            </select>
          </div>
        </div>
      </fieldset>
      <fieldset className="plain-fieldset">
        <legend>Ask the wallet password before paying more than</legend>
        {rows.map((r, i) => (
          <div className="row" key={i}>
            <div className="field">
              <label htmlFor={`${id}-cur-${i}`}>Currency</label>
              <input id={`${id}-cur-${i}`} value={r.currency} onChange={(e) => setRow(i, { ...r, currency: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-amt-${i}`}>Amount in {r.currency.trim() === '' ? 'that currency' : r.currency.trim()}</label>
              <input id={`${id}-amt-${i}`} inputMode="numeric" value={r.amount} onChange={(e) => setRow(i, { ...r, amount: e.target.value })} />
            </div>
          </div>
        ))}
        <div className="card-actions">
          <button type="button" className="secondary" onClick={() => setForm({ ...form, thresholds: [...rows, { currency: '', amount: '' }] })}>Add a currency</button>
        </div>
        <div className="field narrow-form">
          <label htmlFor={`${id}-other`}>Any other currency (empty: never ask)</label>
          <input id={`${id}-other`} inputMode="numeric" value={form.other} onChange={(e) => setForm({ ...form, other: e.target.value })} />
        </div>
      </fieldset>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-pw`}>Wallet password (to change these)</label>
          <input id={`${id}-pw`} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <button type="submit" disabled={busy}>Save safety settings</button>
      </div>
      {message !== undefined && <p role={message.ok ? 'status' : 'alert'} className={`message ${message.ok ? 'ok' : 'error'}`}>{message.text}</p>}
    </form>
  );
}
