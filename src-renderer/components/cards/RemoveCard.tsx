import { useId, useState } from 'react';
import type { BridgeError, CardView, Result } from '../../../src-main/bridge.ts';
import { ExportBackup } from './ExportBackup.tsx';

export interface RemoveCardProps {
  readonly card: CardView;
  readonly onRemove: (cardId: string) => Promise<Result<void, BridgeError>>;
  readonly onCancel: () => void;
}

/** Removing a card: a local card's key and data are deleted, so a backup is offered first and
 *  the remove button stays disabled until one was exported here or the person says they have
 *  one (or do without). A remote card only forgets its connection; its node keeps everything. */
export function RemoveCard({ card, onRemove, onCancel }: RemoveCardProps) {
  const id = useId();
  const [exported, setExported] = useState(false);
  const [skip, setSkip] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const allowed = card.kind === 'remote' || exported || skip;

  async function remove(): Promise<void> {
    setBusy(true);
    const r = await onRemove(card.id);
    setBusy(false);
    if (!r.ok) setError(`The card was not removed: ${r.error.message}`);
  }

  return (
    <div role="group" aria-label={`Remove ${card.name}?`} className="card-form">
      {card.kind === 'remote' ? (
        <p className="message">
          Remove “{card.name}” from this wallet? Its node at {card.address} keeps its friends and balances; import its .rcard file
          again to reconnect.
        </p>
      ) : (
        <>
          <p className="message error">
            Remove “{card.name}”? Its key is deleted from this computer and its friends and balances are lost unless you have a
            backup of this card.
          </p>
          <h3 className="subhead">Export a backup first</h3>
          <ExportBackup cardId={card.id} onExported={() => setExported(true)} />
          <div className="check">
            <input id={`${id}-skip`} type="checkbox" checked={skip} onChange={(e) => setSkip(e.target.checked)} />
            <label htmlFor={`${id}-skip`}>I have a backup of this card, or I remove it without one</label>
          </div>
        </>
      )}
      <div className="card-actions">
        <button type="button" className="danger-solid" disabled={busy || !allowed} onClick={() => void remove()}>Remove card</button>
        <button type="button" className="secondary" onClick={onCancel}>Keep card</button>
      </div>
      {error !== undefined && <p role="alert" className="message error">{error}</p>}
    </div>
  );
}
