import type { CardView } from '../../src-main/bridge.ts';
import { useAppStore } from '../useAppStore.ts';
import '../exposure/exposure.css';

/** Cards on this computer that were never backed up (`backedUpAt` null): a reminder each, until
 *  the first backup. A remote card has no backup here (its key is on its node). */
export function needsBackup(card: CardView): boolean {
  const at = (card as { readonly backedUpAt?: unknown }).backedUpAt; // read defensively: older hosts lack it
  return card.kind === 'local' && (at === null || at === undefined);
}

export function BackupReminder({ cards }: { readonly cards: readonly CardView[] }) {
  const due = cards.filter(needsBackup);
  if (due.length === 0) return null;
  return (
    <ul className="alert-list" aria-label="Backup reminders">
      {due.map((c) => (
        <li key={c.id} className="alert-item reminder" role="status">
          <div>
            <p className="alert-title">Back up “{c.name}”</p>
            <p>This card has never been backed up. If this computer is lost or its disk fails, its friends and balances are lost with it. Use “Export backup” on the card in the cards list to save an encrypted backup file.</p>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The reminders that concern the screen: every card on the cards list, the open card on its page. */
export function BackupReminders() {
  const cards = useAppStore((s) => s.cards);
  const session = useAppStore((s) => s.cardSession);
  const unlocked = useAppStore((s) => s.wallet !== undefined && !s.wallet.locked);
  if (!unlocked) return null;
  return <BackupReminder cards={session.kind === 'closed' ? cards : cards.filter((c) => c.id === session.cardId)} />;
}
