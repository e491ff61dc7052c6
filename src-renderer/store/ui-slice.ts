/** Presentation state that belongs to this window only: the colour theme. */
import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from './app-store.ts';

export type Theme = 'system' | 'light' | 'dark';
export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];
export const isTheme = (v: unknown): v is Theme => typeof v === 'string' && (THEMES as readonly string[]).includes(v);

export interface UiSlice {
  readonly theme: Theme;
  setTheme(theme: Theme): void;
}

export const createUiSlice = (initialTheme: Theme): StateCreator<AppState, [], [], UiSlice> => (set) => ({
  theme: initialTheme,
  setTheme: (theme) => set({ theme }),
});
