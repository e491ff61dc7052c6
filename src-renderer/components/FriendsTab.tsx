import { FriendPage } from '../friend/FriendPage.tsx';
import { openFriendReport } from '../store/friend-slice.ts';
import { useAppStore } from '../useAppStore.ts';
import { AddFriendForm } from './AddFriendForm.tsx';
import type { CardTabProps } from './card-tabs.ts';
import { FriendItem } from './FriendItem.tsx';
import { OwnFriendFile } from './OwnFriendFile.tsx';

/** The card's friends from the node's report, adding friends, the card's own friend file. */
export function FriendsTab({ report, cardName }: CardTabProps) {
  const cardRequest = useAppStore((s) => s.cardRequest);
  const addFriend = useAppStore((s) => s.addFriend);
  const setMaxDebt = useAppStore((s) => s.setMaxDebt);
  const openFriend = useAppStore(openFriendReport);
  if (openFriend !== undefined) return <FriendPage friend={openFriend} />;
  return (
    <>
      <section className="panel" aria-labelledby="friends">
        <h2 id="friends">Friends</h2>
        {report.friends.length === 0 ? (
          <p className="empty"><strong>No friends yet</strong>Add a friend below with the friend file they give you.</p>
        ) : (
          <ul className="card-list" aria-label="Friends">
            {report.friends.map((f) => (
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
        <OwnFriendFile report={report} cardName={cardName} />
      </section>
    </>
  );
}
