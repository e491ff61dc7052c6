import { useEffect, useState } from 'react';
import { useAppStore } from '../useAppStore.ts';
import { type Alert, describeAlert } from './alerts.ts';
import '../exposure/exposure.css';

/** The web Notification API where the platform has it (browsers; Electron's renderer too). */
export function notificationApi(): typeof Notification | undefined {
  return typeof Notification === 'undefined' ? undefined : Notification;
}

/** The open card's alerts: a dismissable in-app list, each new alert also an OS notification when
 *  the user allowed them. Ticks the alert check each second (offline alerts depend on time). */
export function AlertCenter() {
  const alerts = useAppStore((s) => s.alerts);
  const cardOpen = useAppStore((s) => s.cardSession.kind === 'open');
  const checkAlerts = useAppStore((s) => s.checkAlerts);
  const dismiss = useAppStore((s) => s.dismissAlert);
  const onNewAlert = useAppStore((s) => s.onNewAlert);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!cardOpen) return undefined;
    const t = setInterval(() => {
      checkAlerts();
      setNow(Date.now());
    }, 1000);
    return () => clearInterval(t);
  }, [cardOpen, checkAlerts]);

  useEffect(() => onNewAlert((a: Alert) => {
    const n = notificationApi();
    if (n === undefined || n.permission !== 'granted') return;
    const { title, body } = describeAlert(a, Date.now());
    try {
      new n(title, { body, tag: a.key });
    } catch {
      // some platforms only allow notifications from a service worker: the in-app list still has it
    }
  }), [onNewAlert]);

  if (!cardOpen) return null;
  return (
    <>
      {alerts.length > 0 && (
        <ul className="alert-list" aria-label="Alerts">
          {alerts.map((a) => {
            const { title, body } = describeAlert(a, now);
            return (
              <li key={a.key} className="alert-item" role="alert">
                <div>
                  <p className="alert-title">{title}</p>
                  <p>{body}</p>
                </div>
                <button type="button" className="secondary" aria-label={`Dismiss: ${title}`} onClick={() => dismiss(a.key)}>Dismiss</button>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
