import { useEffect } from 'react';
import { useAppStore } from '../useAppStore.ts';
import { linkFromHash } from './link-model.ts';

/** Browser mode: a page address ending in `#offset:…` (at load, or when the fragment changes)
 *  opens that link; the fragment is then removed from the address bar. */
export function useLinkHash(): void {
  const openLink = useAppStore((s) => s.openLink);
  useEffect(() => {
    const take = (): void => {
      const link = linkFromHash(window.location.hash);
      if (link === undefined) return;
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
      openLink(link);
    };
    take();
    window.addEventListener('hashchange', take);
    return () => window.removeEventListener('hashchange', take);
  }, [openLink]);
}
