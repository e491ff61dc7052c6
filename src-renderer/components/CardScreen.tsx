import { useAppStore } from '../useAppStore.ts';
import { AddFriendForm } from './AddFriendForm.tsx';
import { FriendItem } from './FriendItem.tsx';
import { OwnFriendFile } from './OwnFriendFile.tsx';

/** One card's page: its friends from the node's report, adding friends, its own friend file. */
export function CardScreen() {
  const session = useAppStore((s) => s.cardSession);
  const cards = useAppStore((s) => s.cards);
  const closeCard = useAppStore((s) => s.closeCard);
  const openCard = useAppStore((s) => s.openCard);
  const cardRequest = useAppStore((s) => s.cardRequest);
  const addFriend = useAppStore((s) => s.addFriend);
  const setMaxDebt = useAppStore((s) => s.setMaxDebt);
  if (session.kind === 'closed') return null;
  const name = cards.find((c) => c.id === session.cardId)?.name ?? 'Card';

  return (
    <>
      <div className="card-actions">
        <button type="button" className="secondary" onClick={closeCard}>← All cards</button>
      </div>
      <h1>{name}</h1>
      {session.kind === 'connecting' && <p role="status">Opening {name}…</p>}
      {session.kind === 'failed' && (
        <div role="alert">
          <p className="message error">Could not open {name}: {session.message}</p>
          <button type="button" className="secondary" onClick={() => void openCard(session.cardId)}>Try again</button>
        </div>
      )}
      {session.kind === 'open' && (
        <>
          <section className="panel" aria-labelledby="friends">
            <h2 id="friends">Friends</h2>
            {session.report.friends.length === 0 ? (
              <p className="empty"><strong>No friends yet</strong>Add a friend below with the friend file they give you.</p>
            ) : (
              <ul className="card-list" aria-label="Friends">
                {session.report.friends.map((f) => (
                  <FriendItem key={f.publicKey.join(',')} friend={f} onRequest={cardRequest} onSetMaxDebt={setMaxDebt} />
                ))}
              </ul>
            )}
          </section>
          <section className="panel" aria-labelledby="add-friend">
            <h2 id="add-friend">Add a friend</h2>
            <AddFriendForm onAdd={addFriend} />
          </section>
          <section className="panel" aria-labelledby="my-friend-file">
            <h2 id="my-friend-file">This card</h2>
            <OwnFriendFile report={session.report} cardName={name} />
          </section>
        </>
      )}
    </>
  );
}
