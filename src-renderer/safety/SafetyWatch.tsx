import { useEffect } from 'react';
import { useAppStore } from '../useAppStore.ts';

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** Loads the safety settings and, while the wallet is unlocked, reports user input to the host
 *  (throttled in the slice) so the host's idle auto-lock knows the user is there. Renders nothing. */
export function SafetyWatch() {
  const unlocked = useAppStore((s) => s.wallet !== undefined && !s.wallet.locked);
  const loadSafety = useAppStore((s) => s.loadSafety);
  const reportActivity = useAppStore((s) => s.reportActivity);
  useEffect(() => {
    void loadSafety();
  }, [loadSafety, unlocked]);
  useEffect(() => {
    if (!unlocked) return undefined;
    const on = (): void => reportActivity();
    for (const e of INPUT_EVENTS) window.addEventListener(e, on, { passive: true, capture: true });
    return () => {
      for (const e of INPUT_EVENTS) window.removeEventListener(e, on, { capture: true });
    };
  }, [unlocked, reportActivity]);
  return null;
}
