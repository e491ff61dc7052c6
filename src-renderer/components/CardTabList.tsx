import { type KeyboardEvent, useRef } from 'react';
import type { CardTab } from './card-tabs.ts';

/** An ARIA tab list: arrow keys, Home and End move between tabs (and select them). */
export function CardTabList({ tabs, selected, onSelect }: {
  readonly tabs: readonly CardTab[]; readonly selected: string; readonly onSelect: (id: string) => void;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    const i = tabs.findIndex((t) => t.id === selected);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : undefined;
    if (next === undefined) return;
    e.preventDefault();
    const k = (next + tabs.length) % tabs.length;
    const t = tabs[k];
    if (t === undefined) return;
    onSelect(t.id);
    refs.current[k]?.focus();
  }
  return (
    <div role="tablist" aria-label="Card sections" className="tab-list" onKeyDown={onKeyDown}>
      {tabs.map((t, k) => (
        <button key={t.id} type="button" role="tab" id={`tab-${t.id}`} aria-selected={t.id === selected} aria-controls={`panel-${t.id}`}
          tabIndex={t.id === selected ? 0 : -1} className="tab" ref={(el) => { refs.current[k] = el; }} onClick={() => onSelect(t.id)}>
          {t.label}
        </button>
      ))}
    </div>
  );
}
