import { useEffect, useId, useState, type FormEvent } from 'react';
import { useAppStore } from '../useAppStore.ts';
import { DEFAULT_CLI_ADDRESS, stctrlCommand } from './cli-access.ts';

type Message = { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;

/** Command line access: the card listens for `stctrl` on an address; the host writes an app
 *  identity and the tickets, and the page shows them and the exact command to run. */
export function CliSection({ cardId }: { readonly cardId: string }) {
  const id = useId();
  const access = useAppStore((s) => s.cliAccess.get(cardId));
  const enableCli = useAppStore((s) => s.enableCli);
  const disableCli = useAppStore((s) => s.disableCli);
  const loadCliStatus = useAppStore((s) => s.loadCliStatus);
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(undefined);
  useEffect(() => {
    void loadCliStatus(cardId).then((r) => { if (!r.ok) setMessage({ kind: 'error', text: r.error }); });
  }, [cardId, loadCliStatus]);

  async function enable(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setBusy(true);
    const r = await enableCli(cardId, address);
    setBusy(false);
    setMessage(r.ok ? { kind: 'ok', text: `The card listens for stctrl on ${r.value.address}.` } : { kind: 'error', text: r.error });
  }

  async function disable(): Promise<void> {
    setBusy(true);
    const r = await disableCli(cardId);
    setBusy(false);
    setMessage(r.ok ? { kind: 'ok', text: 'Command line access is off: the card stopped listening and disconnected stctrl.' } : { kind: 'error', text: r.error });
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Command line access</h2>
      <p className="lead">
        Lets the command line program stctrl control this card, exactly as it controls a node started with stnode.
        Anyone who has the app identity file below can spend from this card: keep it private.
      </p>
      {access === null && <p className="card-meta">Command line access is off now.</p>}
      {access !== undefined && access !== null && (
        <div className="cli-access" aria-label="Command line access details">
          <p>The card listens on <code>{access.address}</code>. Run:</p>
          <pre aria-label="stctrl command">{stctrlCommand(access)}</pre>
          <dl className="cli-files">
            <dt>Node ticket (where the card listens)</dt><dd><code>{access.nodeTicket}</code></dd>
            <dt>App identity (private: stctrl signs in with it)</dt><dd><code>{access.appIdent}</code></dd>
            <dt>App ticket (the card trusts this app with every permission)</dt><dd><code>{access.appTicket}</code></dd>
          </dl>
          <p className="card-meta">It stays on across lock, unlock and restarts. Turning it on again makes a new app identity; the old one stops working.</p>
        </div>
      )}
      <form className="row card-form" onSubmit={(e) => void enable(e)}>
        <div className="field">
          <label htmlFor={`${id}-addr`}>Listen address (HOST:PORT)</label>
          <input id={`${id}-addr`} value={address} placeholder={DEFAULT_CLI_ADDRESS} aria-describedby={`${id}-addr-help`} onChange={(e) => setAddress(e.target.value)} />
          <small id={`${id}-addr-help`}>Port 0 lets the system pick a free port. 127.0.0.1 keeps it to this computer.</small>
        </div>
        <button type="submit" disabled={busy}>{access ? 'Turn on again (new app identity)' : 'Turn on command line access'}</button>
      </form>
      <div className="card-actions">
        <button type="button" className="secondary" disabled={busy} onClick={() => void disable()}>Turn off command line access</button>
      </div>
      {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}
    </section>
  );
}
