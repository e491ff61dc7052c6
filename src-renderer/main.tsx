/** Renderer entry: find the host (Electron preload or browser-mode WebSocket), build the store,
 *  render. The theme choice is kept in localStorage; nothing else is stored in the renderer. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { OffsetBridge } from '../src-main/bridge.ts';
import { connectToHost } from './bridge-client.ts';
import { App } from './components/App.tsx';
import { HostUnavailable } from './components/HostUnavailable.tsx';
import { createAppStore } from './store/app-store.ts';
import { isTheme } from './store/ui-slice.ts';
import { StoreContext } from './useAppStore.ts';

const THEME_KEY = 'offset.theme';

async function start(): Promise<void> {
  const container = document.getElementById('root');
  if (container === null) throw new Error('index.html lacks #root');
  const root = createRoot(container);
  const connection = await connectToHost(window as Window & { offset?: OffsetBridge });
  if (!connection.ok) {
    root.render(<HostUnavailable message={connection.message} />);
    return;
  }
  const saved = localStorage.getItem(THEME_KEY);
  const store = createAppStore(connection.bridge, { theme: isTheme(saved) ? saved : 'system' });
  store.subscribe((s, prev) => {
    if (s.theme !== prev.theme) localStorage.setItem(THEME_KEY, s.theme);
  });
  connection.onLost(() => store.getState().setHostLost());
  void store.getState().loadWallet();
  void store.getState().loadCards();
  root.render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </StrictMode>,
  );
}

void start();
