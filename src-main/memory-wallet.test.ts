import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src-core/crypto/index.ts';
import { createDispatcher, EventHub } from './dispatcher.ts';
import { createMemoryWallet } from './memory-wallet.ts';

function host() {
  const events = new EventHub();
  const seen: unknown[] = [];
  events.subscribe((m) => seen.push(JSON.parse(m)));
  const dispatcher = createDispatcher(createMemoryWallet({ events, random: seededRandom(3) }));
  let id = 0;
  const call = async (name: string, args: unknown) => JSON.parse(await dispatcher.handle(JSON.stringify({ id: ++id, name, args }))) as Record<string, unknown>;
  return { dispatcher, call, seen };
}

describe('memory wallet behind the dispatcher', () => {
  it('creates a card, lists it and tells every listener', async () => {
    const h = host();
    const created = await h.call('cards.create', { name: '  Groceries ' });
    expect(created).toMatchObject({ kind: 'response', id: 1, ok: true, value: { card: { name: 'Groceries', kind: 'local', balances: [] } } });
    const listed = await h.call('cards.list', {});
    expect(listed['value']).toEqual({ cards: [(created['value'] as { card: unknown }).card] });
    expect(h.seen).toEqual([{ kind: 'event', name: 'cards.changed', payload: listed['value'] }]);
  });

  it('rejects a forged card id and changes nothing', async () => {
    const h = host();
    await h.call('cards.create', { name: 'A' });
    const before = await h.call('cards.list', {});
    for (const name of ['cards.remove', 'cards.export', 'cli.disable']) {
      expect(await h.call(name, { cardId: 'forged' })).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    }
    expect(await h.call('cards.rename', { cardId: 'forged', name: 'B' })).toMatchObject({ ok: false, error: { code: 'unknown-card' } });
    expect(await h.call('cards.list', {})).toEqual({ ...before, id: 7 });
    expect(h.seen).toHaveLength(1);
  });

  it('rejects malformed messages and changes nothing', async () => {
    const h = host();
    expect(JSON.parse(await h.dispatcher.handle('{not json'))).toMatchObject({ id: null, ok: false, error: { code: 'bad-message' } });
    expect(JSON.parse(await h.dispatcher.handle({ id: 1 }))).toMatchObject({ id: null, ok: false, error: { code: 'bad-message' } });
    expect(await h.call('cards.create', { name: 'A', extra: 1 })).toMatchObject({ ok: false, error: { code: 'bad-args' } });
    expect(await h.call('cards.create', { name: '   ' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await h.call('cards.create', { name: 'a\u0007b' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await h.call('cards.list', {})).toMatchObject({ ok: true, value: { cards: [] } });
    expect(h.seen).toEqual([]);
  });

  it('renames and removes a card', async () => {
    const h = host();
    const id = ((await h.call('cards.create', { name: 'A' }))['value'] as { card: { id: string } }).card.id;
    expect(await h.call('cards.rename', { cardId: id, name: 'B' })).toMatchObject({ ok: true, value: { card: { id, name: 'B' } } });
    expect(await h.call('cards.remove', { cardId: id })).toEqual({ kind: 'response', id: 3, ok: true, value: null });
    expect(await h.call('cards.list', {})).toMatchObject({ value: { cards: [] } });
  });

  it('answers unavailable for what needs the node engine', async () => {
    const h = host();
    expect(await h.call('wallet.unlock', { password: 'x' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await h.call('cards.import', { name: 'x', file: { kind: 'rcard', text: '' } })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('turns a handler that throws into an internal error', async () => {
    const events = new EventHub();
    const failing: unknown[] = [];
    const handlers = { ...createMemoryWallet({ events, random: seededRandom(1) }), 'cards.list': async () => { throw new Error('boom'); } };
    const d = createDispatcher(handlers, (e) => failing.push(e));
    expect(JSON.parse(await d.handle('{"id":1,"name":"cards.list","args":{}}'))).toEqual({ kind: 'response', id: 1, ok: false, error: { code: 'internal', message: 'the host failed on cards.list' } });
    expect(failing).toHaveLength(1);
  });
});
