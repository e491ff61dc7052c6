import { type FormEvent, useId, useState } from 'react';
import { useAppStore } from '../useAppStore.ts';
import { notificationApi } from './AlertCenter.tsx';
import { checkNearLimitPercent, checkOfflineAfterSeconds, MAX_OFFLINE_AFTER_SECONDS } from './alerts.ts';

/** The alert thresholds: near a limit (percent) and offline for long (seconds). Kept in this
 *  renderer's storage (alerts-slice.ts). */
export function AlertSettingsForm() {
  const id = useId();
  const settings = useAppStore((s) => s.alertSettings);
  const setAlertSettings = useAppStore((s) => s.setAlertSettings);
  const [percent, setPercent] = useState(String(settings.nearLimitPercent));
  const [seconds, setSeconds] = useState(String(settings.offlineAfterSeconds));
  const [message, setMessage] = useState<{ readonly ok: boolean; readonly text: string } | undefined>(undefined);
  const api = notificationApi();
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(api?.permission ?? 'unsupported');

  function submit(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    const p = /^\d{1,3}$/.test(percent.trim()) ? checkNearLimitPercent(Number(percent.trim())) : undefined;
    const s = /^\d{1,8}$/.test(seconds.trim()) ? checkOfflineAfterSeconds(Number(seconds.trim())) : undefined;
    if (p === undefined) return setMessage({ ok: false, text: 'The limit share is a whole number of percent from 1 to 100.' });
    if (s === undefined) return setMessage({ ok: false, text: `The offline time is a whole number of seconds from 1 to ${MAX_OFFLINE_AFTER_SECONDS}.` });
    setAlertSettings({ nearLimitPercent: p, offlineAfterSeconds: s });
    setMessage({ ok: true, text: 'Alert settings saved.' });
  }

  return (
    <form onSubmit={submit}>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-pct`}>Alert when a debt reaches (% of its limit)</label>
          <input id={`${id}-pct`} inputMode="numeric" value={percent} onChange={(e) => setPercent(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-off`}>Alert when a friend is offline for (seconds)</label>
          <input id={`${id}-off`} inputMode="numeric" value={seconds} onChange={(e) => setSeconds(e.target.value)} />
        </div>
        <button type="submit">Save alert settings</button>
      </div>
      {message !== undefined && <p role={message.ok ? 'status' : 'alert'} className={`message ${message.ok ? 'ok' : 'error'}`}>{message.text}</p>}
      <p className="card-meta">
        {permission === 'granted' ? 'New alerts also appear as system notifications.'
          : permission === 'denied' ? 'System notifications are blocked for this wallet; alerts appear on this page only.'
            : permission === 'unsupported' ? 'This window cannot show system notifications; alerts appear on this page only.' : 'Alerts appear on this page. '}
        {permission === 'default' && api !== undefined && (
          <button type="button" className="secondary" onClick={() => void api.requestPermission().then(setPermission)}>Also show them as system notifications</button>
        )}
      </p>
    </form>
  );
}
