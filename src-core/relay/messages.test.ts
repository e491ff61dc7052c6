import { describe, expect, it } from 'vitest';
import { type Codec, decodeExact, encode, truncationsAndExtensions } from '../codec/index.ts';
import { initConnection, relayToListener } from './messages.ts';

const pk = new Uint8Array(32).fill(7);
const samples: [string, Codec<any>, unknown][] = [
  ['listen', initConnection, { kind: 'listen' }],
  ['accept', initConnection, { kind: 'accept', publicKey: pk }],
  ['connect', initConnection, { kind: 'connect', publicKey: pk }],
  ['incomingConnection', relayToListener, { kind: 'incomingConnection', publicKey: pk }],
];

describe('relay messages', () => {
  it.each(samples)('%s round-trips and rejects every truncation and trailing bytes', (_n, codec, value) => {
    const bytes = encode(codec, value);
    const back = decodeExact(codec, bytes);
    expect(back.ok && back.value).toEqual(value);
    for (const bad of truncationsAndExtensions(bytes)) expect(decodeExact(codec, bad.bytes).ok, bad.name).toBe(false);
  });

  it('rejects unknown tags', () => {
    expect(decodeExact(initConnection, Uint8Array.of(3, ...pk)).ok).toBe(false);
    expect(decodeExact(relayToListener, Uint8Array.of(1, ...pk)).ok).toBe(false);
  });
});
