import { describe, expect, it } from 'vitest';
import { type Signer, comparePublicKeys, identityFromSeed, nobleBackend } from '../crypto/index.ts';
import type { MoveToken } from '../proto/index.ts';
import { toHex } from './hex.ts';
import { emptyMutualCredit } from './mutual-credit.ts';
import { acceptRemoteReset, applyLocalReset, generateResetTerms } from './reset.ts';
import {
  type ReceiveContext, type TokenChannel, genesisTokenChannel, hashMoveToken, prepareSend, receiveMoveToken, sendMoveToken,
} from './token-channel.ts';

const crypto = nobleBackend;
const fill = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);
const a = identityFromSeed(crypto, fill(32, 1)); // lower hash (reference §4.4 vector)
const b = identityFromSeed(crypto, fill(32, 2));

const ctx = (me: Signer, friend: Signer): ReceiveContext => ({
  crypto, localPublicKey: me.publicKey, remotePublicKey: friend.publicKey, remoteMaxDebt: () => 100n,
});

function send(tc: TokenChannel, me: Signer, friend: Signer, active?: string[], nonce = 7): { tc: TokenChannel; moveToken: MoveToken } {
  const prepared = prepareSend(tc, active);
  const r = sendMoveToken(crypto, me, prepared, friend.publicKey, {
    mutualCredits: prepared.mutualCredits, currenciesOperations: [], optLocalRelays: undefined, optActiveCurrencies: active,
  }, fill(16, nonce));
  if (r === undefined) throw new Error('not our turn');
  return r;
}

function received(tc: TokenChannel, t: MoveToken, me: Signer, friend: Signer): TokenChannel {
  const r = receiveMoveToken(tc, t, ctx(me, friend));
  if (r.kind !== 'received') throw new Error(`expected received, got ${JSON.stringify(r)}`);
  return r.tc;
}

describe('genesis (reference/funder.md §4.3, §8.3 test_initial_direction)', () => {
  it('gives the first token to the higher-hash key, whatever the order of construction', () => {
    expect(comparePublicKeys(crypto, a.publicKey, b.publicKey)).toBeLessThan(0);
    const ta = genesisTokenChannel(crypto, a.publicKey, b.publicKey);
    const tb = genesisTokenChannel(crypto, b.publicKey, a.publicKey);
    expect(ta.direction.kind).toBe('outgoing');
    expect(tb.direction.kind).toBe('incoming');
    if (ta.direction.kind !== 'outgoing' || tb.direction.kind !== 'incoming') return;
    expect(ta.direction.prevMoveTokenIn).toBeUndefined();
    expect(hashMoveToken(crypto, ta.direction.moveTokenOut, ta.direction.tokenInfo)).toEqual(tb.direction.moveTokenIn);
  });
});

describe('receiving move tokens (§4.6, §8.3, §8.7.3)', () => {
  it('passes the token back and forth and agrees on active currencies', () => {
    let ta = genesisTokenChannel(crypto, a.publicKey, b.publicKey);
    let tb = genesisTokenChannel(crypto, b.publicKey, a.publicKey);
    const s1 = send(tb, b, a, ['FST']);
    tb = s1.tc;
    ta = received(ta, s1.moveToken, a, b);
    expect(ta.direction.kind).toBe('incoming');
    if (ta.direction.kind === 'incoming' && tb.direction.kind === 'outgoing') {
      expect(ta.direction.moveTokenIn).toEqual(hashMoveToken(crypto, s1.moveToken, tb.direction.tokenInfo));
    }
    expect(ta.mutualCredits.size).toBe(0);
    const s2 = send(ta, a, b, ['FST'], 8);
    ta = s2.tc;
    tb = received(tb, s2.moveToken, b, a);
    expect([...ta.mutualCredits.keys()]).toEqual(['FST']);
    expect([...tb.mutualCredits.keys()]).toEqual(['FST']);
  });

  it('ignores a duplicate of the token we hold', () => {
    const ta = genesisTokenChannel(crypto, a.publicKey, b.publicKey);
    const s1 = send(genesisTokenChannel(crypto, b.publicKey, a.publicKey), b, a);
    const ta2 = received(ta, s1.moveToken, a, b);
    expect(receiveMoveToken(ta2, s1.moveToken, ctx(a, b))).toEqual({ kind: 'duplicate' });
  });

  it('asks to retransmit when the friend re-sends a token we already consumed', () => {
    const tb0 = genesisTokenChannel(crypto, b.publicKey, a.publicKey);
    const s1 = send(tb0, b, a);
    const ta = received(genesisTokenChannel(crypto, a.publicKey, b.publicKey), s1.moveToken, a, b);
    const s2 = send(ta, a, b, undefined, 9);
    // a is now outgoing with s2; b re-sends s1 (it never got s2)
    expect(receiveMoveToken(s2.tc, s1.moveToken, ctx(a, b))).toEqual({ kind: 'retransmit-outgoing' });
  });

  it('reports a chain inconsistency for an out-of-chain token, in both directions', () => {
    const ta = genesisTokenChannel(crypto, a.publicKey, b.publicKey);
    const s1 = send(genesisTokenChannel(crypto, b.publicKey, a.publicKey), b, a);
    const foreign = { ...s1.moveToken, oldToken: fill(64, 9) };
    expect(receiveMoveToken(ta, foreign, ctx(a, b))).toEqual({ kind: 'error', error: 'chain-inconsistency' });
    const ta2 = received(ta, s1.moveToken, a, b);
    expect(receiveMoveToken(ta2, { ...s1.moveToken, randNonce: fill(16, 1) }, ctx(a, b))).toEqual({ kind: 'error', error: 'chain-inconsistency' });
  });

  it('rejects a matching token with a bad signature or a wrong token info', () => {
    const ta = genesisTokenChannel(crypto, a.publicKey, b.publicKey);
    const s1 = send(genesisTokenChannel(crypto, b.publicKey, a.publicKey), b, a, ['FST']);
    const badSig = Uint8Array.from(s1.moveToken.newToken);
    badSig[0] = (badSig[0] as number) ^ 1;
    expect(receiveMoveToken(ta, { ...s1.moveToken, newToken: badSig }, ctx(a, b))).toEqual({ kind: 'error', error: 'invalid-signature' });
    // b signs a token claiming a balance a does not have
    const tb0 = prepareSend(genesisTokenChannel(crypto, b.publicKey, a.publicKey), ['FST']);
    const lying = sendMoveToken(crypto, b, tb0, a.publicKey, {
      mutualCredits: new Map([['FST', emptyMutualCredit(5n)]]), currenciesOperations: [], optLocalRelays: undefined, optActiveCurrencies: ['FST'],
    }, fill(16, 1))!;
    expect(receiveMoveToken(ta, lying.moveToken, ctx(a, b))).toEqual({ kind: 'error', error: 'invalid-token-info' });
  });

  it('rejects operations in a currency without a mutual credit and dropping a currency in use', () => {
    let ta = genesisTokenChannel(crypto, a.publicKey, b.publicKey);
    let tb = genesisTokenChannel(crypto, b.publicKey, a.publicKey);
    const s1 = send(tb, b, a, ['FST']);
    tb = s1.tc;
    ta = received(ta, s1.moveToken, a, b);
    const s2 = send(ta, a, b, ['FST']);
    tb = received(tb, s2.moveToken, b, a);
    const s3 = send(tb, b, a, []);
    expect(receiveMoveToken(s2.tc, s3.moveToken, ctx(a, b))).toEqual({ kind: 'error', error: 'can-not-remove-currency-in-use' });
    const s3b = sendMoveToken(crypto, b, tb, a.publicKey, {
      mutualCredits: tb.mutualCredits, currenciesOperations: [{ currency: 'USD', operations: [{ kind: 'cancel', requestId: fill(16, 1) }] }],
      optLocalRelays: undefined, optActiveCurrencies: undefined,
    }, fill(16, 2))!;
    expect(receiveMoveToken(s2.tc, s3b.moveToken, ctx(a, b))).toEqual({ kind: 'error', error: 'invalid-currency' });
  });
});

describe('reset (§4.9)', () => {
  it('the side accepting the terms adopts the friend\'s balances and both channels chain again', () => {
    const terms = generateResetTerms(undefined, 0n, fill(64, 0x33));
    const withBalance = { ...terms, balanceForReset: [{ currency: 'FST', balance: 10n }] };
    const r = applyLocalReset(crypto, a, b.publicKey, withBalance, [], fill(16, 4))!;
    expect(r.tc.mutualCredits.get('FST')?.balance).toBe(-10n);
    const tb = acceptRemoteReset(crypto, b.publicKey, a.publicKey, withBalance, r.moveToken)!;
    expect(tb.mutualCredits.get('FST')?.balance).toBe(10n);
    const s = send(tb, b, a);
    const ta = received(r.tc, s.moveToken, a, b);
    expect(ta.direction.kind).toBe('incoming');
  });

  it('refuses terms with an i128::MIN balance and a reset token on the wrong chain', () => {
    const terms = { resetToken: fill(64, 1), inconsistencyCounter: 1n, balanceForReset: [{ currency: 'X', balance: -(1n << 127n) }] };
    expect(applyLocalReset(crypto, a, b.publicKey, terms, [], fill(16, 4))).toBeUndefined();
    const good = { ...terms, balanceForReset: [] };
    const r = applyLocalReset(crypto, a, b.publicKey, good, [], fill(16, 4))!;
    expect(acceptRemoteReset(crypto, b.publicKey, a.publicKey, { ...good, resetToken: fill(64, 2) }, r.moveToken)).toBeUndefined();
    expect(acceptRemoteReset(crypto, b.publicKey, a.publicKey, { ...good, inconsistencyCounter: 2n }, r.moveToken)).toBeUndefined();
    expect(toHex(acceptRemoteReset(crypto, b.publicKey, a.publicKey, good, r.moveToken)!.direction.kind === 'incoming' ? r.moveToken.newToken : fill(1, 0)))
      .toBe(toHex(r.moveToken.newToken));
  });
});
