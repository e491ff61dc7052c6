import { useEffect } from 'react';
import { useAppStore } from '../useAppStore.ts';
import { CardsScreen } from './CardsScreen.tsx';
import { ThemeSelect } from './ThemeSelect.tsx';

export function App() {
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="app-header">
        <p className="app-title">Offset</p>
        <ThemeSelect theme={theme} onChange={setTheme} />
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <CardsScreen />
      </main>
    </>
  );
}
