import { useEffect } from 'react';
import { AlertCenter } from '../alerts/AlertCenter.tsx';
import { BackupReminders } from '../safety/BackupReminder.tsx';
import { SafetyWatch } from '../safety/SafetyWatch.tsx';
import { useLinkHash } from '../links/useLinkHash.ts';
import { useAppStore } from '../useAppStore.ts';
import { CardScreen } from './CardScreen.tsx';
import { CardsScreen } from './CardsScreen.tsx';
import { LockScreen } from './LockScreen.tsx';
import { ThemeSelect } from './ThemeSelect.tsx';

export function App() {
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  const wallet = useAppStore((s) => s.wallet);
  const walletError = useAppStore((s) => s.walletError);
  const createPassword = useAppStore((s) => s.createPassword);
  const unlock = useAppStore((s) => s.unlock);
  const lock = useAppStore((s) => s.lock);
  const hostLost = useAppStore((s) => s.hostLost);
  const cardOpen = useAppStore((s) => s.cardSession.kind !== 'closed');
  const closeCard = useAppStore((s) => s.closeCard);
  const locked = wallet === undefined || wallet.locked;
  useLinkHash();
  useEffect(() => {
    if (locked) closeCard(); // a locked card's node is stopped: its page would be stale
  }, [locked, closeCard]);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="app-header">
        <p className="app-title">Offset</p>
        <div className="header-actions">
          <ThemeSelect theme={theme} onChange={setTheme} />
          {wallet !== undefined && !wallet.locked && (
            <button type="button" className="secondary" onClick={() => void lock()}>Lock</button>
          )}
        </div>
      </header>
      {hostLost && (
        <p role="alert" className="banner">
          The connection to the wallet was lost: the wallet host stopped. Start it again (npm start) and open the new address it prints.
        </p>
      )}
      <main id="main" className="app-main" tabIndex={-1}>
        <SafetyWatch />
        <BackupReminders />
        <AlertCenter />
        {wallet === undefined ? (
          walletError === undefined ? <p role="status">Opening the wallet…</p> : <p role="alert" className="message error">The wallet did not answer: {walletError.message}</p>
        ) : wallet.locked ? (
          <LockScreen firstRun={!wallet.hasPassword} onCreatePassword={createPassword} onUnlock={unlock} />
        ) : cardOpen ? (
          <CardScreen />
        ) : (
          <CardsScreen />
        )}
      </main>
    </>
  );
}
