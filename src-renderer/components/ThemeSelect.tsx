import { isTheme, type Theme } from '../store/ui-slice.ts';

export interface ThemeSelectProps {
  readonly theme: Theme;
  readonly onChange: (theme: Theme) => void;
}

export function ThemeSelect({ theme, onChange }: ThemeSelectProps) {
  return (
    <div className="theme-field">
      <label htmlFor="theme">Theme</label>
      <select id="theme" value={theme} onChange={(e) => isTheme(e.target.value) && onChange(e.target.value)}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </div>
  );
}
