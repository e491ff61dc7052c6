import { useState } from 'react';
import { LinkBanner } from '../links/LinkBanner.tsx';
import { useAppStore } from '../useAppStore.ts';
import { CARD_TABS } from './card-tabs.ts';
import { CardTabList } from './CardTabList.tsx';
import { GettingStarted } from './GettingStarted.tsx';

/** One card's page: a tab list (card-tabs.ts) over the open card's report. */
export function CardScreen() {
  const session = useAppStore((s) => s.cardSession);
  const cards = useAppStore((s) => s.cards);
  const closeCard = useAppStore((s) => s.closeCard);
  const openCard = useAppStore((s) => s.openCard);
  const linkTab = useAppStore((s) => s.cardLink?.tab); // opened from an offset: link
  const [tabId, setTabId] = useState<string>(linkTab ?? 'friends');
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
      {session.kind === 'open' && (() => {
        const tab = CARD_TABS.find((t) => t.id === tabId) ?? CARD_TABS[0];
        if (tab === undefined) return null;
        const { Panel } = tab;
        return (
          <>
            <LinkBanner cardId={session.cardId} />
            <GettingStarted report={session.report} onGo={setTabId} />
            <CardTabList tabs={CARD_TABS} selected={tab.id} onSelect={setTabId} />
            <div role="tabpanel" id={`panel-${tab.id}`} aria-labelledby={`tab-${tab.id}`}>
              <Panel cardId={session.cardId} cardName={name} report={session.report} />
            </div>
          </>
        );
      })()}
    </>
  );
}
