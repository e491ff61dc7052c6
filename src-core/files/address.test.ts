import { describe, expect, it } from 'vitest';
import { parseNetAddress } from './address.ts';

describe('parseNetAddress()', () => {
  it.each([
    ['127.0.0.1:9500', '127.0.0.1', 9500], ['www.mynode.com:9876', 'www.mynode.com', 9876],
    ['0.0.0.0:1', '0.0.0.0', 1], ['[::1]:65535', '::1', 65535], ['localhost:4567', 'localhost', 4567],
  ])('accepts %s', (text, host, port) => {
    expect(parseNetAddress(text)).toEqual({ ok: true, value: { host, port } });
  });

  it.each([
    ['empty', ''], ['no port', '127.0.0.1'], ['port 0', 'h:0'], ['port 65536', 'h:65536'], ['leading zero port', 'h:080'],
    ['empty host', ':9500'], ['space', 'my host:1'], ['unbracketed ipv6', '::1:9500'], ['bad brackets', '[::1:9500'],
    ['scheme', 'tcp://h:1'], ['double dot', 'a..b:1'], ['trailing dot', 'a.:1'], ['too long', `${'a'.repeat(300)}:1`],
    ['negative port', 'h:-1'], ['newline', 'h:1\n'],
  ])('rejects %s', (_name, text) => {
    const r = parseNetAddress(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(/host:port/);
  });
});
