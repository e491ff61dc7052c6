/** Mutation fuzzing of the bridge codec (src-main/bridge-codec.ts), both directions: the host
 *  decoding the renderer's calls, the renderer decoding the host's answers and events. Decoders
 *  return a typed error and never throw; what they accept encodes back to the same message. */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BridgeError, CardView, RequestName } from '../../src-main/bridge.ts';
import {
  type CallMessage, type HostMessage, type RejectedCall, decodeCall, decodeHostMessage, encodeCall, encodeEvent, encodeRejection,
  encodeResponse,
} from '../../src-main/bridge-codec.ts';
import { fuzzConfig, fuzzTimeout, runFuzz, textTarget } from './harness.ts';

const cfg = fuzzConfig();
const card: CardView = {
  id: 'AAECAwQFBgcICQoLDA0ODw', name: 'Groceries', publicKey: 'A'.repeat(43), kind: 'local', online: true,
  balances: [{ currency: 'FST', balance: -(1n << 127n) }, { currency: 'USD', balance: 12345n }], address: null, backedUpAt: 1_700_000_000_000, needsReset: 0, closestToLimit: 0, problem: null,
};
const callSeeds = [
  encodeCall(1, 'cards.list', {}),
  encodeCall(2, 'cards.create', { name: 'Groceries' }),
  encodeCall(3, 'cards.import', { name: 'x', file: { kind: 'rcard', text: '{"kind":"rcard"}' }, password: '' }),
  encodeCall(4, 'cards.rename', { cardId: card.id, name: 'y' }),
  encodeCall(5, 'wallet.changePassword', { oldPassword: 'a', newPassword: 'correct horse' }),
  encodeCall(6, 'cli.enable', { cardId: card.id, address: '127.0.0.1:0' }),
  encodeCall(7, 'app.request', { cardId: card.id, message: Uint8Array.of(0, 1, 2, 255) }),
];
const pending: Record<number, RequestName> = { 1: 'cards.list', 2: 'cards.create', 3: 'cards.remove', 4: 'cli.enable', 5: 'wallet.status' };
const pendingOf = (id: number): RequestName | undefined => (Object.hasOwn(pending, id) ? pending[id] : undefined);
const hostSeeds = [
  encodeResponse(1, 'cards.list', { ok: true, value: { cards: [card] } }),
  encodeResponse(2, 'cards.create', { ok: true, value: { card } }),
  encodeResponse(3, 'cards.remove', { ok: true, value: undefined }),
  encodeResponse(4, 'cli.enable', { ok: true, value: { address: '127.0.0.1:1', nodeTicket: 'n', appIdent: 'i', appTicket: 't' } }),
  encodeResponse(5, 'wallet.status', { ok: true, value: { locked: false, hasPassword: true } }),
  encodeRejection({ id: 2, error: { code: 'locked', message: 'the wallet is locked' } }),
  encodeRejection({ id: null, error: { code: 'bad-message', message: 'x' } }),
  encodeEvent('cards.changed', { cards: [card] }),
  encodeEvent('app.message', { cardId: card.id, message: Uint8Array.of(9, 8, 7) }),
  encodeEvent('wallet.changed', { locked: true, hasPassword: true }),
];

const isRejectedCall = (e: unknown): boolean => typeof e === 'object' && e !== null && 'id' in e && isBridgeError((e as RejectedCall).error);
const isBridgeError = (e: unknown): boolean => typeof e === 'object' && e !== null && typeof (e as BridgeError).code === 'string' && typeof (e as BridgeError).message === 'string';

function reencodeHost(m: HostMessage): string {
  if (m.kind === 'event') return encodeEvent(m.name, m.payload as never);
  const r = m.result;
  if (!r.ok) return encodeRejection({ id: m.id, error: r.error });
  const name = m.id === null ? undefined : pendingOf(m.id);
  if (m.id === null || name === undefined) throw new Error('accepted a successful response with no pending request');
  return encodeResponse(m.id, name, { ok: true, value: r.value as never });
}

describe('fuzz: the bridge codec returns a typed error or a message that round-trips, never throws', () => {
  it('decodeCall (host side)', () => {
    const stats = runFuzz(textTarget<CallMessage>({
      name: 'bridge.decodeCall', seeds: callSeeds, decode: decodeCall, isError: isRejectedCall,
      check: (_t, v) => (isDeepStrictEqual(decodeCall(encodeCall(v.id, v.name, v.args as never)), { ok: true, value: v }) ? undefined : 'does not round-trip'),
    }), 5000, cfg);
    expect(stats.accepted).toBeGreaterThan(0);
    expect(stats.rejected).toBeGreaterThan(0);
  }, fuzzTimeout(cfg));

  it('decodeHostMessage (renderer side)', () => {
    const decode = (t: string) => decodeHostMessage(t, pendingOf);
    const stats = runFuzz(textTarget<HostMessage>({
      name: 'bridge.decodeHostMessage', seeds: hostSeeds, decode, isError: isBridgeError,
      check: (_t, v) => (isDeepStrictEqual(decode(reencodeHost(v)), { ok: true, value: v }) ? undefined : 'does not round-trip'),
    }), 5000, cfg);
    expect(stats.accepted).toBeGreaterThan(0);
    expect(stats.rejected).toBeGreaterThan(0);
  }, fuzzTimeout(cfg));
});
