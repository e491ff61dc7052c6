import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityFromSeed, nobleBackend } from '../crypto/index.ts';
import { compareCurrencies } from './hex.ts';
import { emptyMutualCredit } from './mutual-credit.ts';
import { generateResetTerms } from './reset.ts';
import { genesisTokenChannel } from './token-channel.ts';

const crypto = nobleBackend;
const fill = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);
const genesis = genesisTokenChannel(crypto, identityFromSeed(crypto, fill(32, 1)).publicKey, identityFromSeed(crypto, fill(32, 2)).publicKey);

const currency = fc.constantFrom('FST', 'FST2', 'USD', 'EUR', 'GBP', 'XAU');
const balance = fc.bigInt({ min: -((1n << 127n) - 1n), max: (1n << 127n) - 1n });

describe('reset terms', () => {
  it('list every mutual credit and every agreed starting balance of a currency not active yet, in currency order', () => {
    fc.assert(fc.property(fc.array(fc.tuple(currency, balance)), fc.array(fc.tuple(currency, balance)), (active, agreedEntries) => {
      const mcs = new Map(active.map(([c, b]) => [c, emptyMutualCredit(b)]));
      const agreed = new Map(agreedEntries);
      const tc = { ...genesis, mutualCredits: mcs, ...(agreed.size === 0 ? {} : { initialBalances: agreed }) };
      const terms = generateResetTerms(tc, 0n, fill(64, 3));
      const expected = [
        ...[...mcs].map(([c, mc]) => ({ currency: c, balance: mc.balance })),
        ...[...agreed].filter(([c]) => !mcs.has(c)).map(([c, b]) => ({ currency: c, balance: b })),
      ].sort((x, y) => compareCurrencies(x.currency, y.currency));
      expect(terms.balanceForReset).toEqual(expected);
    }));
  });

  it('are empty without a token channel', () => {
    expect(generateResetTerms(undefined, 4n, fill(64, 3))).toEqual({ resetToken: fill(64, 3), inconsistencyCounter: 5n, balanceForReset: [] });
  });
});
