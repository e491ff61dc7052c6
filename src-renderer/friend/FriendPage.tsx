import { useId, useState, type FormEvent } from 'react';
import '../settings/settings.css';
import type { FriendReport } from '../../src-core/app/index.ts';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { CARD_DECIMALS } from '../card/friend-input.ts';
import { DebtBarView } from '../components/DebtBarView.tsx';
import { describeOpenFileError, openTextFile } from '../files/file-port.ts';
import { formatAmount } from '../format-amount.ts';
import type { CardResult } from '../store/card-slice.ts';
import { useAppStore } from '../useAppStore.ts';
import { PERCENT_DECIMALS, formatRate, rateInWords, rateView } from './fee-rate.ts';
import { removalCheck, resetView } from './friend-actions.ts';

const amount = (v: bigint): string => formatAmount(v, CARD_DECIMALS, { group: ',' });
const EXAMPLE = 1000n;

type Message = { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;

/** One friend's page: state, rename, per currency limits, requests and fee rate, currencies,
 *  resetting an inconsistent channel, removing the friend. */
export function FriendPage({ friend }: { readonly friend: FriendReport }) {
  const id = useId();
  const s = useAppStore;
  const showFriend = s((x) => x.showFriend);
  const cardRequest = s((x) => x.cardRequest);
  const setMaxDebt = s((x) => x.setMaxDebt);
  const renameFriend = s((x) => x.renameFriend);
  const updateFriendRelays = s((x) => x.updateFriendRelays);
  const setFriendRate = s((x) => x.setFriendRate);
  const addFriendCurrency = s((x) => x.addFriendCurrency);
  const removeFriendCurrency = s((x) => x.removeFriendCurrency);
  const resetFriendChannel = s((x) => x.resetFriendChannel);
  const removeFriend = s((x) => x.removeFriend);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(undefined);
  const [name, setName] = useState('');
  const [newCurrency, setNewCurrency] = useState('');
  const [relaysFile, setRelaysFile] = useState('');
  const [maxDebt, setMaxDebtText] = useState<Record<string, string>>({});
  const [rate, setRate] = useState<Record<string, { percent: string; add: string }>>({});
  const [confirm, setConfirm] = useState<'remove' | 'reset' | undefined>(undefined);
  const key = friend.publicKey;
  const reset = resetView(friend);
  const removal = removalCheck(friend);

  async function run(action: () => Promise<CardResult>, done: string): Promise<boolean> {
    setBusy(true);
    const r = await action();
    setBusy(false);
    setMessage(r.ok ? { kind: 'ok', text: done } : { kind: 'error', text: r.error });
    return r.ok;
  }

  async function openRelaysFile(): Promise<void> {
    const r = await openTextFile(document, ['.friend', '.json', '.toml', '.txt']);
    if (!r.ok) setMessage({ kind: 'error', text: describeOpenFileError(r.error) });
    else if (r.value !== undefined) setRelaysFile(r.value.text);
  }

  function submit(e: FormEvent<HTMLFormElement>, action: () => Promise<CardResult>, done: string, clear: () => void): void {
    e.preventDefault();
    void run(action, done).then((ok) => { if (ok) clear(); });
  }

  return (
    <section className="panel friend-page" aria-labelledby={`${id}-title`}>
      <div className="card-actions">
        <button type="button" className="secondary" onClick={() => showFriend(undefined)}>← All friends</button>
      </div>
      <h2 id={`${id}-title`}>{friend.name}</h2>
      <p className="card-meta">
        {friend.enabled ? 'enabled' : 'disabled'} · {friend.online ? 'online' : 'offline'}
        {friend.channel.kind === 'inconsistent' && ' · channel inconsistent'}
      </p>
      <p className="card-meta">Public key: <code className="public-key">{toBase64Url(key)}</code></p>
      <div className="card-actions">
        <button type="button" className="secondary" disabled={busy}
          onClick={() => void run(() => cardRequest({ kind: friend.enabled ? 'disable-friend' : 'enable-friend', friendPublicKey: key }),
            friend.enabled ? `${friend.name} is disabled: no payments pass between you.` : `${friend.name} is enabled.`)}>
          {friend.enabled ? 'Disable' : 'Enable'} {friend.name}
        </button>
      </div>
      {message !== undefined && <p role={message.kind === 'error' ? 'alert' : 'status'} className={`message ${message.kind}`}>{message.text}</p>}

      <form className="row card-form" onSubmit={(e) => submit(e, () => renameFriend(key, name), 'Renamed.', () => setName(''))}>
        <div className="field">
          <label htmlFor={`${id}-name`}>New name for {friend.name}</label>
          <input id={`${id}-name`} value={name} placeholder={friend.name} onChange={(e) => setName(e.target.value)} />
        </div>
        <button type="submit" disabled={busy}>Rename</button>
      </form>

      <details className="friend-relays">
        <summary>Reached through {friend.relays.length === 1 ? '1 relay' : `${friend.relays.length} relays`}</summary>
        <ul>{friend.relays.map((r) => <li key={toBase64Url(r.publicKey)}><code>{r.address}</code></li>)}</ul>
        <form onSubmit={(e) => submit(e, () => updateFriendRelays(key, relaysFile), `${friend.name}'s relays are updated.`, () => setRelaysFile(''))}>
          <div className="field">
            <label htmlFor={`${id}-relays`}>{friend.name}'s new friend file (after {friend.name} changed relays)</label>
            <textarea id={`${id}-relays`} rows={3} spellCheck={false} value={relaysFile} onChange={(e) => setRelaysFile(e.target.value)} />
          </div>
          <div className="card-actions">
            <button type="button" className="secondary" onClick={() => void openRelaysFile()}>Open {friend.name}'s friend file…</button>
            <button type="submit" disabled={busy}>Update relays</button>
          </div>
        </form>
      </details>

      {friend.channel.kind === 'inconsistent' && reset !== undefined && (
        <div className="friend-reset" role="group" aria-label={`Reset the channel with ${friend.name}`}>
          <h3>The channel with {friend.name} is inconsistent</h3>
          {reset.explanation.map((line) => <p key={line}>{line}</p>)}
          {confirm === 'reset' ? (
            <div className="card-actions">
              <button type="button" className="danger-solid" disabled={busy}
                onClick={() => void run(() => resetFriendChannel(key), `The channel with ${friend.name} is being reset to the agreed terms.`).then(() => setConfirm(undefined))}>
                Yes, reset with {friend.name}'s terms
              </button>
              <button type="button" className="secondary" onClick={() => setConfirm(undefined)}>Cancel</button>
            </div>
          ) : (
            <button type="button" className="secondary danger" disabled={busy || reset.theirs === undefined} onClick={() => setConfirm('reset')}>
              Reset the channel…
            </button>
          )}
        </div>
      )}

      {friend.currencies.map((c) => {
        const rv = rateView(c.rate);
        const r = rate[c.currency] ?? { percent: '', add: '' };
        return (
          <div key={c.currency} className="friend-currency" role="group" aria-label={`${friend.name} ${c.currency}`}>
            <h3>{c.currency}</h3>
            <div className="currency-line">
              <strong className="balance">{amount(c.balance)} {c.currency}</strong>
              <span className="card-meta">
                {c.balance > 0n ? `${friend.name} owes you ${amount(c.balance)}` : c.balance < 0n ? `you owe ${friend.name} ${amount(-c.balance)}` : 'nothing owed'}
                {' · '}may owe {amount(c.localMaxDebt)} · lets owe {amount(c.remoteMaxDebt)}
                {(c.localPendingDebt !== 0n || c.remotePendingDebt !== 0n) && ` · pending ${amount(c.localPendingDebt)} out, ${amount(c.remotePendingDebt)} in`}
                {' · requests '}{c.localRequestsOpen ? 'open' : 'closed'}{' · '}{friend.name}'s requests {c.remoteRequestsOpen ? 'open' : 'closed'}
              </span>
            </div>
            <DebtBarView c={c} />
            <p className="card-meta" aria-label={`Fee rate for ${friend.name} (${c.currency})`}>
              Fee: <strong>{formatRate(c.rate, c.currency, CARD_DECIMALS)}</strong>. {rateInWords(c.rate, friend.name, c.currency, CARD_DECIMALS, EXAMPLE)}
            </p>
            <div className="row card-form">
              <form className="row" onSubmit={(e) => submit(e, () => setMaxDebt(key, c.currency, maxDebt[c.currency] ?? ''), `${friend.name} may now owe you up to ${maxDebt[c.currency] ?? ''} ${c.currency}.`,
                () => setMaxDebtText((m) => ({ ...m, [c.currency]: '' })))}>
                <div className="field">
                  <label htmlFor={`${id}-${c.currency}-max`}>Max debt for {friend.name} ({c.currency})</label>
                  <input id={`${id}-${c.currency}-max`} inputMode="numeric" value={maxDebt[c.currency] ?? ''} placeholder={amount(c.remoteMaxDebt)}
                    onChange={(e) => setMaxDebtText((m) => ({ ...m, [c.currency]: e.target.value }))} />
                </div>
                <button type="submit" disabled={busy}>Set max debt</button>
              </form>
              <button type="button" className="secondary" disabled={busy}
                onClick={() => void run(() => cardRequest({ kind: c.localRequestsOpen ? 'close-friend-currency' : 'open-friend-currency', friendPublicKey: key, currency: c.currency }),
                  c.localRequestsOpen ? `Requests in ${c.currency} are closed.` : `Requests in ${c.currency} are open.`)}>
                {c.localRequestsOpen ? 'Close requests' : 'Open requests'}
              </button>
            </div>
            <form className="row card-form" onSubmit={(e) => submit(e, () => setFriendRate(key, c.currency, r.percent, r.add), `The fee for ${friend.name} in ${c.currency} is set.`,
              () => setRate((m) => ({ ...m, [c.currency]: { percent: '', add: '' } })))}>
              <div className="field">
                <label htmlFor={`${id}-${c.currency}-pct`}>Fee percentage ({c.currency})</label>
                <input id={`${id}-${c.currency}-pct`} inputMode="decimal" value={r.percent} placeholder={rv.percent}
                  aria-describedby={`${id}-${c.currency}-pct-help`}
                  onChange={(e) => setRate((m) => ({ ...m, [c.currency]: { ...r, percent: e.target.value } }))} />
                <small id={`${id}-${c.currency}-pct-help`}>0 to below 100, at most {PERCENT_DECIMALS} decimals</small>
              </div>
              <div className="field">
                <label htmlFor={`${id}-${c.currency}-add`}>Fixed fee ({c.currency})</label>
                <input id={`${id}-${c.currency}-add`} inputMode="numeric" value={r.add} placeholder={amount(rv.add)}
                  onChange={(e) => setRate((m) => ({ ...m, [c.currency]: { ...r, add: e.target.value } }))} />
              </div>
              <button type="submit" disabled={busy}>Set fee</button>
              <button type="button" className="secondary" disabled={busy}
                onClick={() => void run(() => removeFriendCurrency(key, c.currency), `${c.currency} is removed.`)}>
                Remove {c.currency}
              </button>
            </form>
          </div>
        );
      })}

      <form className="row card-form" onSubmit={(e) => submit(e, () => addFriendCurrency(key, newCurrency), `${newCurrency.trim()} is added. Set a max debt and open requests to use it.`, () => setNewCurrency(''))}>
        <div className="field">
          <label htmlFor={`${id}-cur`}>New currency with {friend.name}</label>
          <input id={`${id}-cur`} value={newCurrency} placeholder="e.g. USD" onChange={(e) => setNewCurrency(e.target.value)} />
        </div>
        <button type="submit" disabled={busy}>Add currency</button>
      </form>

      <div className="friend-remove" role="group" aria-label={`Remove ${friend.name}`}>
        {confirm !== 'remove' ? (
          <button type="button" className="secondary danger" disabled={busy} onClick={() => setConfirm('remove')}>Remove {friend.name}…</button>
        ) : removal.kind === 'refused' ? (
          <>
            <p role="alert" className="message error">{removal.reason}</p>
            <button type="button" className="secondary" onClick={() => setConfirm(undefined)}>Close</button>
          </>
        ) : (
          <>
            <p>Removing {friend.name} deletes the friendship on this card: no payments pass between you any more, and adding {friend.name} again starts from a new agreement.</p>
            {removal.warnings.map((w) => <p key={w} className="message error">{w}</p>)}
            <div className="card-actions">
              <button type="button" className="danger-solid" disabled={busy}
                onClick={() => void run(() => removeFriend(key), `${friend.name} is removed.`)}>
                Yes, remove {friend.name}
              </button>
              <button type="button" className="secondary" onClick={() => setConfirm(undefined)}>Cancel</button>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
