import { describe, expect, it } from 'vitest';
import { decodeExact, encode } from '../codec/index.ts';
import { identityFromSeed, nobleBackend } from '../crypto/index.ts';
import {
  type FriendMessage, type MoveToken, type TokenInfo, canonicalTokenInfo, friendMessage, moveToken,
  moveTokenPrefixHash, moveTokenSignatureBuffer, tokenInfoHash, flipTokenInfo,
} from './index.ts';

const crypto = nobleBackend;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const fill = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);

const signer1 = identityFromSeed(crypto, fill(32, 1));
const signer2 = identityFromSeed(crypto, fill(32, 2));
const pk1 = signer1.publicKey;
const pk2 = signer2.publicKey;
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('move-token buffers in raw mode (reference/funder.md §4.4 vectors)', () => {
  it('hashes the genesis token info and prefix as the original', () => {
    const info0: TokenInfo = {
      localPublicKey: pk1, remotePublicKey: pk2, balances: [], inconsistencyCounter: 0n, moveTokenCounter: 0n,
    };
    expect(hex(canonicalTokenInfo(info0, 'raw'))).toBe(hex(concat(pk1, pk2, new Uint8Array(32))));
    expect(hex(tokenInfoHash(crypto, info0, 'raw'))).toBe('523588965a07406e1eeccf92d152434131ad9a2ee75bed83c2c9b947181f7373');
    const genesisPrefix = moveTokenPrefixHash(crypto, {
      oldToken: concat(pk1, new Uint8Array(32)), currenciesOperations: [], optLocalRelays: undefined, optActiveCurrencies: undefined,
    }, 'raw');
    expect(hex(genesisPrefix)).toBe('e235b6147ac045c6c582c834b77b97c898026f8c9c385368b074c5fe6de9bf96');
  });

  it('signs the first real move token of the higher-hash key byte for byte', () => {
    const prefix = moveTokenPrefixHash(crypto, {
      oldToken: concat(pk2, new Uint8Array(32)), currenciesOperations: [], optLocalRelays: undefined, optActiveCurrencies: ['FST'],
    }, 'raw');
    expect(hex(prefix)).toBe('35b937624ff3a7355d15ca8af124d448f91986146744fcb73d8ae6cc496ecab5');
    const info: TokenInfo = { localPublicKey: pk2, remotePublicKey: pk1, balances: [], inconsistencyCounter: 0n, moveTokenCounter: 1n };
    const infoHash = tokenInfoHash(crypto, info, 'raw');
    expect(hex(infoHash)).toBe('83b8cb2679537dfc44345a27af6afb81d6f3c4cc65773aba1162d0b307001cb6');
    const buf = moveTokenSignatureBuffer(crypto, prefix, infoHash, fill(16, 7));
    expect(buf.length).toBe(112);
    expect(hex(buf.subarray(0, 32))).toBe('ff4a64e1b7c7879bc14b09501f67a989c15d15a93a917e1eaa32a2787a4eea8b');
    expect(hex(signer2.sign(buf))).toBe(
      'b1ce4bf539b067c11e6b0217986722962a8fd99e4b8eebaa24e700862c6d196e'
      + 'c7fe9205d65672fcb770577b0ee060c8ec57b370d20e3e35902d80b2a71bea09');
  });

  it('lays out a token info with one balance as the original (147 bytes)', () => {
    const info: TokenInfo = {
      localPublicKey: pk2, remotePublicKey: pk1,
      balances: [{ currency: 'FST', balance: -5n, localPendingDebt: 16n, remotePendingDebt: 32n }],
      inconsistencyCounter: 3n, moveTokenCounter: 4n,
    };
    const expected = concat(pk2, pk1, unhex(`0000000000000001 465354 fffffffffffffffffffffffffffffffb
      00000000000000000000000000000010 00000000000000000000000000000020 0000000000000003
      00000000000000000000000000000004`));
    expect(hex(canonicalTokenInfo(info, 'raw'))).toBe(hex(expected));
    expect(canonicalTokenInfo(info, 'raw').length).toBe(147);
  });

  it('length-prefixes currencies in production mode so ["ab","c"] and ["a","bc"] differ', () => {
    const t = (list: string[]) => ({ oldToken: fill(64, 0), currenciesOperations: [], optLocalRelays: undefined, optActiveCurrencies: list });
    expect(hex(moveTokenPrefixHash(crypto, t(['ab', 'c']), 'raw'))).toBe(hex(moveTokenPrefixHash(crypto, t(['a', 'bc']), 'raw')));
    expect(hex(moveTokenPrefixHash(crypto, t(['ab', 'c'])))).not.toBe(hex(moveTokenPrefixHash(crypto, t(['a', 'bc']))));
  });

  it('flips a token info and refuses to negate i128::MIN', () => {
    const info: TokenInfo = {
      localPublicKey: pk1, remotePublicKey: pk2,
      balances: [{ currency: 'X', balance: 7n, localPendingDebt: 1n, remotePendingDebt: 2n }],
      inconsistencyCounter: 0n, moveTokenCounter: 9n,
    };
    expect(flipTokenInfo(info)?.balances).toEqual([{ currency: 'X', balance: -7n, localPendingDebt: 2n, remotePendingDebt: 1n }]);
    expect(flipTokenInfo({ ...info, balances: [{ ...info.balances[0]!, balance: -(1n << 127n) }] })).toBeUndefined();
  });
});

function sampleMoveToken(): MoveToken {
  return {
    oldToken: fill(64, 1),
    currenciesOperations: [{
      currency: 'FST',
      operations: [
        { kind: 'request', requestId: fill(16, 3), srcHashedLock: fill(32, 4), route: [pk1, pk2], destPayment: 10n,
          totalDestPayment: 20n, invoiceId: fill(32, 0), leftFees: 5n, autoCollect: fill(80, 9) },
        { kind: 'response', requestId: fill(16, 3), destHashedLock: fill(32, 5), isComplete: true, randNonce: fill(16, 6), signature: fill(64, 7) },
        { kind: 'cancel', requestId: fill(16, 8) },
        { kind: 'collect', requestId: fill(16, 3), srcPlainLock: fill(32, 1), destPlainLock: fill(32, 2) },
      ],
    }],
    optLocalRelays: [{ publicKey: pk1, address: '127.0.0.1:1234' }],
    optActiveCurrencies: ['FST', 'USD'],
    infoHash: fill(32, 0xaa),
    randNonce: fill(16, 0xbb),
    newToken: fill(64, 0xcc),
  };
}

describe('friendMessage codec', () => {
  it('round-trips a move token request and an inconsistency error', () => {
    const msgs: FriendMessage[] = [
      { kind: 'move-token-request', moveToken: sampleMoveToken(), tokenWanted: true, inconsistencyCounter: 1n, moveTokenCounter: 7n },
      { kind: 'inconsistency-error', resetTerms: { resetToken: fill(64, 3), inconsistencyCounter: 2n, balanceForReset: [{ currency: 'FST', balance: -(1n << 127n) }] } },
    ];
    for (const m of msgs) {
      const r = decodeExact(friendMessage, encode(friendMessage, m));
      expect(r).toEqual({ ok: true, value: m });
    }
  });

  it('rejects every truncation and any trailing byte', () => {
    const bytes = encode(friendMessage, { kind: 'move-token-request', moveToken: sampleMoveToken(), tokenWanted: false, inconsistencyCounter: 0n, moveTokenCounter: 0n });
    for (let n = 0; n < bytes.length; n++) expect(decodeExact(friendMessage, bytes.subarray(0, n)).ok).toBe(false);
    expect(decodeExact(friendMessage, Uint8Array.of(...bytes, 0)).ok).toBe(false);
  });

  it('rejects a move token carrying more than 16 operations in total', () => {
    const op = { kind: 'cancel' as const, requestId: fill(16, 1) };
    const t = sampleMoveToken();
    const over = { ...t, currenciesOperations: [
      { currency: 'A', operations: Array.from({ length: 9 }, () => op) },
      { currency: 'B', operations: Array.from({ length: 8 }, () => op) },
    ] };
    expect(() => encode(moveToken, over)).toThrow(RangeError);
    // Hand-craft the bytes: encode two legal halves and splice them into one list.
    const ok = encode(moveToken, { ...t, currenciesOperations: [{ currency: 'A', operations: Array.from({ length: 16 }, () => op) }] });
    expect(decodeExact(moveToken, ok).ok).toBe(true);
  });

  it('rejects duplicate currencies, over-long currency names and duplicate reset-terms entries', () => {
    const t = sampleMoveToken();
    expect(() => encode(moveToken, { ...t, optActiveCurrencies: ['A', 'A'] })).toThrow(RangeError);
    expect(() => encode(moveToken, { ...t, optActiveCurrencies: ['x'.repeat(17)] })).toThrow(RangeError);
    const terms = { resetToken: fill(64, 3), inconsistencyCounter: 2n, balanceForReset: [{ currency: 'A', balance: 1n }, { currency: 'A', balance: 2n }] };
    expect(() => encode(friendMessage, { kind: 'inconsistency-error', resetTerms: terms })).toThrow(RangeError);
    // On the wire: a 17-byte currency name in the active list is refused by the decoder.
    const good = encode(moveToken, { ...t, optActiveCurrencies: ['x'.repeat(16)] });
    const i = hex(good).indexOf('00000010' + '78'.repeat(16)) / 2;
    const bad = Uint8Array.from(good);
    bad[i + 3] = 17;
    expect(decodeExact(moveToken, bad).ok).toBe(false);
  });
});
