/** The `offset:` protocol handler's input (Electron): the link the operating system hands the
 *  wallet — as the URL of macOS's `open-url`, or among the command line arguments of a second
 *  start on Windows and Linux. Browser-safe and pure, so it is unit-tested without Electron. */
import { MAX_LINK_CHARS } from './bridge.ts';

export const OFFSET_SCHEME = 'offset';

/** The first argument that is an offset: link (a second instance's argv), else undefined. */
export function linkFromArgv(argv: readonly string[]): string | undefined {
  for (const a of argv) {
    const link = checkLink(a);
    if (link !== undefined) return link;
  }
  return undefined;
}

/** The link itself when `text` is an offset: link of acceptable size (quotes stripped). */
export function checkLink(text: string): string | undefined {
  const t = text.trim().replace(/^"(.*)"$/, '$1');
  if (t.length > MAX_LINK_CHARS || !/^offset:[A-Za-z]+:[A-Za-z0-9_%=-]+$/i.test(t)) return undefined;
  return t;
}

export interface LinkQueue {
  /** A link from the OS: published now if the renderer listens, else when it does. */
  deliver(link: string): void;
  /** The renderer made a bridge call: its store listens for events now. */
  rendererReady(): void;
  /** The page (re)loads: hold links until its first call. */
  rendererGone(): void;
  /** The host is open: links go out through `publish` (the `link.open` event). */
  connect(publish: (link: string) => void): void;
}

/** Links that arrive before the wallet host or the page is ready (a link that started the app)
 *  wait here, in order, so none is lost. */
export function createLinkQueue(): LinkQueue {
  const pending: string[] = [];
  let ready = false;
  let publish: ((link: string) => void) | undefined;
  const flush = (): void => {
    if (!ready || publish === undefined) return;
    for (const link of pending.splice(0)) publish(link);
  };
  return {
    deliver(link) {
      pending.push(link);
      flush();
    },
    rendererReady() {
      ready = true;
      flush();
    },
    rendererGone() {
      ready = false;
    },
    connect(p) {
      publish = p;
      flush();
    },
  };
}
