import { SafetySettingsForm } from '../safety/SafetySettingsForm.tsx';
import { useAppStore } from '../useAppStore.ts';
import { CardList } from './CardList.tsx';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';
import { CreateCardForm } from './CreateCardForm.tsx';
import { ImportCardForm } from './cards/ImportCardForm.tsx';
import { MoveNodeForm } from './cards/MoveNodeForm.tsx';
import { LinkBox } from '../links/LinkBox.tsx';

/** The first screen: the person's cards, or a first-run invitation to create one. */
export function CardsScreen() {
  const cards = useAppStore((s) => s.cards);
  const load = useAppStore((s) => s.cardsLoad);
  const loadCards = useAppStore((s) => s.loadCards);
  const createCard = useAppStore((s) => s.createCard);
  const renameCard = useAppStore((s) => s.renameCard);
  const removeCard = useAppStore((s) => s.removeCard);
  const importCard = useAppStore((s) => s.importCard);
  const importNode = useAppStore((s) => s.importNode);
  const changePassword = useAppStore((s) => s.changePassword);
  const openCard = useAppStore((s) => s.openCard);
  const nearLimitPercent = useAppStore((s) => s.alertSettings.nearLimitPercent);

  return (
    <>
      <h1>Cards</h1>
      <section className="panel" aria-labelledby="your-cards">
        <h2 id="your-cards">Your cards</h2>
        {load.kind === 'loading' || load.kind === 'idle' ? (
          <p role="status">Loading cards…</p>
        ) : load.kind === 'failed' ? (
          <div role="alert">
            <p className="message error">Could not load your cards: {load.error.message}</p>
            <button type="button" className="secondary" onClick={() => void loadCards()}>Try again</button>
          </div>
        ) : cards.length === 0 ? (
          <p className="empty">
            <strong>No cards yet</strong>
            A card holds your friends and balances. Create one below to start paying and getting paid.
          </p>
        ) : (
          <CardList cards={cards} nearLimitPercent={nearLimitPercent} onRename={renameCard} onRemove={removeCard} onOpen={(id) => void openCard(id)} />
        )}
      </section>
      <LinkBox />
      <section className="panel" aria-labelledby="create-card">
        <h2 id="create-card">Create a card</h2>
        <CreateCardForm onCreate={createCard} />
      </section>
      <section className="panel" aria-labelledby="import-card">
        <h2 id="import-card">Import a card</h2>
        <ImportCardForm onImport={importCard} />
        <details className="move-node">
          <summary>Move a node from the command line tools</summary>
          <MoveNodeForm onMove={importNode} />
        </details>
      </section>
      <section className="panel" aria-labelledby="safety-settings">
        <h2 id="safety-settings">Safety</h2>
        <SafetySettingsForm />
      </section>
      <section className="panel" aria-labelledby="wallet-password">
        <h2 id="wallet-password">Wallet password</h2>
        <ChangePasswordForm onChange={changePassword} />
      </section>
    </>
  );
}
