import { describe, expect, it } from 'vitest';
import { MAX_BRIDGE_MESSAGE_CHARS, type CardView, type RequestName } from './bridge.ts';
import { decodeCall, decodeHostMessage, encodeCall, encodeEvent, encodeRejection, encodeResponse } from './bridge-codec.ts';

const card: CardView = {
  id: 'AAECAwQFBgcICQoLDA0ODw',
  name: 'Groceries',
  publicKey: 'A'.repeat(43),
  kind: 'local',
  online: true,
  balances: [{ currency: 'FST', balance: -(1n << 127n) }, { currency: 'USD', balance: 340282366920938463463374607431768211455n >> 1n }],
  address: null,
  backedUpAt: null,
  needsReset: 2,
  closestToLimit: 92,
  problem: null,
};

const rejectionOf = (text: unknown): { id: number | null; code: string } => {
  const r = decodeCall(text);
  if (r.ok) throw new Error('expected a rejection');
  return { id: r.error.id, code: r.error.error.code };
};

describe('bridge codec: calls', () => {
  it.each([
    ['cards.create', { name: 'Groceries' }],
    ['cards.import', { name: 'x', file: { kind: 'backup', text: '{"a":1}' }, password: 'backup password' }],
    ['cards.rename', { cardId: card.id, name: 'y' }],
    ['wallet.unlock', { password: 'correct horse' }],
    ['cli.enable', { cardId: card.id, address: '127.0.0.1:0' }],
    ['app.request', { cardId: card.id, message: Uint8Array.of(0, 1, 2, 255) }],
    ['cards.list', {}],
  ] as const)('round-trips %s', (name, args) => {
    const decoded = decodeCall(encodeCall(7, name as RequestName, args as never));
    expect(decoded).toEqual({ ok: true, value: { id: 7, name, args } });
  });

  it.each([
    ['a number instead of text', 42, null, 'bad-message'],
    ['text that is not JSON', '{"id":1,', null, 'bad-message'],
    ['an array', '[1,2]', null, 'bad-message'],
    ['a call without an id', '{"name":"cards.list","args":{}}', null, 'bad-message'],
    ['a negative id', '{"id":-1,"name":"cards.list","args":{}}', null, 'bad-message'],
    ['a fractional id', '{"id":1.5,"name":"cards.list","args":{}}', null, 'bad-message'],
    ['an extra top-level field', '{"id":3,"name":"cards.list","args":{},"x":1}', 3, 'bad-message'],
    ['an unknown request', '{"id":3,"name":"cards.steal","args":{}}', 3, 'unknown-request'],
    ['an inherited property name', '{"id":3,"name":"toString","args":{}}', 3, 'unknown-request'],
    ['a wrong field type', '{"id":3,"name":"cards.create","args":{"name":5}}', 3, 'bad-args'],
    ['a missing field', '{"id":3,"name":"cards.rename","args":{"cardId":"abc"}}', 3, 'bad-args'],
    ['an extra field', '{"id":3,"name":"cards.create","args":{"name":"a","admin":true}}', 3, 'bad-args'],
    ['a too long name', `{"id":3,"name":"cards.create","args":{"name":"${'n'.repeat(65)}"}}`, 3, 'bad-args'],
    ['a card id with foreign characters', '{"id":3,"name":"cards.remove","args":{"cardId":"../etc"}}', 3, 'bad-args'],
    ['bytes that are not base64url', '{"id":3,"name":"app.request","args":{"cardId":"abc","message":"a+b="}}', 3, 'bad-args'],
    ['a file of an unknown kind', '{"id":3,"name":"cards.import","args":{"name":"a","file":{"kind":"exe","text":""}}}', 3, 'bad-args'],
    ['args that are null', '{"id":3,"name":"cards.list","args":null}', 3, 'bad-args'],
    ['a __proto__ field', '{"id":3,"name":"cards.list","args":{"__proto__":{"x":1}}}', 3, 'bad-args'],
  ])('rejects %s', (_label, text, id, code) => {
    expect(rejectionOf(text)).toEqual({ id, code });
  });

  it('reads the id -0 as 0, so the answer names the call it answers (found by test/fuzz)', () => {
    const r = decodeCall('{"id":-0,"name":"cards.list","args":{}}');
    expect(r.ok && Object.is(r.value.id, 0)).toBe(true);
    const h = decodeHostMessage('{"kind":"response","id":-0,"ok":false,"error":{"code":"locked","message":"m"}}', () => undefined);
    expect(h.ok && h.value.kind === 'response' && Object.is(h.value.id, 0)).toBe(true);
  });

  it('rejects an oversize message before parsing it', () => {
    const text = `{"id":1,"name":"cards.create","args":{"name":"${'x'.repeat(MAX_BRIDGE_MESSAGE_CHARS)}"}}`;
    expect(rejectionOf(text)).toEqual({ id: null, code: 'too-large' });
  });
});

describe('bridge codec: host messages', () => {
  const pendingOf = (map: Record<number, RequestName>) => (id: number): RequestName | undefined => map[id];

  it('carries bigint balances as decimal strings and back', () => {
    const text = encodeEvent('cards.changed', { cards: [card] });
    expect(text).toContain('"-170141183460469231731687303715884105728"');
    expect(decodeHostMessage(text, pendingOf({}))).toEqual({ ok: true, value: { kind: 'event', name: 'cards.changed', payload: { cards: [card] } } });
  });

  it('decodes a response with the schema of the pending request', () => {
    const text = encodeResponse(4, 'cards.create', { ok: true, value: { card } });
    expect(decodeHostMessage(text, pendingOf({ 4: 'cards.create' }))).toEqual({ ok: true, value: { kind: 'response', id: 4, result: { ok: true, value: { card } } } });
  });

  it('decodes a void result as undefined', () => {
    const text = encodeResponse(5, 'cards.remove', { ok: true, value: undefined });
    expect(decodeHostMessage(text, pendingOf({ 5: 'cards.remove' }))).toEqual({ ok: true, value: { kind: 'response', id: 5, result: { ok: true, value: undefined } } });
  });

  it('carries errors as {code, message}', () => {
    const text = encodeRejection({ id: null, error: { code: 'bad-message', message: 'nope' } });
    expect(JSON.parse(text)).toEqual({ kind: 'response', id: null, ok: false, error: { code: 'bad-message', message: 'nope' } });
    expect(decodeHostMessage(text, pendingOf({}))).toEqual({ ok: true, value: { kind: 'response', id: null, result: { ok: false, error: { code: 'bad-message', message: 'nope' } } } });
  });

  it('refuses to encode an amount outside i128', () => {
    expect(() => encodeEvent('cards.changed', { cards: [{ ...card, balances: [{ currency: 'X', balance: 1n << 127n }] }] })).toThrow(RangeError);
  });

  it.each([
    ['a response to no pending call', '{"kind":"response","id":9,"ok":true,"value":null}'],
    ['a balance with a leading zero', JSON.stringify({ kind: 'event', name: 'cards.changed', payload: { cards: [{ ...card, balances: [{ currency: 'X', balance: '01' }] }] } })],
    ['a negative zero balance', JSON.stringify({ kind: 'event', name: 'cards.changed', payload: { cards: [{ ...card, balances: [{ currency: 'X', balance: '-0' }] }] } })],
    ['a balance as a JSON number', JSON.stringify({ kind: 'event', name: 'cards.changed', payload: { cards: [{ ...card, balances: [{ currency: 'X', balance: 5 }] }] } })],
    ['an unknown event', '{"kind":"event","name":"cards.exploded","payload":{}}'],
    ['an unknown kind', '{"kind":"push","id":1}'],
    ['a malformed error', '{"kind":"response","id":1,"ok":false,"error":"boom"}'],
  ])('rejects %s', (_label, text) => {
    expect(decodeHostMessage(text, pendingOf({ 1: 'cards.list' })).ok).toBe(false);
  });
});
