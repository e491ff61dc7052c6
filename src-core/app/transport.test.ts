import { describe, expect, it } from 'vitest';
import { transportPair } from './transport.ts';

describe('transportPair', () => {
  it('delivers messages in order, as copies', async () => {
    const [a, b] = transportPair();
    const m = Uint8Array.of(1, 2, 3);
    await a.send(m);
    m[0] = 9;
    await a.send(Uint8Array.of(4));
    expect(await b.receive()).toEqual(Uint8Array.of(1, 2, 3));
    expect(await b.receive()).toEqual(Uint8Array.of(4));
  });

  it('wakes a waiting reader when a message arrives', async () => {
    const [a, b] = transportPair();
    const next = b.receive();
    await a.send(Uint8Array.of(7));
    expect(await next).toEqual(Uint8Array.of(7));
  });

  it('lets the peer read what was sent before a close, then ends both sides', async () => {
    const [a, b] = transportPair();
    await a.send(Uint8Array.of(1));
    a.close();
    expect(await b.receive()).toEqual(Uint8Array.of(1));
    expect(await b.receive()).toBeUndefined();
    expect(await a.receive()).toBeUndefined();
    await expect(a.send(Uint8Array.of(2))).rejects.toThrow('closed');
    await expect(b.send(Uint8Array.of(2))).rejects.toThrow('closed');
  });

  it('ends a reader that is waiting when the other side closes', async () => {
    const [a, b] = transportPair();
    const waiting = b.receive();
    a.close();
    expect(await waiting).toBeUndefined();
  });
});
