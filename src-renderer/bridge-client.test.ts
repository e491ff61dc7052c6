import { describe, expect, it } from 'vitest';
import { MAX_BRIDGE_MESSAGE_CHARS, type OffsetBridge } from '../src-main/bridge.ts';
import { createBridgeClient } from './bridge-client.ts';

/** A host that answers every call with `answer(callText)`: hostile answers are the input here. */
function hostAnswering(answer: (call: { id: number; name: string }) => string): { transport: OffsetBridge; sent: string[]; emit: (t: string) => void } {
  const sent: string[] = [];
  const listeners: Array<(t: string) => void> = [];
  return {
    sent,
    emit: (t) => listeners.forEach((l) => l(t)),
    transport: {
      call: async (m) => {
        sent.push(m);
        return answer(JSON.parse(m) as { id: number; name: string });
      },
      onEvent: (l) => {
        listeners.push(l);
        return () => {};
      },
    },
  };
}

describe('bridge client', () => {
  it('decodes the answer with the schema of its own call', async () => {
    const h = hostAnswering(({ id }) => JSON.stringify({ kind: 'response', id, ok: true, value: { locked: true, hasPassword: false } }));
    expect(await createBridgeClient(h.transport).call('wallet.status', {})).toEqual({ ok: true, value: { locked: true, hasPassword: false } });
    expect(JSON.parse(h.sent[0] as string)).toEqual({ id: 1, name: 'wallet.status', args: {} });
  });

  it.each<[string, (c: { id: number }) => string]>([
    ['an answer to another call', ({ id }) => JSON.stringify({ kind: 'response', id: id + 1, ok: true, value: null })],
    ['an answer of the wrong shape', ({ id }) => JSON.stringify({ kind: 'response', id, ok: true, value: { locked: 'no' } })],
    ['text that is not JSON', () => 'oops'],
    ['an event instead of an answer', () => JSON.stringify({ kind: 'event', name: 'wallet.changed', payload: { locked: true, hasPassword: true } })],
  ])('turns %s into a bad-message error and reports it', async (_label, answer) => {
    const errors: string[] = [];
    const client = createBridgeClient(hostAnswering(answer).transport, (e) => errors.push(e.code));
    expect(await client.call('wallet.status', {})).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    expect(errors).toEqual(['bad-message']);
  });

  it('refuses to send a request over the size limit', async () => {
    const h = hostAnswering(() => 'unused');
    const r = await createBridgeClient(h.transport).call('cards.import', { name: 'x', file: { kind: 'backup', text: 'y'.repeat(MAX_BRIDGE_MESSAGE_CHARS) }, password: 'backup password' });
    expect(r).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(h.sent).toEqual([]);
  });

  it('delivers valid events to their listeners and drops malformed ones', () => {
    const h = hostAnswering(() => 'unused');
    const errors: string[] = [];
    const client = createBridgeClient(h.transport, (e) => errors.push(e.code));
    const seen: unknown[] = [];
    const off = client.onEvent('wallet.changed', (p) => seen.push(p));
    h.emit(JSON.stringify({ kind: 'event', name: 'wallet.changed', payload: { locked: false, hasPassword: true } }));
    h.emit(JSON.stringify({ kind: 'event', name: 'wallet.changed', payload: { locked: 1 } }));
    off();
    h.emit(JSON.stringify({ kind: 'event', name: 'wallet.changed', payload: { locked: true, hasPassword: true } }));
    expect(seen).toEqual([{ locked: false, hasPassword: true }]);
    expect(errors).toEqual(['bad-message']);
  });
});
