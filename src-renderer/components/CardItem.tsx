import { useId, useState, type FormEvent } from 'react';
import { MAX_CARD_NAME_CHARS, type BridgeError, type CardView, type Result } from '../../src-main/bridge.ts';
import { formatAmount } from '../format-amount.ts';
import { describeBackedUp, ExportBackup } from './cards/ExportBackup.tsx';
import { RemoveCard } from './cards/RemoveCard.tsx';

export interface CardItemProps {
  readonly card: CardView;
  /** The alert setting's near-limit percent (alerts.ts): at or past it, the card says so. */
  readonly nearLimitPercent: number;
  readonly onRename: (cardId: string, name: string) => Promise<Result<CardView, BridgeError>>;
  readonly onRemove: (cardId: string) => Promise<Result<void, BridgeError>>;
  readonly onOpen: (cardId: string) => void;
}

type Mode = { readonly kind: 'view' } | { readonly kind: 'rename'; readonly name: string } | { readonly kind: 'export' } | { readonly kind: 'confirm-remove' };

/** One card: name, where it runs, balances, its last backup; rename in place; export a backup;
 *  remove only after confirming, with a backup offered first (RemoveCard). */
export function CardItem({ card, nearLimitPercent, onRename, onRemove, onOpen }: CardItemProps) {
  const id = useId();
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  async function run<T>(action: () => Promise<Result<T, BridgeError>>, what: string): Promise<void> {
    setBusy(true);
    const r = await action();
    setBusy(false);
    if (r.ok) {
      setError(undefined);
      setMode({ kind: 'view' });
    } else {
      setError(`${what}: ${r.error.message}`);
    }
  }

  function rename(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    if (mode.kind === 'rename') void run(() => onRename(card.id, mode.name), 'The card was not renamed');
  }

  return (
    <li className="card-item" aria-label={card.name}>
      <div className="card-main">
        <div>
          <div className="card-name">
            <button type="button" className="link" onClick={() => onOpen(card.id)}>{card.name}</button>
          </div>
          <div className="card-meta">
            {card.kind === 'local' ? 'On this computer' : <><span className="badge">remote</span> node at <span className="mono">{card.address}</span></>}
            {' · '}{card.online ? 'online' : 'offline'}
          </div>
          {card.problem !== null && <div className="card-meta warn" role="status">{card.problem}</div>}
          {card.needsReset > 0 && <div className="card-meta warn" role="status">{describeNeedsReset(card.needsReset)}</div>}
          {card.closestToLimit >= nearLimitPercent && card.closestToLimit > 0 && (
            <div className="card-meta warn" role="status">{describeNearLimit(card.closestToLimit)}</div>
          )}
          {card.kind === 'local' && <div className={`card-meta${card.backedUpAt === null ? ' warn' : ''}`}>{describeBackedUp(card.backedUpAt)}</div>}
        </div>
        <div className="balance" aria-label={`Balances of ${card.name}`}>
          {card.balances.length === 0
            ? 'No balances'
            : card.balances.map((b) => `${formatAmount(b.balance, 0, { group: ',' })} ${b.currency}`).join(' · ')}
        </div>
      </div>
      {mode.kind === 'view' && (
        <div className="card-actions">
          <button type="button" aria-label={`Open ${card.name}`} onClick={() => onOpen(card.id)}>Open</button>
          <button type="button" className="secondary" onClick={() => setMode({ kind: 'rename', name: card.name })}>Rename</button>
          {card.kind === 'local' && (
            <button type="button" className="secondary" aria-label={`Export a backup of ${card.name}`} onClick={() => setMode({ kind: 'export' })}>Export backup</button>
          )}
          <button type="button" className="secondary danger" onClick={() => setMode({ kind: 'confirm-remove' })}>Remove</button>
        </div>
      )}
      {mode.kind === 'rename' && (
        <form className="row card-form" onSubmit={rename}>
          <div className="field">
            <label htmlFor={`${id}-name`}>New name for {card.name}</label>
            <input id={`${id}-name`} value={mode.name} maxLength={MAX_CARD_NAME_CHARS} autoFocus onChange={(e) => setMode({ kind: 'rename', name: e.target.value })} />
          </div>
          <button type="submit" disabled={busy}>Save name</button>
          <button type="button" className="secondary" onClick={() => setMode({ kind: 'view' })}>Cancel</button>
        </form>
      )}
      {mode.kind === 'export' && (
        <div className="card-form">
          <ExportBackup cardId={card.id} />
          <div className="card-actions">
            <button type="button" className="secondary" onClick={() => setMode({ kind: 'view' })}>Done</button>
          </div>
        </div>
      )}
      {mode.kind === 'confirm-remove' && <RemoveCard card={card} onRemove={onRemove} onCancel={() => setMode({ kind: 'view' })} />}
      {error !== undefined && <p role="alert" className="message error">{error}</p>}
    </li>
  );
}

/** A card whose channels need a reset, said on the cards list so a card that is not open is
 *  noticed too: those friendships carry no payments until one side accepts the other's terms. */
export function describeNearLimit(percent: number): string {
  return `A debt of this card is at ${percent >= 1000 ? 'over 1000' : percent} % of its limit: open the card's Exposure tab to see which.`;
}

export function describeNeedsReset(n: number): string {
  return `${n === 1 ? '1 friend needs' : `${n} friends need`} a channel reset: open the card, then the friend, to compare both sides' terms.`;
}
