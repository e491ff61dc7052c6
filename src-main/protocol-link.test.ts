import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLink, createLinkQueue, linkFromArgv } from './protocol-link.ts';

const LINK = 'offset:invoice:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8w';

describe('offset: links handed over by the operating system', () => {
  it('finds the link among a second start\'s arguments (Windows, Linux)', () => {
    expect(linkFromArgv(['/opt/Offset/offset', '--no-sandbox', LINK])).toBe(LINK);
    expect(linkFromArgv(['C:\\Offset\\Offset.exe', `"${LINK}"`])).toBe(LINK);
    expect(linkFromArgv(['/opt/Offset/offset', '--offset-data-dir=/tmp/w'])).toBeUndefined();
    expect(linkFromArgv([])).toBeUndefined();
  });

  it('takes the URL macOS gives as it is, and refuses what is not an offset: link', () => {
    expect(checkLink(LINK)).toBe(LINK);
    expect(checkLink(` ${LINK}\n`)).toBe(LINK);
    expect(checkLink('OFFSET:friend:AAAA')).toBe('OFFSET:friend:AAAA');
    expect(checkLink('https://example.org/offset:invoice:AAAA')).toBeUndefined();
    expect(checkLink('offset:invoice:')).toBeUndefined();
    expect(checkLink('offset:invoice:AA AA')).toBeUndefined();
    expect(checkLink('offset:invoice:AAAA;rm -rf')).toBeUndefined();
    expect(checkLink(`offset:invoice:${'A'.repeat(9000)}`)).toBeUndefined();
  });

  it('is declared as the packaged app\'s protocol (macOS, Linux desktop entry)', () => {
    const yml = readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8');
    expect(yml).toMatch(/protocols:\n\s+- name: Offset link\n\s+schemes:\n\s+- offset\n/);
    expect(yml).toContain('x-scheme-handler/offset');
  });
});

describe('links waiting for the window', () => {
  it('are held until the host is open and the page has called, then published in order, once', () => {
    const q = createLinkQueue();
    const out: string[] = [];
    q.deliver('offset:invoice:A'); // the link that started the app
    q.connect((l) => out.push(l));
    expect(out).toEqual([]);
    q.deliver('offset:commit:B');
    q.rendererReady();
    expect(out).toEqual(['offset:invoice:A', 'offset:commit:B']);
    q.deliver('offset:friend:C');
    expect(out).toEqual(['offset:invoice:A', 'offset:commit:B', 'offset:friend:C']);
    q.rendererGone(); // reloading
    q.deliver('offset:receipt:D');
    q.rendererReady();
    expect(out).toEqual(['offset:invoice:A', 'offset:commit:B', 'offset:friend:C', 'offset:receipt:D']);
  });
});
