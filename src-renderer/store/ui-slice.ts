/** Presentation state that belongs to this window only: the colour theme. */
import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from './app-store.ts';

export type Theme = 'system' | 'light' | 'dark';
export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];
export const isTheme = (v: unknown): v is Theme => typeof v === 'string' && (THEMES as readonly string[]).includes(v);

export interface UiSlice {
  readonly theme: Theme;
  /** True once the connection to the wallet host is gone (browser mode: the host stopped). */
  readonly hostLost: boolean;
  setTheme(theme: Theme): void;
  setHostLost(): void;
}

export const createUiSlice = (initialTheme: Theme): StateCreator<AppState, [], [], UiSlice> => (set) => ({
  theme: initialTheme,
  hostLost: false,
  setTheme: (theme) => set({ theme }),
  setHostLost: () => set({ hostLost: true }),
});
