import { useId, useState, type FormEvent } from 'react';
import type { AppRequest, FriendReport } from '../../src-core/app/index.ts';
import { CARD_DECIMALS } from '../card/friend-input.ts';
import { formatAmount } from '../format-amount.ts';
import type { CardResult } from '../store/card-slice.ts';
import { useAppStore } from '../useAppStore.ts';
import { DebtBarView } from './DebtBarView.tsx';

export interface FriendItemProps {
  readonly friend: FriendReport;
  readonly onRequest: (r: AppRequest) => Promise<CardResult>;
  readonly onSetMaxDebt: (key: Uint8Array, currency: string, text: string) => Promise<CardResult>;
}

const amount = (v: bigint): string => formatAmount(v, CARD_DECIMALS, { group: ',' });

/** One friend: state, and per currency the balance, limits, pending debts and their controls. */
export function FriendItem({ friend, onRequest, onSetMaxDebt }: FriendItemProps) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [maxDebt, setMaxDebt] = useState<Record<string, string>>({});
  const key = friend.publicKey;
  const showFriend = useAppStore((s) => s.showFriend);

  async function run(action: () => Promise<CardResult>): Promise<boolean> {
    setBusy(true);
    const r = await action();
    setBusy(false);
    setError(r.ok ? undefined : r.error);
    return r.ok;
  }

  function submitMaxDebt(e: FormEvent<HTMLFormElement>, currency: string): void {
    e.preventDefault();
    void run(() => onSetMaxDebt(key, currency, maxDebt[currency] ?? '')).then((ok) => {
      if (ok) setMaxDebt((m) => ({ ...m, [currency]: '' }));
    });
  }

  return (
    <li className="card-item friend-item" aria-label={`Friend ${friend.name}`}>
      <div className="card-main">
        <div>
          <div className="card-name">{friend.name}</div>
          <div className="card-meta">
            {friend.enabled ? 'enabled' : 'disabled'} · {friend.online ? 'online' : 'offline'}
            {friend.channel.kind === 'inconsistent' && ' · channel inconsistent'}
          </div>
        </div>
        <div className="card-actions">
          <button type="button" className="secondary" onClick={() => showFriend(key)}>{friend.name}'s page</button>
          <button type="button" className="secondary" disabled={busy}
            onClick={() => void run(() => onRequest({ kind: friend.enabled ? 'disable-friend' : 'enable-friend', friendPublicKey: key }))}>
            {friend.enabled ? 'Disable' : 'Enable'} {friend.name}
          </button>
        </div>
      </div>
      {friend.currencies.map((c) => (
        <div key={c.currency} className="friend-currency" role="group" aria-label={`${friend.name} ${c.currency}`}>
          <div className="currency-line">
            <strong className="balance">{amount(c.balance)} {c.currency}</strong>
            <span className="card-meta">
              may owe {amount(c.localMaxDebt)} · lets owe {amount(c.remoteMaxDebt)}
              {(c.localPendingDebt !== 0n || c.remotePendingDebt !== 0n) && ` · pending ${amount(c.localPendingDebt)} out, ${amount(c.remotePendingDebt)} in`}
              {' · requests '}{c.localRequestsOpen ? 'open' : 'closed'}
            </span>
          </div>
          <DebtBarView c={c} />
          <div className="row card-form">
            <form className="row" onSubmit={(e) => submitMaxDebt(e, c.currency)}>
              <div className="field">
                <label htmlFor={`${id}-${c.currency}-max`}>Max debt for {friend.name} ({c.currency})</label>
                <input id={`${id}-${c.currency}-max`} inputMode="numeric" value={maxDebt[c.currency] ?? ''} placeholder={amount(c.remoteMaxDebt)}
                  onChange={(e) => setMaxDebt((m) => ({ ...m, [c.currency]: e.target.value }))} />
              </div>
              <button type="submit" disabled={busy}>Set max debt</button>
            </form>
            <button type="button" className="secondary" disabled={busy}
              onClick={() => void run(() => onRequest({ kind: c.localRequestsOpen ? 'close-friend-currency' : 'open-friend-currency', friendPublicKey: key, currency: c.currency }))}>
              {c.localRequestsOpen ? 'Close requests' : 'Open requests'}
            </button>
          </div>
        </div>
      ))}
      {error !== undefined && <p role="alert" className="message error">{error}</p>}
    </li>
  );
}
