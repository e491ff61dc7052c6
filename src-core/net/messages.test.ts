import { describe, expect, it } from 'vitest';
import { type Codec, decodeExact, encode, truncationsAndExtensions } from '../codec/index.ts';
import { controlMessage, encodeBatch, parseBatch } from './channel-messages.ts';
import { exchangeDh, exchangeRandNonce } from './handshake.ts';

const b = (n: number, len: number): Uint8Array => new Uint8Array(len).fill(n);

const samples: [string, Codec<any>, unknown][] = [
  ['ExchangeRandNonce', exchangeRandNonce, { publicKey: b(1, 32), randNonce: b(2, 32) }],
  ['ExchangeDh', exchangeDh, { dhPublicKey: b(1, 32), peerRandNonce: b(2, 32), salt: b(3, 32), signature: b(4, 64) }],
  ['keepalive', controlMessage, { kind: 'keepalive' }],
  ['rekeyInit', controlMessage, { kind: 'rekeyInit', dhPublicKey: b(5, 32), salt: b(6, 32) }],
  ['rekeyAck', controlMessage, { kind: 'rekeyAck', dhPublicKey: b(5, 32), salt: b(6, 32) }],
  ['rekeyDone', controlMessage, { kind: 'rekeyDone' }],
];

describe('secure channel messages', () => {
  it.each(samples)('%s round-trips and rejects every truncation and trailing bytes', (_n, codec, value) => {
    const bytes = encode(codec, value);
    const back = decodeExact(codec, bytes);
    expect(back.ok && back.value).toEqual(value);
    for (const bad of truncationsAndExtensions(bytes)) expect(decodeExact(codec, bad.bytes).ok, bad.name).toBe(false);
  });

  it('has the fixed sizes the handshake relies on', () => {
    expect(encode(exchangeRandNonce, samples[0]?.[2] as never).length).toBe(64);
    expect(encode(exchangeDh, samples[1]?.[2] as never).length).toBe(160);
  });

  it('rejects unknown control tags, including the data tag', () => {
    for (const tag of [0, 5, 255]) expect(decodeExact(controlMessage, Uint8Array.of(tag)).ok).toBe(false);
  });
});

describe('batch records', () => {
  const data = (n: number): Uint8Array => Uint8Array.of(0, n);
  const keepalive = encode(controlMessage, { kind: 'keepalive' });

  it('round-trips data and control records in order', () => {
    const records = [data(1), keepalive, data(2)];
    const r = parseBatch(encodeBatch(records));
    expect('records' in r && r.records).toEqual(records);
  });

  it.each([
    ['an empty batch', Uint8Array.of(5), 'empty batch'],
    ['a truncated length', Uint8Array.of(5, 0, 0), 'truncated batch'],
    ['a zero-length record', Uint8Array.of(5, 0, 0, 0, 0), 'bad record length in batch'],
    ['a record longer than the batch', Uint8Array.of(5, 0, 0, 0, 9, 0, 1), 'bad record length in batch'],
    ['a nested batch', encodeBatch([encodeBatch([Uint8Array.of(0, 1)])]), 'nested batch'],
  ])('rejects %s', (_name, pt, error) => {
    expect(parseBatch(pt)).toEqual({ error });
  });
});
