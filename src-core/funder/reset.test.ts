import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityFromSeed, nobleBackend } from '../crypto/index.ts';
import { emptyMutualCredit } from './mutual-credit.ts';
import { withCarriedInitialBalances } from './reset.ts';
import { genesisTokenChannel } from './token-channel.ts';

const crypto = nobleBackend;
const fill = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);
const genesis = genesisTokenChannel(crypto, identityFromSeed(crypto, fill(32, 1)).publicKey, identityFromSeed(crypto, fill(32, 2)).publicKey);

const currency = fc.constantFrom('FST', 'FST2', 'USD', 'EUR', 'GBP', 'XAU');
const balance = fc.bigInt({ min: -((1n << 127n) - 1n), max: (1n << 127n) - 1n });

describe('agreed starting balances carried into the channel a reset creates', () => {
  it('keep exactly the currencies the reset terms did not settle, and never an empty map', () => {
    fc.assert(fc.property(fc.uniqueArray(currency), fc.array(fc.tuple(currency, balance)), (settled, carriedEntries) => {
      const tc = { ...genesis, mutualCredits: new Map(settled.map((c) => [c, emptyMutualCredit(1n)])), activeLocal: settled, activeRemote: settled };
      const carried = new Map(carriedEntries);
      const out = withCarriedInitialBalances(tc, carried.size === 0 ? undefined : carried);
      const expected = [...carried].filter(([c]) => !settled.includes(c));
      expect(out.initialBalances === undefined ? [] : [...out.initialBalances]).toEqual(expected);
      expect(out.initialBalances?.size).not.toBe(0);
      // the reset channel itself is untouched
      expect(out.mutualCredits).toBe(tc.mutualCredits);
      expect(out.direction).toBe(tc.direction);
      expect([out.activeLocal, out.activeRemote]).toEqual([settled, settled]);
    }));
  });

  it('leave the channel as it is when nothing was carried', () => {
    expect(withCarriedInitialBalances(genesis, undefined)).toBe(genesis);
    const settledAll = { ...genesis, mutualCredits: new Map([['FST', emptyMutualCredit(0n)]]) };
    expect(withCarriedInitialBalances(settledAll, new Map([['FST', 5n]]))).toBe(settledAll);
  });
});
